"""iCalendar (RFC 5545) for sessions: one session's .ics, a person's private feed, a public community's feed.

Times are written in UTC (…Z): correct in every calendar application for any date, with no VTIMEZONE
to get wrong (the organiser's zone is named in the description). The UID never changes and SEQUENCE
grows with each change, so applications update the event they have; a cancelled session keeps its
event with STATUS:CANCELLED (and METHOD:CANCEL in its own .ics), so applications remove it.
"""

import hashlib
from datetime import timedelta
import secrets

import icalendar
import sqlalchemy as sa

from hub import permissions
from hub.accounts.models import User
from hub.db import insert_once, utcnow
from hub.extensions import db
from hub.learning_sessions.models import DEFAULT_LEADS, SessionSettings
from hub.learning_sessions.times import UTC
from hub.mail import absolute_url

PRODID = "-//Learning Hub//Learning sessions//EN"


def _calendar(name: str, method: str = "PUBLISH") -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    return calendar


def event(session, reader, registered: bool) -> icalendar.Event:
    """The session as a VEVENT; the online link only where `reader` may see it."""
    link = absolute_url("learning_sessions.show", session_id=session.id)
    item = icalendar.Event()
    item.add("uid", session.uid)
    item.add("sequence", session.sequence)
    item.add("dtstamp", utcnow().astimezone(UTC).replace(microsecond=0))
    item.add("last-modified", (session.updated_at or utcnow()).astimezone(UTC).replace(microsecond=0))
    item.add("dtstart", session.starts_at.astimezone(UTC))
    item.add("dtend", session.ends_at.astimezone(UTC))
    item.add("summary", session.title)
    where = [session.place] if session.place else []
    if session.online_url and permissions.can_see_session_link(reader, session, registered):
        where.append(session.online_url)
    if where:
        item.add("location", " · ".join(where))
    description = "\n\n".join(part for part in (session.description, f"({session.timezone})", link) if part)
    item.add("description", description)
    item.add("url", link)
    item.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
    return item


def session_ics(session, reader, registered: bool) -> bytes:
    """One session's .ics (METHOD:CANCEL once it is cancelled)."""
    calendar = _calendar(session.title, "CANCEL" if session.is_cancelled else "PUBLISH")
    calendar.add_component(event(session, reader, registered))
    return calendar.to_ical()


def feed_ics(name: str, sessions, reader, registered_ids=()) -> bytes:
    """A feed of several sessions (cancelled ones stay, marked, so calendars drop them)."""
    calendar = _calendar(name)
    calendar.add("refresh-interval", timedelta(hours=1), parameters={"VALUE": "DURATION"})
    for session in sessions:
        calendar.add_component(event(session, reader, session.id in registered_ids))
    return calendar.to_ical()


# --- A person's private feed ---------------------------------------------------------------------

def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_feed_token(user) -> str:
    """Make (or replace) the person's private feed token: the old address stops working. Flushes."""
    token = secrets.token_urlsafe(32)
    settings = settings_of(user.id)
    settings.feed_token_hash, settings.feed_created_at = _hash(token), utcnow()
    db.session.flush()
    return token


def revoke_feed(user) -> None:
    """The person's feed address stops working (404); flushes."""
    settings_of(user.id).feed_token_hash = None
    db.session.flush()


def has_feed(user) -> bool:
    return db.session.scalar(sa.select(SessionSettings.feed_token_hash).where(
        SessionSettings.user_id == user.id)) is not None


def owner_of_token(token: str):
    """The person whose feed this token opens, or None (unknown, revoked, or not a token at all)."""
    if not token or len(token) > 100:
        return None
    settings = db.session.scalar(sa.select(SessionSettings).where(SessionSettings.feed_token_hash == _hash(token)))
    if settings is None:
        return None
    person = db.session.get(User, settings.user_id)
    return person if person is not None and person.is_active else None


def settings_of(user_id: int) -> SessionSettings:
    """The person's session settings (created, flushed, when none are saved)."""
    settings = db.session.get(SessionSettings, user_id)
    if settings is None:
        insert_once(db.session, SessionSettings, user_id=user_id, lead_minutes=list(DEFAULT_LEADS))
        settings = db.session.get(SessionSettings, user_id)
    return settings


def content_type() -> str:
    return "text/calendar; charset=utf-8"
