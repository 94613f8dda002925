"""Change over time: two rounds of the map compared cell by cell, and one organisation across every round.

A change is shown only where both cells keep their value under the map's disclosure rule
(hub.survey.disclosure): the difference of two published figures reveals nothing the map does not.
"""

from dataclasses import dataclass

import sqlalchemy as sa

from hub.extensions import db
from hub.survey import capacity_map as cmap
from hub.survey.models import DRAFT, SUBMITTED, Submission, SurveyRound


@dataclass
class Change:
    """One cell of the comparison: the earlier and later averages (None when withheld) and their counts."""

    before: float | None
    after: float | None
    before_count: int
    after_count: int

    @property
    def delta(self) -> float | None:
        """The change, only where both figures are shown."""
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


def compare(earlier: cmap.Grid, later: cmap.Grid) -> dict:
    """{(area, region): Change} over the areas and regions of the later round's grid."""
    return {(area, column): Change(earlier.cell(area, column).value, later.cell(area, column).value,
                                   earlier.cell(area, column).count, later.cell(area, column).count)
            for area in later.rows for column in later.columns}


def largest_changes(changes: dict, limit: int = 5) -> tuple[list, list]:
    """(the largest rises, the largest falls) as (area, region, delta), shown cells only."""
    found = [(area, column, change.delta) for (area, column), change in changes.items()
             if change.delta is not None and abs(change.delta) >= 0.05]
    rises = sorted((f for f in found if f[2] > 0), key=lambda f: -f[2])[:limit]
    falls = sorted((f for f in found if f[2] < 0), key=lambda f: f[2])[:limit]
    return rises, falls


def organisation_history(organisation, rounds) -> list[tuple]:
    """(round, answers) of each round (oldest first) the organisation submitted answers to."""
    rows = db.session.execute(sa.select(Submission.round_id, Submission.answers).where(
        Submission.organisation_id == organisation.id, Submission.status == SUBMITTED))
    answers = dict(rows.all())
    return [(r, answers[r.id]) for r in sorted(rounds, key=lambda r: (r.created_at, r.id)) if r.id in answers]


def area_series(history: list[tuple], questionnaire: dict) -> list[tuple]:
    """(area, [strength in each round of the history, None when unanswered]) for each area of the
    questionnaire given (the latest round's), in its order."""
    return [(area, [cmap.score(answers, prefix, "strength") for _, answers in history])
            for prefix, area in cmap.areas(questionnaire)]


def reopened_count(survey_round: SurveyRound) -> int:
    """How many organisations' answers the secretariat sent back to draft after they were submitted."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Submission).where(
        Submission.round_id == survey_round.id, Submission.status == DRAFT,
        Submission.submitted_at.is_not(None))) or 0
