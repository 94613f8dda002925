"""The attacks on the capacity map's averages, played by members through the map, its CSV and the
profile page: none may recover one organisation's answer (hub.survey.disclosure)."""

import csv
import io
import re

from hub.extensions import db
from hub.survey import services

AREA = "Budget tracking"
SECRET = 4  # the target organisation's strength; everyone else answers 1


def figures(client, **args) -> dict:
    """{(view, side, region): (average or None, number of answers)} for Budget tracking, from the map's CSV."""
    response = client.get("/capacity/map/export.csv", query_string=args)
    assert response.status_code == 200
    found = {}
    for view, side, area, region, average, count in list(csv.reader(io.StringIO(response.get_data(as_text=True))))[1:]:
        if area == AREA:
            found[(view, side, region)] = (float(average) if average else None, int(count))
    return found


def close(*rounds):
    """Figures are published once a round closes (see test_an_open_round_publishes_nothing)."""
    for survey_round in rounds:
        services.close_round(survey_round)
    db.session.commit()


def recovered(first, second) -> float | None:
    """n₁·a₁ − n₂·a₂ when both figures are published (what the difference of two sets sums to)."""
    (a1, n1), (a2, n2) = first, second
    if a1 is None or a2 is None:
        return None
    return n1 * a1 - n2 * a2


def test_a_pair_in_a_region_cannot_read_each_other(client, auth, create_user, create_org, submit_answers,
                                                   survey_round):
    own = create_org("Ours", "KE")
    submit_answers(own, strength=1)
    for country in ("GH", "SN"):
        submit_answers(create_org(f"Coalition {country}", country), strength=SECRET if country == "GH" else 1)
    close(survey_round)
    auth.login(create_user(organisation=own).email)
    # Three in Africa, but only two besides ours: 3·average − ours would give the other two's sum.
    for (view, side, region), (average, count) in figures(client).items():
        assert average is None, (view, side, region)
    profile = client.get(f"/capacity/map/profile/{own.slug}").get_data(as_text=True)
    assert re.search(AREA + r"</th><td>1</td><td>–</td>", profile)
    # With a third other organisation, the region's average appears.
    submit_answers(create_org("Coalition UG", "UG"), strength=1)
    assert figures(client)[("strengths", "south", "Africa")][0] == (1 + SECRET + 1 + 1) / 4


def test_filter_differencing_all_types_against_national_coalitions(client, auth, create_user, create_org,
                                                                   submit_answers, survey_round):
    for country in ("KE", "GH", "SN"):
        submit_answers(create_org(f"National {country}", country, type="national_coalition"), strength=1)
    submit_answers(create_org("Regional network", "UG", type="regional_coalition"), strength=SECRET)
    close(survey_round)
    auth.login(create_user(organisation=create_org("Outsider", "FR")).email)
    every = figures(client)
    national = figures(client, type="national_coalition")
    assert "Every figure is withheld with these choices" in client.get(
        "/capacity/map/?type=national_coalition").get_data(as_text=True)
    for key in every:
        assert recovered(every[key], national[key]) is None, key
    # Through the other side filter, too: the south's all-types cell against its national coalitions.
    south_national = figures(client, type="national_coalition", north_south="south")
    south = figures(client, north_south="south")
    for key in south:
        assert recovered(south[key], south_national.get(key, (None, 0))) is None, key


def test_profile_against_the_map(client, auth, create_user, create_org, submit_answers, survey_round):
    own = create_org("Ours", "KE", type="regional_coalition")
    submit_answers(own, strength=2)
    for country in ("GH", "SN", "UG"):
        submit_answers(create_org(f"National {country}", country, type="national_coalition"), strength=1)
    submit_answers(create_org("International", "TZ", type="international"), strength=SECRET)
    close(survey_round)
    auth.login(create_user(organisation=own).email)
    profile = client.get(f"/capacity/map/profile/{own.slug}").get_data(as_text=True)
    average = re.search(AREA + r"</th><td>2</td><td>([^<]*)</td>", profile).group(1)
    region = (float(average) if average != "–" else None, 5)
    national = figures(client, type="national_coalition")[("strengths", "south", "Africa")]
    # 5·profile average − ours − 3·national average would be the international organisation's answer.
    difference = recovered(region, national)
    assert difference is None or difference - 2 != SECRET


def test_two_rounds_cannot_be_subtracted(client, auth, create_user, create_org, submit_answers, survey_round):
    others = [create_org(f"Coalition {country}", country) for country in ("KE", "GH", "SN")]
    leaver = create_org("Leaver", "UG")
    for org in others:
        submit_answers(org, strength=1)
    submit_answers(leaver, strength=SECRET)
    later = services.open_round("Capacity mapping 2027", None, None, None)
    db.session.commit()
    for org in others:  # the same answers again; the fourth organisation did not answer this time
        submit_answers(org, round_=later, strength=1)
    close(survey_round, later)
    auth.login(create_user(organisation=create_org("Outsider", "FR")).email)
    before = figures(client, round=survey_round.id)
    after = figures(client, round=later.id)
    for key in before:
        assert recovered(before[key], after.get(key, (None, 0))) is None, key
    # One of the two is shown: the rule withholds no more than it must.
    key = ("strengths", "south", "Africa")
    assert (before[key][0] is None) != (after[key][0] is None)


def test_enough_organisations_keep_every_filter(client, auth, create_user, create_org, submit_answers,
                                                survey_round):
    countries = ("KE", "GH", "SN", "UG", "TZ", "NG", "ML", "NE")
    for n, country in enumerate(countries):
        submit_answers(create_org(f"Coalition {country}", country,
                                  type="national_coalition" if n < 4 else "regional_coalition"), strength=n % 5)
    close(survey_round)
    auth.login(create_user(organisation=create_org("Outsider", "FR")).email)
    for args in ({}, {"type": "national_coalition"}, {"type": "regional_coalition"}):
        assert figures(client, **args)[("strengths", "south", "Africa")][0] is not None, args
    auth.logout()
    auth.login(create_user(is_secretariat=True).email)
    html = client.get("/capacity/map/").get_data(as_text=True)
    assert "As the secretariat you see every figure" in html


def test_an_open_round_publishes_nothing(client, auth, create_user, create_org, submit_answers, survey_round):
    """Watching the map before and after one organisation submits would give its answers."""
    for country in ("KE", "GH", "SN"):
        submit_answers(create_org(f"Coalition {country}", country), strength=1)
    auth.login(create_user(organisation=create_org("Outsider", "FR")).email)
    before = figures(client)
    submit_answers(create_org("Latecomer", "UG"), strength=SECRET)
    after = figures(client)
    for key in after:
        assert recovered(after[key], before.get(key, (None, 0))) is None, key
    assert "published when it closes" in client.get("/capacity/map/").get_data(as_text=True)
    close(survey_round)
    assert figures(client)[("strengths", "south", "Africa")][0] == (3 + SECRET) / 4
