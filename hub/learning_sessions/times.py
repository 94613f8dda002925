"""Time zones for sessions: checking what was typed, the reader's zone, and dates in the reader's language."""

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import tzdata
from babel.dates import format_date, format_time, get_datetime_format
from flask import current_app
from flask_babel import get_locale

UTC = ZoneInfo("UTC")


def zone_or_none(name: str | None):
    """The ZoneInfo of an IANA name, or None when it is unknown (or not a name at all)."""
    if not name or not isinstance(name, str) or len(name) > 64 or name not in _known():
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


@lru_cache(maxsize=1)
def _known() -> frozenset:
    return frozenset(available_timezones())


@lru_cache(maxsize=1)
def _country_zones() -> dict:
    """Country code → its first zone in the system's zone.tab (the most populated, by convention)."""
    found = {}
    for folder in ("/usr/share/zoneinfo", str(Path(tzdata.__file__).parent / "zoneinfo")):
        path = Path(folder) / "zone.tab"
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line and not line.startswith("#"):
                    parts = line.split("\t")
                    found.setdefault(parts[0], parts[2])
            break
    return found


def reader_zone(user) -> ZoneInfo:
    """The zone a person reads times in: the one they chose (UTC included); when they chose none, their
    organisation's country's zone; for visitors, UTC (no JavaScript guesses)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return UTC
    own = zone_or_none(user.timezone)
    if own is not None:
        return own
    country = user.organisation.country if user.organisation is not None else None
    return zone_or_none(_country_zones().get(country or "")) or UTC


def when(moment: datetime, zone: ZoneInfo, locale=None, long: bool = True) -> str:
    """A moment in a zone, in the reader's language, e.g. "martes, 8 de diciembre de 2026, 9:00"."""
    locale = str(locale or get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])
    local = moment.astimezone(zone)
    day = format_date(local, "full" if long else "medium", locale=locale)
    return get_datetime_format("medium", locale=locale).format(format_time(local, "short", locale=locale), day)


def zone_label(zone: ZoneInfo, moment: datetime) -> str:
    """The zone's name with its UTC offset at that moment, e.g. "America/Lima (UTC−05:00)"."""
    offset = moment.astimezone(zone).utcoffset()
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "−"
    minutes = abs(minutes)
    return f"{zone.key.replace('_', ' ')} (UTC{sign}{minutes // 60:02d}:{minutes % 60:02d})"


def local_to_utc(naive: datetime, zone: ZoneInfo) -> datetime:
    """A wall-clock time typed for a zone, as an aware UTC moment (fold=0: the first of a repeated hour)."""
    return naive.replace(tzinfo=zone).astimezone(UTC)


def is_real_local_time(naive: datetime, zone: ZoneInfo) -> bool:
    """False for a wall-clock time that does not exist in the zone (skipped by a daylight-saving change)."""
    there_and_back = local_to_utc(naive, zone).astimezone(zone).replace(tzinfo=None)
    return there_and_back == naive
