"""Disclosure control: which averages of the capacity survey a viewer other than the secretariat sees.

The rule (the map page states it too):

1. Primary suppression. An average is shown only when it rests on at least MIN_GROUP (3)
   organisations besides the viewer's own: the viewer knows their own answers, so their organisation
   never counts toward what they see.
2. Secondary suppression. No two or more figures the viewer can obtain — the map's cells under any
   filter (type, Global North or South, region), its CSV, the profile page's "average of the region",
   and the same cells in every other round — may be combined to work out the answers of fewer than
   MIN_GROUP organisations. A filter whose complement would be too small (all types minus national
   coalitions leaving one or two organisations, say) is withheld for that cell: an en dash.
3. Publication at close. A round's figures are published once it closes (closed, or past its closing
   date), never while answers arrive one by one: the map watched before and after one organisation
   submits would give that organisation's answers.

How. Every figure is the average of one area's answers over one set of organisations; how many
organisations answered is public, so each figure gives that set's *sum*. Organisations that fall in
exactly the same sets form an atom (same region, side, type and rounds answered); the viewer's own
organisation is an atom of its own, known to them. Figures are admitted coarsest first (both sides
and all types, then one side or one type, then both), newest round first; a figure is admitted only
if, with those already admitted and the viewer's own answers, no linear combination of them is
carried by fewer than MIN_GROUP organisations (exact arithmetic modulo a large prime). Rounds are
treated as one set of unknowns: an attacker may assume an organisation answered two rounds alike,
so the same cell in two rounds differing by one organisation is a leak like any other.
"""

from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa

from hub.extensions import db
from hub.organisations.models import ORGANISATION_TYPES, Organisation
from hub.organisations.countries import NORTH_SOUTH, REGIONS
from hub.survey.capacity_map import score
from hub.survey.models import CLOSED, SUBMITTED, Submission, SurveyRound

MIN_GROUP = 3
_P = 2_305_843_009_213_693_951  # the Mersenne prime 2^61 − 1: exact elimination on small integers


def is_published(survey_round, today: date | None = None) -> bool:
    """Whether the round's figures are shown beyond the secretariat: once it stops taking answers."""
    today = today or date.today()
    return survey_round.status == CLOSED or (survey_round.closes_on is not None and survey_round.closes_on < today)


@dataclass(frozen=True)
class Figure:
    """One publishable average: an area's strength or need, in a round, over region × side × type."""

    kind: str
    prefix: str
    round_id: int
    region: str
    side: str | None = None  # None: both sides
    type: str | None = None  # None: every type


class Span:
    """The figures admitted so far, as a row-echelon basis over atoms, with each small atom's residue."""

    def __init__(self, sizes: list[int], known: set[int]):
        self.n, self.sizes, self.basis = len(sizes), sizes, []
        #: atom → its unit vector reduced by the basis; an atom whose residue is zero is revealed.
        self.residues = {a: self._unit(a) for a, size in enumerate(sizes) if size < MIN_GROUP and a not in known}
        for a in known:
            assert self.admit(self._unit(a), check=False)

    def _unit(self, a: int) -> list[int]:
        vector = [0] * self.n
        vector[a] = 1
        return vector

    def _reduce(self, vector: list[int]) -> list[int]:
        vector = list(vector)
        for pivot, row in self.basis:
            if factor := vector[pivot]:
                vector = [(v - factor * r) % _P for v, r in zip(vector, row)]
        return vector

    def admit(self, vector: list[int], check: bool = True) -> bool:
        """Add a figure (its atoms' indicator) if no combination then isolates < MIN_GROUP organisations."""
        row = self._reduce(vector)
        pivot = next((i for i, v in enumerate(row) if v), None)
        if pivot is None:
            return True  # already derivable from what is shown: it adds nothing
        inverse = pow(row[pivot], _P - 2, _P)
        row = [v * inverse % _P for v in row]
        residues = {a: [(v - r[pivot] * w) % _P for v, w in zip(r, row)] if r[pivot] else r
                    for a, r in self.residues.items()}
        if check and not self._safe(residues):
            return False
        self.basis.append((pivot, row))
        self.residues = residues
        return True

    def _safe(self, residues: dict) -> bool:
        """No atom of one or two organisations, nor two atoms of one, is determined by the span."""
        singles = {}
        for a, r in residues.items():
            lead = next((v for v in r if v), None)
            if lead is None:
                return False
            if self.sizes[a] == 1:
                inverse = pow(lead, _P - 2, _P)
                canonical = tuple(v * inverse % _P for v in r)
                if canonical in singles:
                    return False  # some combination of the two alone is known
                singles[canonical] = a
        return True


