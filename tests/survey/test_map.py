"""The capacity map: averages by region, North and South, needs, gaps, profiles, right-to-left, CSV."""

import re

from hub.extensions import db
from hub.survey import services


def table_cell(html, area, column_index):
    """The text of one data cell in the first table row headed by `area`."""
    row = re.search(r'<th scope="row">' + re.escape(area) + r"</th>(.*?)</tr>", html, re.S).group(1)
    return re.sub(r"<[^>]+>", "", re.findall(r"<td>(.*?)</td>", row, re.S)[column_index]).strip()


def test_a_round_with_no_answers_says_so(client, auth, create_user, survey_round):
    auth.login(create_user().email)
    for view in ("strengths", "needs", "gaps"):
        response = client.get(f"/capacity/map/?view={view}")
        assert response.status_code == 200
        assert "No organisation has submitted answers matching these choices yet" in response.get_data(as_text=True)
    assert client.get("/capacity/map/export.csv").status_code == 200


def test_map_without_any_round(client, auth, create_user):
    auth.login(create_user().email)
    assert "No survey round has been opened yet" in client.get("/capacity/map/").get_data(as_text=True)


def test_averages_by_region_north_and_south_side_by_side(client, auth, create_user, create_org, submit_answers):
    secretariat = create_user(is_secretariat=True)
    submit_answers(create_org("Kenya", "KE"), strength=1)
    submit_answers(create_org("Ghana", "GH"), strength=2)
    submit_answers(create_org("France", "FR"), strength=4)
    submit_answers(create_org("Spain", "ES"), strength=3)
    create_user(organisation=create_org("Draft only", "NG"))  # no answers: not counted
    auth.login(secretariat.email)
    html = client.get("/capacity/map/").get_data(as_text=True)
    assert "Based on 4 organisations" in html
    assert html.count("<svg") == 2 and "Global North" in html and "Global South" in html
    north, south = html.split("<figcaption><h2>Global South")
    # Each side shows the regions it has answers from: Africa for the South, Europe for the North.
    assert ">Africa</th>" in south and ">Africa</th>" not in north
    assert table_cell(south, "Budget tracking", 0).startswith("1.5")
    assert table_cell(north, "Budget tracking", 0).startswith("3.5")


def test_members_see_aggregates_but_not_a_single_organisations_cell(client, auth, create_user, create_org,
                                                                    submit_answers, survey_round):
    member = create_user(organisation=create_org("Europe", "FR"))
    for country, strength in (("KE", 1), ("GH", 3), ("SN", 2)):
        submit_answers(create_org(f"Coalition {country}", country), strength=strength)
    submit_answers(create_org("Peru", "PE"), strength=4)  # alone in Latin America
    services.close_round(survey_round)
    db.session.commit()
    auth.login(member.email)
    html = client.get("/capacity/map/?north_south=south").get_data(as_text=True)
    south = html.split("<figcaption><h2>Global South")[1]
    assert table_cell(south, "Budget tracking", 0).startswith("2.0")
    assert table_cell(south, "Budget tracking", 1).startswith("–")  # one answer (Latin America): hidden
    assert "4.0" not in table_cell(south, "Budget tracking", 1)
    assert "at least 3 organisations besides your own" in html


def test_needs_and_gaps(client, auth, create_user, create_org, submit_answers):
    secretariat = create_user(is_secretariat=True)
    submit_answers(create_org("Kenya", "KE"), strength=0, need="priority")
    submit_answers(create_org("Ghana", "GH"), strength=0, need="priority")
    submit_answers(create_org("France", "FR"), strength=4, need="none")
    auth.login(secretariat.email)
    needs = client.get("/capacity/map/?view=needs").get_data(as_text=True).split("Global South")[-1]
    assert table_cell(needs, "Media engagement", 0).startswith("2.0")
    gaps = client.get("/capacity/map/?view=gaps").get_data(as_text=True)
    assert table_cell(gaps, "Media engagement", 0).startswith("1.00")
    assert table_cell(gaps, "Media engagement", 4).startswith("0.00")
    assert "The widest gaps" in gaps and "Media engagement in Africa" in gaps


def test_filters_by_type_and_region(client, auth, create_user, create_org, submit_answers):
    secretariat = create_user(is_secretariat=True)
    submit_answers(create_org("Kenya", "KE", type="national_coalition"), strength=1)
    submit_answers(create_org("Africa net", "SN", type="regional_coalition"), strength=3)
    auth.login(secretariat.email)
    html = client.get("/capacity/map/?type=regional_coalition").get_data(as_text=True)
    assert "Based on 1 organisation" in html and "No answers from this group with these choices." in html
    assert table_cell(html.split("Global South")[-1], "Budget tracking", 0).startswith("3.0")
    assert "nothing to average" in client.get("/capacity/map/?region=mena").get_data(as_text=True)


def test_earlier_rounds_stay_on_the_map(client, auth, create_user, create_org, submit_answers, survey_round):
    secretariat = create_user(is_secretariat=True)
    kenya = create_org("Kenya", "KE")
    submit_answers(kenya, strength=1)
    later = services.open_round("Capacity mapping 2027", None, None, None)
    db.session.commit()
    submit_answers(kenya, round_=later, strength=3)
    auth.login(secretariat.email)
    latest = client.get("/capacity/map/").get_data(as_text=True).split("Global South")[-1]
    first = client.get(f"/capacity/map/?round={survey_round.id}").get_data(as_text=True).split("Global South")[-1]
    assert table_cell(latest, "Budget tracking", 0).startswith("3.0")
    assert table_cell(first, "Budget tracking", 0).startswith("1.0")
    assert client.get("/capacity/map/?round=999").status_code == 404


