"""Movement-wide gaps: needs nobody offers, by region and North/South, under the disclosure rule, exported."""

import io

from openpyxl import load_workbook

from hub.extensions import db
from hub.survey import services
from tests.survey.conftest import full_answers
from tests.survey.test_change import row_cells


def answered(submit_answers, create_org, survey_round):
    """Four African organisations need media support; nobody offers media, one Kenyan offers MEL."""
    for country in ("KE", "GH", "SN", "UG"):
        answers = full_answers(strength=1, need="some")
        answers["capacity.media.need"] = "priority"
        submit_answers(create_org(f"Coalition {country}", country), answers=answers)
    helper = full_answers(strength=1, need="none", **{"capacity.mel.strength": 4, "offer.areas": ["mel"]})
    helper["capacity.media.need"] = "some"
    submit_answers(create_org("Helper", "KE"), answers=helper)
    submit_answers(create_org("Peru", "PE"), answers=full_answers(strength=1, need="some"))
    services.close_round(survey_round)
    db.session.commit()


def test_needs_nobody_offers_with_counts(client, auth, create_user, create_org, submit_answers, survey_round):
    answered(submit_answers, create_org, survey_round)
    auth.login(create_user(is_secretariat=True).email)
    html = client.get("/capacity/map/gaps").get_data(as_text=True)
    assert "Media engagement" in html
    assert "Monitoring, evaluation and learning" not in html  # the Kenyan helper offers it
    media = html.split("Media engagement")[1]
    both = row_cells(media, "Both")
    assert both[:2] == ["6", "5"]  # all regions, then Africa: every organisation needs media support
    assert both[3] == "1"  # Latin America


def test_members_see_counts_only_where_the_map_shows_the_cell(client, auth, create_user, create_org,
                                                              submit_answers, survey_round):
    answered(submit_answers, create_org, survey_round)
    auth.login(create_user(organisation=create_org("Europe", "FR")).email)
    html = client.get("/capacity/map/gaps").get_data(as_text=True)
    both = row_cells(html.split("Media engagement")[1], "Both")
    assert both[1] == "5"  # Africa: five organisations
    assert both[3] == "–"  # Peru alone
    assert both[0] == "–"  # a total would give Peru's by subtraction


def test_gaps_wait_for_the_round_to_close(client, auth, create_user, create_org, submit_answers, survey_round):
    answered(submit_answers, create_org, survey_round)
    services.reopen_round(survey_round)
    db.session.commit()
    auth.login(create_user(organisation=create_org("Europe", "FR")).email)
    html = client.get("/capacity/map/gaps").get_data(as_text=True)
    assert "published when it closes" in html and "Media engagement" not in html
    assert "Media" not in client.get(f"/capacity/map/gaps.csv?round={survey_round.id}").get_data(as_text=True)


def test_export_as_csv_and_xlsx_is_formula_safe(client, auth, create_user, create_org, submit_answers, survey_round):
    answered(submit_answers, create_org, survey_round)
    auth.login(create_user(is_secretariat=True).email)
    response = client.get("/capacity/map/gaps.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    text = response.get_data(as_text=True)
    assert "Media engagement,Both,6,5," in text
    book = load_workbook(io.BytesIO(client.get("/capacity/map/gaps.xlsx").data))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:3] == ("Area", "Group", "All regions")
    assert ("Media engagement", "Both", 6, 5) in [row[:4] for row in rows]
    assert all(not (isinstance(c, str) and c.startswith("=")) for row in rows for c in row)
