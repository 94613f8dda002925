"""Change over time: two rounds compared on the map, an organisation across rounds, reopened answers told."""

import re

import sqlalchemy as sa

from hub.extensions import db
from hub.notifications.models import Notification
from hub.survey import charts, services
from tests.survey.conftest import full_answers


def row_cells(html, area):
    """The texts of the data cells in the first table row headed by `area`."""
    row = re.search(r'<th scope="row">' + re.escape(area) + r"</th>(.*?)</tr>", html, re.S).group(1)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td>(.*?)</td>", row, re.S)]


def two_closed_rounds(submit_answers, create_org):
    """Three Kenyan-region organisations that grew from 1 to 3 in every area, one Peruvian alone."""
    earlier = services.open_round("Mapping 2025", None, None, None)
    later = services.open_round("Mapping 2026", None, None, None)
    db.session.commit()
    orgs = [create_org(f"Coalition {c}", c) for c in ("KE", "GH", "SN")]
    peru = create_org("Peru", "PE")
    for org in orgs:
        submit_answers(org, round_=earlier, strength=1)
        submit_answers(org, round_=later, strength=3)
    submit_answers(peru, round_=earlier, strength=0)
    submit_answers(peru, round_=later, strength=4)
    for r in (earlier, later):
        services.close_round(r)
    db.session.commit()
    return earlier, later, orgs


def test_members_see_the_change_where_both_cells_are_shown(client, auth, create_user, create_org, submit_answers):
    earlier, later, _ = two_closed_rounds(submit_answers, create_org)
    member = create_user(organisation=create_org("Europe", "FR"))
    auth.login(member.email)
    response = client.get(f"/capacity/map/change?round={later.id}&since={earlier.id}")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    africa, latin_america = row_cells(html, "Budget tracking")
    assert africa.startswith("1.0 → 3.0 +2.00")
    # Peru alone in Latin America: neither figure nor the change is shown (4 − 0 would give its answers).
    assert latin_america.startswith("– → – –") and "4.0" not in latin_america
    assert "The largest rises" in html


def test_the_secretariat_sees_every_change_and_a_round_with_itself_is_refused(client, auth, create_user, create_org,
                                                                              submit_answers):
    earlier, later, _ = two_closed_rounds(submit_answers, create_org)
    auth.login(create_user(is_secretariat=True).email)
    html = client.get(f"/capacity/map/change?round={later.id}").get_data(as_text=True)  # since: the round before
    assert row_cells(html, "Budget tracking")[1].startswith("0.0 → 4.0 +4.00")
    needs = client.get(f"/capacity/map/change?round={later.id}&view=needs").get_data(as_text=True)
    assert "Average need (0–2)" in needs
    same = client.get(f"/capacity/map/change?round={later.id}&since={later.id}").get_data(as_text=True)
    assert "Choose two different rounds to compare" in same
    assert client.get(f"/capacity/map/change?round={later.id}&since=99999").status_code == 404
    assert client.get(f"/capacity/map/change?round={later.id}&since=abc").status_code in (200, 400)


def test_an_open_round_is_not_compared_for_members(client, auth, create_user, create_org, submit_answers):
    earlier, later, _ = two_closed_rounds(submit_answers, create_org)
    services.reopen_round(later)
    db.session.commit()
    auth.login(create_user(organisation=create_org("Europe", "FR")).email)
    html = client.get(f"/capacity/map/change?round={later.id}&since={earlier.id}").get_data(as_text=True)
    assert "published when it closes" in html
    assert row_cells(html, "Budget tracking")[0].startswith("1.0 → – –")


def test_a_profile_shows_each_area_across_rounds(client, auth, create_user, create_org, submit_answers):
    earlier, later, orgs = two_closed_rounds(submit_answers, create_org)
    focal = create_user(organisation=orgs[0], is_focal_point=True)
    auth.login(focal.email)
    html = client.get(f"/capacity/map/profile/{orgs[0].slug}?round={later.id}").get_data(as_text=True)
    trend = html.split("Across rounds")[1]
    assert 'aria-labelledby="chart-trend-title"' in trend and "<title id=\"chart-trend-title\">" in trend
    assert "Mapping 2025" in trend and "Mapping 2026" in trend
    assert row_cells(trend, "Budget tracking") == ["1", "3", "+2"]


def test_reopening_tells_the_focal_point_in_their_language_and_the_map_counts_it(
        client, auth, create_user, create_org, survey_round, submit_answers, outbox):
    org = create_org("Coalition sénégalaise", "SN")
    focal = create_user(organisation=org, is_focal_point=True, locale="fr")
    submit_answers(org)
    secretariat = create_user(is_secretariat=True)
    auth.login(secretariat.email)
    assert client.post(f"/capacity/rounds/{survey_round.id}/answers/{org.slug}/reopen").status_code == 302
    notice = db.session.scalar(sa.select(Notification).where(Notification.recipient_id == focal.id))
    assert notice.kind == "answers_reopened" and notice.title == survey_round.title
    message = outbox.last_to(focal.email)
    assert message["Content-Language"] == "fr"
    assert f"/capacity/rounds/{survey_round.id}/answers/{org.slug}/edit" in message.get_body(("plain",)).get_content()
    html = client.get(f"/capacity/map/?round={survey_round.id}").get_data(as_text=True)
    assert "1 organisation&#39;s answers are reopened" in html or "1 organisation's answers are reopened" in html
    submit_answers(create_org("Other", "KE"), answers=full_answers())
    assert "reopened" in client.get(f"/capacity/map/?round={survey_round.id}").get_data(as_text=True)


def test_the_trend_chart_is_mirrored_for_right_to_left_readers(app):
    series = [("budget_tracking", [1, None, 3])]
    with app.test_request_context():
        ltr = charts.trend_lines(series, ["Mapping 2024", "Mapping 2025", "Mapping 2026"], "T", "c")
        rtl = charts.trend_lines(series, ["Mapping 2024", "Mapping 2025", "Mapping 2026"], "T", "c", rtl=True)
    # Two points (the round without an answer breaks the line), the first round leftmost, or rightmost in RTL.
    assert ltr.count("<circle") == 2 and 'stroke-width="2"' not in ltr
    def xs(svg):
        return [float(part.split('"')[0]) for part in svg.split('<circle cx="')[1:]]
    assert xs(ltr)[0] < xs(ltr)[1] and xs(rtl)[0] > xs(rtl)[1]
    assert 'role="img"' in rtl and 'aria-labelledby="c-title"' in rtl
