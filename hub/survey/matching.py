"""Who can help whom: pure functions over organisation profiles, easy to test without a database.

For each need of an organisation — priority needs first, then needs for some support — suggest
organisations with strength >= 3 in that area that offer to share it, ranked by strength, then a shared
working language, then the kind of pair (South–South and North–South before North–North, and pairs in
the same country last). A pairing the helper declined in a round is not suggested again for that area
until the next round (the caller passes it as `excluded`).
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _

from hub.i18n import spoken_language_name
from hub.survey.questionnaire import area_label

HELPER_MIN_STRENGTH = 3
SAME_COUNTRY, NORTH_NORTH, PREFERRED = 0, 1, 2


@dataclass(frozen=True)
class Profile:
    """What matching needs to know about one organisation's answers."""

    id: int
    name: str
    country: str
    north_south: str
    languages: frozenset = frozenset()
    strengths: dict = field(default_factory=dict)
    needs: dict = field(default_factory=dict)
    offers: frozenset = frozenset()
    #: For links to the organisation's page.
    slug: str = ""


@dataclass(frozen=True)
class Suggestion:
    area: str
    seeker: Profile
    helper: Profile
    strength: int
    shared_languages: tuple
    pair: int
    #: 'priority' or 'some': how much the seeker needs it.
    need: str = "priority"

    @property
    def rank_key(self) -> tuple:
        """Sort key: strength, then a shared language, then the kind of pair, then the name."""
        return (-self.strength, -bool(self.shared_languages), -self.pair, self.helper.name.casefold())


def profile_from_answers(org, answers: dict) -> Profile:
    """A Profile from an organisation and its answers (ids like 'capacity.mel.strength')."""
    strengths, needs = {}, {}
    for key, value in answers.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[2] == "strength" and isinstance(value, int):
            strengths[parts[1]] = value
        elif len(parts) == 3 and parts[2] == "need":
            needs[parts[1]] = value
    return Profile(id=org.id, name=org.display_name, country=org.country, north_south=org.north_south,
                   languages=frozenset(org.working_languages or []) | frozenset(answers.get("offer.languages", [])),
                   strengths=strengths, needs=needs, offers=frozenset(answers.get("offer.areas", [])), slug=org.slug)


def pair_kind(seeker: Profile, helper: Profile) -> int:
    """PREFERRED for South–South and North–South pairs, NORTH_NORTH, or SAME_COUNTRY (last)."""
    if seeker.country == helper.country:
        return SAME_COUNTRY
    if seeker.north_south == "north" and helper.north_south == "north":
        return NORTH_NORTH
    return PREFERRED


def priority_needs(profile: Profile) -> list[str]:
    """The areas this organisation marked as a priority need, in a stable order."""
    return sorted(area for area, need in profile.needs.items() if need == "priority")


def can_help(helper: Profile, area: str) -> bool:
    """Strong enough in the area (3 or more) and offering to share it."""
    return helper.strengths.get(area, 0) >= HELPER_MIN_STRENGTH and area in helper.offers


def some_needs(profile: Profile) -> list[str]:
    """The areas this organisation marked as needing some support, in a stable order."""
    return sorted(area for area, need in profile.needs.items() if need == "some")


def suggestions_for_area(seeker: Profile, area: str, candidates, limit: int = 5, excluded=frozenset(),
                         need: str = "priority") -> list[Suggestion]:
    """The best helpers for one need, best first (pairs in `excluded` — (seeker, helper, area) — left out)."""
    found = [Suggestion(area=area, seeker=seeker, helper=helper, strength=helper.strengths[area],
                        shared_languages=tuple(sorted(seeker.languages & helper.languages)),
                        pair=pair_kind(seeker, helper), need=need)
             for helper in candidates if helper.id != seeker.id and can_help(helper, area)
             and (seeker.id, helper.id, area) not in excluded]
    return sorted(found, key=lambda s: s.rank_key)[:limit]


def suggestions(seeker: Profile, candidates, limit: int = 5, excluded=frozenset()) -> dict[str, list[Suggestion]]:
    """{area: [Suggestion, …]} for each priority need of the seeker, then each need for some support."""
    candidates = list(candidates)
    wanted = [(area, "priority") for area in priority_needs(seeker)] + [(area, "some") for area in some_needs(seeker)]
    return {area: suggestions_for_area(seeker, area, candidates, limit, excluded, need) for area, need in wanted}


def needing(helper: Profile, everyone) -> dict[str, int]:
    """{area: how many other organisations need it} for each area the helper can share (priority or some)."""
    counts = {}
    for area in sorted(helper.offers):
        if can_help(helper, area):
            counts[area] = sum(1 for p in everyone if p.id != helper.id and p.needs.get(area) in ("priority", "some"))
    return counts


def explain_ranking() -> str:
    """How suggestions are ordered, in one translated sentence."""
    return _("Priority needs come first, then needs for some support. For each need, organisations are "
             "ranked by their strength in it, then by a shared working language, then South–South and "
             "North–South pairs before North–North ones, and pairs in the same country last. An "
             "organisation that declined an exchange for a need is not suggested again for it in this round.")


def explain(suggestion: Suggestion) -> str:
    """One translated line saying why this organisation is suggested."""
    if suggestion.pair == SAME_COUNTRY:
        pair = _("in the same country")
    elif suggestion.seeker.north_south == suggestion.helper.north_south == "south":
        pair = _("a South–South exchange")
    elif suggestion.pair == PREFERRED:
        pair = _("a North–South exchange")
    else:
        pair = _("a North–North exchange")
    if suggestion.shared_languages:
        names = ", ".join(spoken_language_name(code) for code in suggestion.shared_languages)
        # I18N: one line; %(pair)s is e.g. "a South–South exchange", %(languages)s a list of language names.
        return _("%(org)s rates itself %(strength)d of 4 in %(area)s and offers to share it; "
                 "you both work in %(languages)s; %(pair)s.", org=suggestion.helper.name,
                 strength=suggestion.strength, area=area_label(suggestion.area), languages=names, pair=pair)
    return _("%(org)s rates itself %(strength)d of 4 in %(area)s and offers to share it; "
             "no shared working language; %(pair)s.", org=suggestion.helper.name,
             strength=suggestion.strength, area=area_label(suggestion.area), pair=pair)
