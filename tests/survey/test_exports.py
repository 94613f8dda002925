"""Exports of a round: CSV and XLSX with every answer, formulas escaped; only for the secretariat."""

import csv
import io

from openpyxl import load_workbook

from tests.survey.conftest import full_answers

NASTY = {"open.blockers": "=HYPERLINK(\"http://evil.example\")", "open.innovation": "+1+1",
         "offer.contact": "@admin", "open.best_practice": "-2 then more"}


def test_csv_has_one_row_per_organisation_and_escapes_formulas(client, auth, create_user, create_org,
                                                              submit_answers, survey_round):
    secretariat = create_user(is_secretariat=True)
    submit_answers(create_org("=Evil coalition", "KE"), full_answers(strength=3, **NASTY))
    submit_answers(create_org("Ghana", "GH"), full_answers(strength=1, **{"offer.formats": ["mentoring", "webinar"]}))
    auth.login(secretariat.email)
    response = client.get(f"/capacity/rounds/{survey_round.id}/export.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    header, body = rows[0], rows[1:]
    assert len(body) == 2
    assert any(h.startswith("capacity.mel.need") for h in header)
    assert len(header) == 7 + 12 * 2 + 11 * 3 + 5 + 3  # organisation facts + every question
    evil = next(r for r in body if "Evil" in r[0])
    assert evil[0] == "'=Evil coalition"
    column = {h.split(" – ")[0]: i for i, h in enumerate(header)}
    assert evil[column["open.blockers"]] == "'=HYPERLINK(\"http://evil.example\")"
    assert evil[column["open.innovation"]] == "'+1+1"
    assert evil[column["offer.contact"]] == "'@admin"
    assert evil[column["open.best_practice"]] == "'-2 then more"
    assert evil[column["capacity.mel.need"]] == "Some support"
    ghana = next(r for r in body if r[0] == "Ghana")
    assert ghana[column["offer.formats"]] == "Mentoring; A webinar"
    assert ghana[column["theme.gender.strength"]] == "1"


def test_xlsx_opens_with_every_answer(client, auth, create_user, create_org, submit_answers, survey_round):
    secretariat = create_user(is_secretariat=True)
    submit_answers(create_org("Kenya", "KE"), full_answers(strength=4, **NASTY, **{
        "theme.gender.evidence": "Girls' clubs in 40 schools"}))
    auth.login(secretariat.email)
    response = client.get(f"/capacity/rounds/{survey_round.id}/export.xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    header = [c.value for c in sheet[1]]
    row = [c.value for c in sheet[2]]
    values = dict(zip((h.split(" – ")[0] for h in header), row))
    assert values["Organisation"] == "Kenya"
    assert values["theme.gender.strength"] == 4
    assert values["theme.gender.evidence"] == "Girls' clubs in 40 schools"
    assert values["open.blockers"].startswith("'=")
    assert all(not (isinstance(v, str) and v.startswith(("=", "+", "@"))) for v in row)
    assert sheet.max_row == 2


def test_exports_are_for_the_secretariat_only(client, auth, create_user, survey_round):
    auth.login(create_user(is_focal_point=True).email)
    assert client.get(f"/capacity/rounds/{survey_round.id}/export.csv").status_code == 403
    assert client.get(f"/capacity/rounds/{survey_round.id}/export.xlsx").status_code == 403
