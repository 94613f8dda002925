"""CSV and XLSX of a round (one row per organisation, one column per question) and the map as CSV.

Text cells that a spreadsheet would run as a formula (= + - @, tab, carriage return) are escaped
with a leading apostrophe.
"""

import io

from flask import Response
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook

from hub.spreadsheets import csv_text, safe_cell
from hub.survey import questionnaire as q
from hub.survey import services, xlsform
from hub.survey.capacity_map import area_label, region_label

CODES = "codes"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _answer_text(question: dict, value):
    if value is None:
        return ""
    if question["type"] == q.MULTIPLE:
        return "; ".join(q.option_label(question, v) for v in value)
    if question["type"] == q.SINGLE:
        return q.option_label(question, value)
    return value


def round_table(survey_round) -> tuple[list, list]:
    """(header, rows) of a round: organisation facts, then one column per question."""
    questions = q.questions(survey_round.questionnaire)
    header = [_("Organisation"), _("Country"), _("Region"), _("Type"), _("Global North or South"),
              _("Status"), _("Submitted at")] + [f"{question['id']} – {q.question_label(question)}"
                                                 for question in questions]
    rows = []
    for submission in services.submissions(survey_round):
        org = submission.organisation
        submitted = submission.submitted_at.strftime("%Y-%m-%d %H:%M") if submission.submitted_at else ""
        facts = [org.display_name, org.country_name, org.region_label, org.type_label, org.north_south_label,
                 _("Submitted") if submission.is_submitted else _("Draft"), submitted]
        rows.append(facts + [_answer_text(question, submission.answers.get(question["id"]))
                             for question in questions])
    return header, [[safe_cell(cell) for cell in row] for row in rows]


def to_csv(header, rows) -> str:
    """The table as CSV text that spreadsheets open as UTF-8."""
    return "\ufeff" + csv_text(header, rows)  # the byte-order mark makes spreadsheets read UTF-8


def to_xlsx(header, rows, title: str) -> bytes:
    """The table as an XLSX workbook (bytes), header row frozen."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31] or "Answers"
    sheet.append([safe_cell(cell) for cell in header])
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "B2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def download(content, mimetype: str, filename: str) -> Response:
    return Response(content, mimetype=mimetype,
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


def table_response(header, rows, name: str, fmt: str, title: str) -> Response:
    """A table as a CSV or XLSX download (every cell formula-safe)."""
    rows = [[safe_cell(cell) for cell in row] for row in rows]
    if fmt == "xlsx":
        return download(to_xlsx(header, rows, title), XLSX_TYPE, f"{name}.xlsx")
    return download(to_csv(header, rows), "text/csv; charset=utf-8", f"{name}.csv")


def round_response(survey_round, fmt: str, labels: str | None = None) -> Response:
    """The round's answers as a CSV or XLSX download: labels in the reader's language, in another of the
    hub's languages (labels='fr'…), or codes (labels='codes': the columns the import reads back)."""
    name = f"capacity-round-{survey_round.id}"
    if labels == CODES:
        header, rows = codes_table(survey_round)
        return table_response(header, rows, f"{name}-codes", fmt, "answers")
    if labels:
        with force_locale(labels):
            header, rows = round_table(survey_round)
            title = _("Answers")
        return table_response(header, rows, f"{name}-{labels}", fmt, title)
    header, rows = round_table(survey_round)
    return table_response(header, rows, name, fmt, _("Answers"))


def codes_table(survey_round) -> tuple[list, list]:
    """(header, rows) with codes: the XLSForm's names and option values (multiple choices space-separated)."""
    questions = q.questions(survey_round.questionnaire)
    header = [xlsform.ORGANISATION, xlsform.ROUND, xlsform.VERSION, "status", "submitted_at"] + [
        xlsform.name_for(question["id"]) for question in questions]
    rows = []
    for submission in services.submissions(survey_round):
        submitted = submission.submitted_at.strftime("%Y-%m-%dT%H:%M:%S") if submission.submitted_at else ""
        facts = [submission.organisation.slug, survey_round.id, survey_round.questionnaire_version,
                 submission.status, submitted]
        rows.append(facts + [_code(submission.answers.get(question["id"])) for question in questions])
    return header, rows


def _code(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return " ".join(str(v) for v in value)
    return value


def map_response(grids: dict, filename: str) -> Response:
    """The aggregated map as CSV: one row per view, side, area and region, with the number of answers."""
    header = [_("View"), _("Group"), _("Area"), _("Region"), _("Average"), _("Answers")]
    rows = []
    for (view, group), grid in grids.items():
        for area in grid.rows:
            for column in grid.columns:
                cell = grid.cell(area, column)
                value = "" if cell.value is None else round(cell.value, 2)
                rows.append([view, group, area_label(area), region_label(column), value, cell.count])
    return download(to_csv(header, [[safe_cell(c) for c in row] for row in rows]),
                     "text/csv; charset=utf-8", filename)
