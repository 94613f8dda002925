"""KoboToolbox/ODK: the questionnaire as an XLSForm that pyxform converts, answers exported with labels or
codes, and answers collected offline imported after a preview — with every kind of bad file refused."""

import csv
import io
import time

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from openpyxl import Workbook, load_workbook
from pyxform.xls2xform import convert

from hub.audit import AuditEntry
from hub.extensions import db
from hub.survey import questionnaire as q
from hub.survey import services, xlsform
from hub.survey.models import DRAFT, SUBMITTED, Submission
from tests.survey.conftest import full_answers

LANGUAGE_COLUMNS = ["label::English (en)", "label::Français (fr)", "label::Español (es)",
                    "label::Português (pt)", "label::العربية (ar)"]


@pytest.fixture
def secretariat(create_user, auth):
    return auth.login(create_user(is_secretariat=True).email)


def stored(survey_round):
    db.session.expire_all()
    return {s.organisation.slug: s for s in db.session.scalars(sa.select(Submission).where(
        Submission.round_id == survey_round.id))}


def codes_row(org, survey_round, answers, **overrides):
    """One row as a KoboToolbox export with codes ('XML values'), groups as path prefixes."""
    row = {"start": "2026-11-02T10:00:00", "hub_round": str(survey_round.id),
           "hub_version": survey_round.questionnaire_version, "hub_organisation": org.slug if org else ""}
    for question in q.questions(survey_round.questionnaire):
        value = answers.get(question["id"], "")
        section = question["id"].split(".")[0]
        row[f"{section}/{xlsform.name_for(question['id'])}"] = " ".join(value) if isinstance(value, list) else str(value)
    row.update({"_id": "4411", "_uuid": "a7f3", "_submission_time": "2026-11-02T10:05:00", "meta/instanceID": "uuid:1"})
    row.update(overrides)
    return row


def as_csv(rows, delimiter=";") -> bytes:
    header = list(rows[0])
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows([row.get(column, "") for column in header] for row in rows)
    return out.getvalue().encode("utf-8")


def upload(client, survey_round, content: bytes, filename="answers.csv"):
    return client.post(f"/capacity/rounds/{survey_round.id}/import",
                       data={"answers": (io.BytesIO(content), filename), "preview": "1"},
                       content_type="multipart/form-data")


def token_of(html: str) -> str:
    return html.split('name="token" type="hidden" value="')[1].split('"')[0] if 'name="token" type="hidden"' in html \
        else html.split('id="token" name="token" type="hidden" value="')[1].split('"')[0]


