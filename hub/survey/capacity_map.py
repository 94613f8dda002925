"""The numbers behind the capacity map: averages by area and region, North and South, needs and gaps.

Pure functions over (organisation, answers) pairs, plus one loader. A cell with no answers has no
value (never a division by zero). For anyone but the secretariat, a `shown` callable from
hub.survey.disclosure decides which cells keep their value (at least three organisations besides the
viewer's own, and no combination with another figure isolating fewer): the others show an en dash.
"""

from dataclasses import dataclass, field

import sqlalchemy as sa

from hub.extensions import db
from hub.organisations.countries import NORTH_SOUTH, REGIONS
from hub.organisations.models import Organisation
from hub.survey import questionnaire as q
from hub.survey.models import SUBMITTED, Submission

NEED_SCORE = {"none": 0, "some": 1, "priority": 2}
FILTER_KEYS = ("region", "type", "north_south")


@dataclass
class Cell:
    value: float | None
    count: int


@dataclass
class Grid:
    """A heat map: rows are areas, columns are regions; values from 0 to maximum."""

    rows: list
    columns: list
    maximum: float
    cells: dict = field(default_factory=dict)

    def cell(self, row, column) -> Cell:
        """The cell for an area and a region (empty when nobody answered)."""
        return self.cells.get((row, column), Cell(None, 0))

    @property
    def is_empty(self) -> bool:
        """True when no cell has a value."""
        return all(c.value is None for c in self.cells.values())


def load_entries(survey_round, filters: dict) -> list[tuple]:
    """(organisation, answers) of each listed organisation that submitted, within the filters."""
    query = (sa.select(Organisation, Submission.answers).join(Submission, Submission.organisation_id == Organisation.id)
             .where(Submission.round_id == survey_round.id, Submission.status == SUBMITTED,
                    Organisation.status == "active", Organisation.deleted_at.is_(None)))
    for key in FILTER_KEYS:
        if filters.get(key):
            query = query.where(getattr(Organisation, key) == filters[key])
    return [(org, answers) for org, answers in db.session.execute(query.order_by(Organisation.name))]


def areas(questionnaire: dict, with_need: bool = False) -> list[tuple[str, str]]:
    """(question-id prefix, area) of every area with a strength (or a need) question, in order."""
    suffix = ".need" if with_need else ".strength"
    return [(qn["id"].rsplit(".", 1)[0], qn["area"]) for qn in q.questions(questionnaire)
            if "area" in qn and qn["id"].endswith(suffix)]


def score(answers: dict, prefix: str, kind: str):
    """An organisation's number for one area: strength 0–4 or need 0–2 (None when unanswered)."""
    value = answers.get(f"{prefix}.{kind}")
    if kind == "need":
        return NEED_SCORE.get(value)
    return value if isinstance(value, int) else None


def _average(values) -> Cell:
    values = [v for v in values if v is not None]
    return Cell(sum(values) / len(values) if values else None, len(values))


def grid(entries, questionnaire, kind: str, group=lambda org: org.region, columns=None, shown=None,
         side=None) -> Grid:
    """Average strength (kind='strength') or need (kind='need') by area × region; a cell whose
    shown(kind, prefix, region, side) is false keeps its count but loses its value."""
    rows = areas(questionnaire, with_need=kind == "need")
    columns = list(REGIONS) if columns is None else columns
    result = Grid(rows=[area for _, area in rows], columns=columns, maximum=4 if kind == "strength" else 2)
    for prefix, area in rows:
        for column in columns:
            cell = _average(score(a, prefix, kind) for org, a in entries if group(org) == column)
            if shown is not None and cell.count and not shown(kind, prefix, column, side):
                cell = Cell(None, cell.count)
            result.cells[(area, column)] = cell
    return result


def north_south_grids(entries, questionnaire, kind: str, shown=None) -> dict[str, Grid]:
    """{'north': Grid, 'south': Grid}: the same heat map for each side, with only the regions it has answers from."""
    grids = {}
    for side in NORTH_SOUTH:
        own = [(o, a) for o, a in entries if o.north_south == side]
        present = {o.region for o, _ in own}
        columns = [key for key in REGIONS if key in present]
        grids[side] = grid(own, questionnaire, kind, columns=columns, shown=shown, side=side)
    return grids


def gap_grid(entries, questionnaire, shown=None, side=None) -> Grid:
    """Where needs are high and strengths in the region low: need/2 × (1 − strength/4), from 0 to 1
    (shown only where both averages are)."""
    strengths = grid(entries, questionnaire, "strength", shown=shown, side=side)
    needs = grid(entries, questionnaire, "need", shown=shown, side=side)
    result = Grid(rows=needs.rows, columns=needs.columns, maximum=1)
    for (area, column), need in needs.cells.items():
        strength = strengths.cell(area, column)
        if need.value is None or strength.value is None:
            result.cells[(area, column)] = Cell(None, need.count)
        else:
            result.cells[(area, column)] = Cell(need.value / 2 * (1 - strength.value / 4), need.count)
    return result


def top_gaps(gaps: Grid, limit: int = 10) -> list[tuple]:
    """(area, region, index) of the widest gaps, widest first."""
    found = [(area, column, cell.value) for (area, column), cell in gaps.cells.items()
             if cell.value is not None and cell.value > 0]
    return sorted(found, key=lambda item: -item[2])[:limit]


def profile(organisation, answers: dict, entries, questionnaire, shown=None) -> list[tuple]:
    """(area, the organisation's strength, its region's average or None) for each area; the average is
    the map's cell for the region, both sides and every type, under the same shown(…) rule."""
    peers = [a for org, a in entries if org.region == organisation.region]
    rows = []
    for prefix, area in areas(questionnaire):
        average = _average(score(a, prefix, "strength") for a in peers).value
        if shown is not None and not shown("strength", prefix, organisation.region, None):
            average = None
        rows.append((area, score(answers, prefix, "strength"), average))
    return rows


def region_label(key: str) -> str:
    """A region's name in the reader's language."""
    return str(REGIONS.get(key, key))


def area_label(key: str) -> str:
    """A theme's or capacity's name in the reader's language."""
    return q.area_label(key)