def test_arabic_map_is_mirrored(client, auth, create_user, create_org, submit_answers):
    secretariat = create_user(is_secretariat=True, locale="ar")
    submit_answers(create_org("Kenya", "KE"), strength=1)
    auth.login(secretariat.email)
    html = client.get("/capacity/map/").get_data(as_text=True)
    assert 'dir="rtl"' in html
    svg = re.search(r"<svg.*?</svg>", html, re.S).group(0)
    # The first region (Africa) is drawn rightmost; the area labels sit on the right.
    heads = [float(x) for x in re.findall(r'<text x="([\d.]+)" y="20"', svg)]
    assert heads == sorted(heads, reverse=True)


def test_map_csv(client, auth, create_user, create_org, submit_answers, survey_round):
    submit_answers(create_org("Kenya", "KE"), strength=1)
    submit_answers(create_org("Ghana", "GH"), strength=3)
    submit_answers(create_org("Senegal", "SN"), strength=2)
    services.close_round(survey_round)
    db.session.commit()
    auth.login(create_user().email)
    response = client.get("/capacity/map/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert "strengths,south,Budget tracking,Africa,2.0,3" in text
    assert "gaps,all,Budget tracking,Africa" in text


def test_profile_against_region(client, auth, create_user, create_org, submit_answers, survey_round):
    member = create_user(organisation=create_org("Kenya", "KE"))
    submit_answers(member.organisation, strength=4)
    for country in ("GH", "SN", "UG"):
        submit_answers(create_org(f"Coalition {country}", country), strength=2)
    services.close_round(survey_round)
    db.session.commit()
    auth.login(member.email)
    response = client.get(f"/capacity/map/profile/{member.organisation.slug}")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "<svg" in html
    assert re.search(r"Budget tracking</th><td>4</td><td>2.5</td>", html)
    other = create_org("Elsewhere", "UG")
    db.session.commit()
    assert client.get(f"/capacity/map/profile/{other.slug}").status_code == 404


def test_map_and_round_pages_do_not_query_per_organisation(client, auth, create_user, create_org, submit_answers,
                                                          survey_round, count_queries):
    auth.login(create_user(is_secretariat=True).email)
    pages = ("/capacity/map/", "/capacity/map/?view=gaps", f"/capacity/rounds/{survey_round.id}")

    def queries():
        found = []
        for page in pages:
            with count_queries() as n:
                assert client.get(page).status_code == 200
            found.append(n())
        return found
    submit_answers(create_org("Kenya", "KE"))
    few = queries()
    for country in ("GH", "SN", "FR", "BR", "PE", "JO"):
        submit_answers(create_org(f"Coalition {country}", country))
    assert queries() == few


def test_profile_shows_change_since_the_previous_round(client, auth, create_user, create_org, submit_answers,
                                                       survey_round):
    member = create_user(organisation=create_org("Kenya", "KE"))
    submit_answers(member.organisation, strength=1)
    later = services.open_round("Capacity mapping 2027", None, None, None)
    db.session.commit()
    submit_answers(member.organisation, round_=later, strength=3)
    auth.login(member.email)
    html = client.get(f"/capacity/map/profile/{member.organisation.slug}?round={later.id}").get_data(as_text=True)
    assert "Kenya in Capacity mapping 2026" in html
    # Alone in its region: the "average" would be its own answer, so it is not shown as one.
    assert re.search(r"Budget tracking</th><td>3</td><td>–</td>\s*<td>1</td>", html)


def test_the_map_follows_a_change_of_answers_and_the_viewer(client, auth, create_user, create_org, submit_answers):
    # The figures are kept between requests (hub/survey/memo.py): a new or changed answer shows at once,
    # and the secretariat's unsuppressed figures never reach a member.
    secretariat = create_user(is_secretariat=True)
    for country, strength in (("KE", 1), ("GH", 3)):
        submit_answers(create_org(f"Coalition {country}", country), strength=strength)
    auth.login(secretariat.email)
    south = client.get("/capacity/map/").get_data(as_text=True).split("<figcaption><h2>Global South")[1]
    assert table_cell(south, "Budget tracking", 0).startswith("2.0")
    late = submit_answers(create_org("Coalition SN", "SN"), strength=4)
    html = client.get("/capacity/map/").get_data(as_text=True)
    assert "Based on 3 organisations" in html
    assert table_cell(html.split("<figcaption><h2>Global South")[1], "Budget tracking", 0).startswith("2.7")
    late.answers = {**late.answers, "capacity.budget_tracking.strength": 1}
    db.session.commit()
    south = client.get("/capacity/map/").get_data(as_text=True).split("<figcaption><h2>Global South")[1]
    assert table_cell(south, "Budget tracking", 0).startswith("1.7")
    auth.logout()
    auth.login(create_user(organisation=create_org("Europe", "FR")).email)
    html = client.get("/capacity/map/").get_data(as_text=True)  # an open round: nothing published to members
    assert "published when it closes" in html
    assert table_cell(html.split("<figcaption><h2>Global South")[1], "Budget tracking", 0).startswith("–")