def test_the_xlsform_converts_to_a_valid_xform_in_five_languages(client, secretariat, create_org, survey_round):
    create_org("Coalition du Sénégal", "SN")
    create_org("=HYPERLINK(\"http://x\")", "KE")
    response = client.get(f"/capacity/rounds/{survey_round.id}/xlsform.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["survey", "choices", "settings"]
    survey = list(book["survey"].iter_rows(values_only=True))
    assert list(survey[0][2:7]) == LANGUAGE_COLUMNS
    gender = next(row for row in survey if row[1] == "theme__gender__strength")
    assert gender[0] == "select_one strength" and gender[7] == "yes"
    with force_locale("fr"):
        assert gender[3] == q.question_label({"label": "strength", "area": "gender"})
    evidence = next(row for row in survey if row[1] == "theme__gender__evidence")
    assert evidence[8] == "${theme__gender__strength} >= 3"
    settings = list(book["settings"].iter_rows(values_only=True))
    assert settings[1][2] == survey_round.questionnaire_version
    names = [row[2] for row in book["choices"].iter_rows(values_only=True) if row[0] == "organisations"]
    assert "'=HYPERLINK(\"http://x\")" in names  # an organisation's name never becomes a formula
    warnings = []
    xform = convert(xlsform=io.BytesIO(response.data), file_type=".xlsx", warnings=warnings).xform
    assert '<translation lang="Français (fr)">' in xform and '<translation lang="العربية (ar)">' in xform
    assert f'version="{survey_round.questionnaire_version}"' in xform
    assert "/data/hub_version" in xform or "hub_version" in xform


def test_only_the_secretariat_gets_the_xlsform_and_imports(client, auth, create_user, survey_round):
    auth.login(create_user(is_focal_point=True).email)
    assert client.get(f"/capacity/rounds/{survey_round.id}/xlsform.xlsx").status_code == 403
    assert client.get(f"/capacity/rounds/{survey_round.id}/import").status_code == 403


def test_exports_with_labels_in_any_language_or_codes(client, secretariat, create_org, survey_round, submit_answers):
    org = create_org("Coalition A", "KE")
    submit_answers(org, full_answers(strength=3, need="priority", **{"offer.areas": ["mel", "media"]}))
    with force_locale("es"):
        expected = [str(q.OPTIONS["need"]["priority"]), q.question_label({"label": "need", "area": "mel"})]
    spanish = client.get(f"/capacity/rounds/{survey_round.id}/export.csv?labels=es").get_data(as_text=True)
    assert expected[0] in spanish and expected[1] in spanish
    codes = client.get(f"/capacity/rounds/{survey_round.id}/export.xlsx?labels=codes")
    rows = list(load_workbook(io.BytesIO(codes.data)).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("hub_organisation", "hub_round", "hub_version")
    record = dict(zip(rows[0], rows[1]))
    assert record["capacity__mel__need"] == "priority" and record["offer__areas"] == "mel media"
    assert record["hub_organisation"] == org.slug
    unknown = client.get(f"/capacity/rounds/{survey_round.id}/export.csv?labels=xx").get_data(as_text=True)
    assert "Organisation" in unknown  # an unknown choice: the reader's language


def test_export_with_codes_imports_back_unchanged(client, secretariat, create_org, survey_round, submit_answers):
    org = create_org("Coalition A", "KE")
    submit_answers(org, full_answers(strength=3, **{"offer.areas": ["mel"], "open.blockers": "=1+1 is not a formula"}))
    exported = client.get(f"/capacity/rounds/{survey_round.id}/export.csv?labels=codes").data
    html = upload(client, survey_round, exported).get_data(as_text=True)
    assert "Unchanged: the same answers are already submitted" in html
    assert "Nothing to import from this file" in html


def test_preview_then_confirm_imports_labels_in_french(client, secretariat, create_org, survey_round, submit_answers):
    new, changed = create_org("Coalition du Mali", "ML"), create_org("Coalition du Niger", "NE")
    submit_answers(changed, full_answers(strength=1))
    answers = full_answers(strength=2, need="priority")
    with force_locale("fr"):  # labels, as KoboToolbox exports them with the French labels chosen
        labelled = {key: str(q.OPTIONS["strength"][v]) if key.endswith(".strength") else
                    str(q.OPTIONS["need"][v]) if key.endswith(".need") else
                    ";".join(str(q.OPTIONS["learning"][x]) for x in v) for key, v in answers.items()}
    rows = [codes_row(new, survey_round, labelled), codes_row(changed, survey_round, full_answers(strength=4))]
    response = upload(client, survey_round, as_csv(rows))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "2 rows can be imported" in html
    assert "New answers, submitted" in html and "Replaces submitted answers" in html
    assert stored(survey_round)[changed.slug].answers["theme.gender.strength"] == 1  # a preview changes nothing
    response = client.post(f"/capacity/rounds/{survey_round.id}/import/confirm", data={"token": token_of(html)})
    assert response.status_code == 302
    after = stored(survey_round)
    assert after[new.slug].status == SUBMITTED and after[new.slug].answers["capacity.mel.need"] == "priority"
    assert after[new.slug].answers["learn.preferences"] == ["webinars"]
    assert after[changed.slug].answers["theme.gender.strength"] == 4
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "import_answers"))
    assert entry.object_id == survey_round.id and sorted(entry.details["organisations"]) == sorted([new.id, changed.id])
    again = client.post(f"/capacity/rounds/{survey_round.id}/import/confirm", data={"token": token_of(html)})
    assert "Nothing was imported" in client.get(again.headers["Location"]).get_data(as_text=True)


def test_rejected_rows_are_reported_and_left_out(client, secretariat, create_org, survey_round, submit_answers):
    good, twice, formula = create_org("Good", "KE"), create_org("Twice", "GH"), create_org("Formula", "SN")
    other = services.open_round("Another round", None, None, None)
    db.session.commit()
    rows = [codes_row(good, survey_round, full_answers()),
            codes_row(twice, survey_round, full_answers()), codes_row(twice, survey_round, full_answers(strength=3)),
            codes_row(formula, survey_round, full_answers(), **{"open/open__blockers": "=cmd|' /C calc'!A0"}),
            codes_row(good, survey_round, full_answers(), hub_round=str(other.id), hub_organisation="nobody-here"),
            codes_row(create_org("Bad value", "UG"), survey_round, full_answers(), **{"theme/theme__gender__strength": "9"}),
            codes_row(create_org("Incomplete", "TZ"), survey_round, {"theme.gender.strength": 2})]
    html = upload(client, survey_round, as_csv(rows, delimiter=",")).get_data(as_text=True)
    assert "1 row can be imported" in html and "6 rows are rejected" in html
    assert "The organisation appears in several rows (3, 4): keep one." in html
    assert "Column open__blockers holds a formula, which is not imported." in html
    assert f"It answers another round ({other.id}), not this one ({survey_round.id})." in html
    assert "Unknown organisation: nobody-here." in html
    assert "Column theme__gender__strength: “9” is not one of the options." in html
    assert "Required answers are missing" in html
    client.post(f"/capacity/rounds/{survey_round.id}/import/confirm", data={"token": token_of(html)})
    assert sorted(stored(survey_round)) == [good.slug]


@pytest.mark.parametrize("change, message", [
    ({"favourite_colour": "blue"}, "Unknown columns: favourite_colour."),
    ({"hub_version": "2019.3"}, "answers questionnaire version 2019.3; this round uses version"),
    ({"capacity/capacity__mel__need": "some", "other/capacity__mel__need": "none"}, "appears twice"),
])
def test_whole_file_refusals_change_nothing(client, secretariat, create_org, survey_round, change, message):
    rows = [codes_row(create_org("A", "KE"), survey_round, full_answers(), **change)]
    response = upload(client, survey_round, as_csv(rows))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert stored(survey_round) == {}


