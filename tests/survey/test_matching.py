"""The matching rules, on plain profiles (no database)."""

from flask_babel import force_locale

from hub.survey.matching import (NORTH_NORTH, PREFERRED, SAME_COUNTRY, Profile, explain, pair_kind,
                                 priority_needs, profile_from_answers, suggestions)


def org(id, country="KE", side="south", languages=("en",), strengths=None, needs=None, offers=None, name=None):
    strengths = strengths or {}
    return Profile(id=id, name=name or f"Org {id}", country=country, north_south=side,
                   languages=frozenset(languages), strengths=strengths, needs=needs or {},
                   offers=frozenset(offers if offers is not None else strengths))


SEEKER = org(1, "SN", "south", ("fr",), needs={"budget_tracking": "priority", "media": "some"})


def test_priority_needs_first_then_some_support():
    assert priority_needs(SEEKER) == ["budget_tracking"]
    helper = org(2, strengths={"budget_tracking": 4, "media": 4})
    found = suggestions(SEEKER, [SEEKER, helper])
    assert list(found) == ["budget_tracking", "media"]
    assert [s.need for s in found["budget_tracking"]] == ["priority"] and found["media"][0].need == "some"


def test_a_declined_pairing_is_not_suggested_again_for_that_area():
    helper, other = org(2, strengths={"budget_tracking": 4, "media": 4}), org(3, strengths={"budget_tracking": 3})
    found = suggestions(SEEKER, [helper, other], excluded={(1, 2, "budget_tracking")})
    assert [s.helper.id for s in found["budget_tracking"]] == [3]
    assert [s.helper.id for s in found["media"]] == [2]  # still suggested for the other need


def test_the_ranking_is_explained():
    from hub.survey.matching import explain_ranking
    with force_locale("en"):
        assert "Priority needs come first" in explain_ranking()


def test_helpers_need_strength_3_and_an_offer_to_share():
    weak = org(2, strengths={"budget_tracking": 2})
    not_offering = org(3, strengths={"budget_tracking": 4}, offers=[])
    good = org(4, strengths={"budget_tracking": 3})
    found = suggestions(SEEKER, [weak, not_offering, good])["budget_tracking"]
    assert [s.helper.id for s in found] == [4]


def test_never_suggests_itself():
    seeker = org(1, needs={"mel": "priority"}, strengths={"mel": 4})
    assert suggestions(seeker, [seeker])["mel"] == []


def test_ranked_by_strength_then_language_then_pair():
    same_country_4 = org(2, "SN", "south", ("fr",), {"budget_tracking": 4}, name="A")
    south_3_french = org(3, "CD", "south", ("fr",), {"budget_tracking": 3}, name="B")
    north_3_french = org(4, "FR", "north", ("fr",), {"budget_tracking": 3}, name="C")
    south_3_english = org(5, "KE", "south", ("en",), {"budget_tracking": 3}, name="D")
    north_4_english = org(6, "GB", "north", ("en",), {"budget_tracking": 4}, name="E")
    found = suggestions(SEEKER, [south_3_english, north_3_french, south_3_french, north_4_english,
                                 same_country_4])["budget_tracking"]
    # Strength first: both 4s lead; among them the shared language wins over the foreign one.
    assert [s.helper.id for s in found] == [2, 6, 3, 4, 5]


def test_same_country_comes_after_other_pairs_when_all_else_is_equal():
    same = org(2, "SN", "south", ("fr",), {"budget_tracking": 4}, name="A")
    south_south = org(3, "ML", "south", ("fr",), {"budget_tracking": 4}, name="Z")
    north_south = org(4, "BE", "north", ("fr",), {"budget_tracking": 4}, name="Y")
    found = suggestions(SEEKER, [same, south_south, north_south])["budget_tracking"]
    assert [s.helper.id for s in found] == [4, 3, 2]  # preferred pairs (by name), same country last


def test_pair_kinds():
    north_seeker = org(9, "DE", "north")
    assert pair_kind(SEEKER, org(2, "SN")) == SAME_COUNTRY
    assert pair_kind(SEEKER, org(2, "KE", "south")) == PREFERRED
    assert pair_kind(SEEKER, org(2, "FR", "north")) == PREFERRED
    assert pair_kind(north_seeker, org(2, "FR", "north")) == NORTH_NORTH
    assert pair_kind(north_seeker, org(2, "KE", "south")) == PREFERRED


def test_at_most_five_suggestions_per_need():
    helpers = [org(i, "KE", strengths={"budget_tracking": 4}) for i in range(2, 12)]
    assert len(suggestions(SEEKER, helpers)["budget_tracking"]) == 5


def test_profile_from_answers_reads_strengths_needs_offers_and_languages(app, create_org):
    organisation = create_org("Coalition", "SN", working_languages=["fr"])
    profile = profile_from_answers(organisation, {
        "capacity.mel.strength": 4, "capacity.mel.need": "none", "theme.gender.strength": 1,
        "capacity.media.need": "priority", "offer.areas": ["mel"], "offer.languages": ["en"]})
    assert profile.strengths == {"mel": 4, "gender": 1}
    assert profile.needs == {"mel": "none", "media": "priority"}
    assert profile.offers == {"mel"} and profile.languages == {"fr", "en"}
    assert profile.north_south == "south"


def test_explanation_is_one_translated_line(app):
    helper = org(4, "FR", "north", ("fr",), {"budget_tracking": 4}, name="Coalition Éducation")
    suggestion = suggestions(SEEKER, [helper])["budget_tracking"][0]
    with app.test_request_context():
        line = explain(suggestion)
        assert "Coalition Éducation" in line and "4 of 4" in line and "Budget tracking" in line
        assert "North–South" in line and "\n" not in line
        with force_locale("fr"):
            assert "Coalition Éducation" in explain(suggestion)
    south = suggestions(SEEKER, [org(5, "KE", "south", ("en",), {"budget_tracking": 3})])["budget_tracking"][0]
    with app.test_request_context():
        assert "South–South" in explain(south) and "no shared working language" in explain(south)
