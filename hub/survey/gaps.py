"""Movement-wide gaps: needs for support that no organisation offers to share, by region and North/South.

An area is unmet when organisations need support in it ("some support" or "priority") and no
organisation that answered the round can help (strong, 3 or more, and offering to share it: the
matching's rule). Counts follow the map's disclosure rule: a count of a region, side or both is
shown only where the map would show that cell's average need (the same organisations), and a total
over regions only where every cell it adds up is shown (otherwise the total would give the missing one).
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _

from hub.organisations.countries import NORTH_SOUTH, REGIONS
from hub.survey import capacity_map as cmap
from hub.survey import matching

SIDES = (None, *NORTH_SOUTH)  # None: both sides
TOTAL = "all"


@dataclass
class Gap:
    """One unmet area: {(region or TOTAL, side): count of organisations needing support, or None if withheld}."""

    area: str
    prefix: str
    counts: dict = field(default_factory=dict)

    def count(self, region: str, side) -> int | None:
        """The number of organisations needing support (None: withheld or nobody answered there)."""
        return self.counts.get((region, side))


def unmet_areas(entries, questionnaire) -> list[tuple[str, str]]:
    """(prefix, area) of every area with a need that no organisation in `entries` can help with."""
    profiles = [matching.profile_from_answers(org, answers) for org, answers in entries]
    found = []
    for prefix, area in cmap.areas(questionnaire, with_need=True):
        needed = any(cmap.score(answers, prefix, "need") for _, answers in entries)
        if needed and not any(matching.can_help(p, area) for p in profiles):
            found.append((prefix, area))
    return found


def _cell(entries, prefix, region, side, shown) -> int | None:
    members = [a for org, a in entries if org.region == region and side in (None, org.north_south)]
    scores = [cmap.score(a, prefix, "need") for a in members]
    scores = [s for s in scores if s is not None]
    if not scores or (shown is not None and not shown("need", prefix, region, side)):
        return None
    return sum(1 for s in scores if s > 0)


def movement_gaps(entries, questionnaire, shown=None) -> list[Gap]:
    """The unmet areas with their counts by region and side, under shown(kind, prefix, region, side)."""
    gaps = []
    for prefix, area in unmet_areas(entries, questionnaire):
        gap = Gap(area, prefix)
        for side in SIDES:
            cells = {region: _cell(entries, prefix, region, side, shown) for region in REGIONS}
            gap.counts.update({(region, side): count for region, count in cells.items()})
            answered = {org.region for org, a in entries if side in (None, org.north_south)
                        and cmap.score(a, prefix, "need") is not None}
            if all(cells[region] is not None for region in answered) and answered:
                gap.counts[(TOTAL, side)] = sum(cells[region] for region in answered)
        gaps.append(gap)
    return gaps


def table(gaps: list[Gap]) -> tuple[list, list]:
    """(header, rows) for the CSV and XLSX export: one row per area and side, one column per region."""
    header = [_("Area"), _("Group"), _("All regions")] + [cmap.region_label(r) for r in REGIONS]
    rows = []
    for gap in gaps:
        for side in SIDES:
            label = str(NORTH_SOUTH[side]) if side else _("Both")
            counts = [gap.count(TOTAL, side)] + [gap.count(region, side) for region in REGIONS]
            rows.append([cmap.area_label(gap.area), label] + ["" if c is None else c for c in counts])
    return header, rows