def test_a_file_of_another_kind_or_garbage_is_refused(client, secretariat, survey_round):
    for content, name, message in ((b"%PDF-1.4", "answers.pdf", "Choose a CSV or XLSX file"),
                                   (b"not a zip", "answers.xlsx", "could not be read as an XLSX workbook"),
                                   (b"\xff\xfe\x00bad", "answers.csv", "could not be read as CSV in UTF-8")):
        response = upload(client, survey_round, content, name)
        assert response.status_code == 400 and message in response.get_data(as_text=True)
    response = client.post(f"/capacity/rounds/{survey_round.id}/import", data={"preview": "1"})
    assert response.status_code == 400 and "Choose a file." in response.get_data(as_text=True)


def test_fifty_thousand_rows_are_refused_quickly(client, secretariat, create_org, survey_round):
    row = codes_row(create_org("A", "KE"), survey_round, full_answers())
    content = as_csv([row] * 50_000)
    started = time.perf_counter()
    response = upload(client, survey_round, content)
    elapsed = time.perf_counter() - started
    assert response.status_code == 400
    assert "The file has more than 1000 rows" in response.get_data(as_text=True)
    assert elapsed < 10
    assert stored(survey_round) == {}


def test_an_xlsx_with_a_formula_cell(client, secretariat, create_org, survey_round):
    orgs = [create_org("A", "KE"), create_org("B", "GH")]
    rows = [codes_row(org, survey_round, full_answers()) for org in orgs]
    book = Workbook()
    sheet = book.active
    header = list(rows[0])
    sheet.append(header)
    for row in rows:
        sheet.append([row[c] for c in header])
    sheet.cell(row=3, column=header.index("open/open__innovation") + 1).value = "=SUM(A1:A2)"
    buffer = io.BytesIO()
    book.save(buffer)
    html = upload(client, survey_round, buffer.getvalue(), "kobo.xlsx").get_data(as_text=True)
    assert "1 row can be imported" in html and "Column open__innovation holds a formula" in html


def test_a_confirmation_after_the_answers_changed_imports_nothing(client, secretariat, create_org, survey_round,
                                                                  submit_answers):
    a, b = create_org("A", "KE"), create_org("B", "GH")
    html = upload(client, survey_round, as_csv([codes_row(a, survey_round, full_answers()),
                                                 codes_row(b, survey_round, full_answers())])).get_data(as_text=True)
    submit_answers(b, full_answers(strength=0))  # a focal point submits in the meantime
    response = client.post(f"/capacity/rounds/{survey_round.id}/import/confirm", data={"token": token_of(html)})
    assert response.status_code == 302
    after = stored(survey_round)
    assert sorted(after) == [b.slug] and after[b.slug].answers["theme.gender.strength"] == 0  # A not imported either
    assert "Nothing was imported" in client.get(response.headers["Location"]).get_data(as_text=True)
    forged = client.post(f"/capacity/rounds/{survey_round.id}/import/confirm", data={"token": "abc.def"})
    assert forged.status_code == 302 and sorted(stored(survey_round)) == [b.slug]
    assert not db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "import_answers"))


def test_a_reopened_draft_is_replaced_and_submitted(client, secretariat, create_org, survey_round, submit_answers):
    org = create_org("A", "KE")
    submission = submit_answers(org, full_answers(strength=1))
    submission.status = DRAFT
    db.session.commit()
    html = upload(client, survey_round, as_csv([codes_row(org, survey_round, full_answers(strength=2))])
                  ).get_data(as_text=True)
    assert "Replaces a draft and submits it" in html


def test_kobo_headers_with_labels_and_odk_central_headers(client, secretariat, create_org, survey_round):
    spanish, central = create_org("Campaña", "PE"), create_org("Central", "KE")
    row = codes_row(spanish, survey_round, full_answers(strength=2))
    with force_locale("es"):  # KoboToolbox "export with labels": the headers are the questions in Spanish
        labels = {question["id"]: q.question_label(question) for question in q.questions(survey_round.questionnaire)}
    by_label = {}
    for column, value in row.items():
        qid = column.split("/")[-1].replace("__", ".")
        by_label[f"Grupo/{labels[qid]}" if qid in labels else column] = value
    by_label["Grupo/" + labels["offer.areas"] + "/mel"] = "0"  # one column per option, beside the main one
    html = upload(client, survey_round, as_csv([by_label])).get_data(as_text=True)
    assert "1 row can be imported" in html, html[html.find("error"):][:300]
    hyphens = {column.replace("/", "-"): value for column, value in codes_row(central, survey_round, full_answers()).items()}
    hyphens["meta-instanceID"] = hyphens.pop("meta-instanceID", "uuid:2")
    hyphens.update({"SubmissionDate": "2026-11-02", "KEY": "uuid:2", "ReviewState": ""})
    assert "1 row can be imported" in upload(client, survey_round, as_csv([hyphens])).get_data(as_text=True)