def _candidates(round_ids, regions):
    """Every figure the pages could show, coarsest first (both sides and all types), newest round first."""
    levels = [[(None, None)], [(side, None) for side in NORTH_SOUTH] + [(None, t) for t in ORGANISATION_TYPES],
              [(side, t) for side in NORTH_SOUTH for t in ORGANISATION_TYPES]]
    for level in levels:
        for round_id in round_ids:
            for region in regions:
                for side, type_ in level:
                    yield round_id, region, side, type_


class Disclosure:
    """What one viewer may see of every round's averages (built once per request)."""

    def __init__(self, viewer_org_id: int | None):
        self.viewer_org_id = viewer_org_id
        self.rounds = [r for r in db.session.scalars(sa.select(SurveyRound).order_by(
            SurveyRound.created_at.desc(), SurveyRound.id.desc())) if is_published(r)]
        rows = db.session.execute(
            sa.select(Organisation.id, Organisation.region, Organisation.north_south, Organisation.type,
                      Submission.round_id, Submission.answers)
            .join(Submission, Submission.organisation_id == Organisation.id)
            .where(Submission.status == SUBMITTED, Organisation.status == "active",
                   Organisation.deleted_at.is_(None), Organisation.region.is_not(None)))
        self.orgs, self.answers, published = {}, {}, {r.id for r in self.rounds}
        for org_id, region, side, type_, round_id, answers in rows:
            if round_id not in published:
                continue
            self.orgs[org_id] = (region, side, type_)
            self.answers[(org_id, round_id)] = answers
        self._admitted, self._memo = {}, {}

    def shown(self, figure: Figure) -> bool:
        """Whether this viewer may see the figure (see the module docstring)."""
        key = (figure.kind, figure.prefix)
        if key not in self._admitted:
            self._admitted[key] = self._admit_area(*key)
        return (figure.round_id, figure.region, figure.side, figure.type) in self._admitted[key]

    def _admit_area(self, kind: str, prefix: str) -> set:
        answered = {}
        for (org_id, round_id), answers in self.answers.items():
            if score(answers, prefix, kind) is not None:
                answered.setdefault(org_id, set()).add(round_id)
        atoms = {}
        for org_id, round_ids in answered.items():
            key = (*self.orgs[org_id], frozenset(round_ids), org_id if org_id == self.viewer_org_id else None)
            atoms[key] = atoms.get(key, 0) + 1
        signature = tuple(sorted(atoms.items(), key=repr))
        if signature not in self._memo:
            self._memo[signature] = self._admit(list(atoms.items()))
        return self._memo[signature]

    def _admit(self, atoms: list) -> set:
        keys = [key for key, _ in atoms]
        known = {i for i, key in enumerate(keys) if key[4] is not None}
        span, admitted = Span([size for _, size in atoms], known), set()
        for round_id, region, side, type_ in _candidates([r.id for r in self.rounds], REGIONS):
            members = [i for i, (r, s, t, rounds, _) in enumerate(keys)
                       if round_id in rounds and r == region and side in (None, s) and type_ in (None, t)]
            others = sum(atoms[i][1] for i in members if i not in known)
            if others < MIN_GROUP:
                continue  # primary suppression (an empty cell shows nothing anyway)
            vector = [0] * len(keys)
            for i in members:
                vector[i] = 1
            if span.admit(vector):
                admitted.add((round_id, region, side, type_))
        return admitted

