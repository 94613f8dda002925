"""A round's questionnaire as an XLSForm (sheets survey, choices, settings) in the hub's five languages,
for collection offline with KoboToolbox or ODK Collect, and the names its answers come back under.

Every question keeps its id with dots written as double underscores (XLSForm names are XML names;
Kobo exports prefix a group: 'capacities/capacity__mel__strength'). Three calculated fields travel with
every answer so an import can check it: the round (hub_round), the questionnaire version (hub_version,
also the form's settings version), and the organisation (hub_organisation, chosen from the listed ones).
"""

import io

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import Workbook

from hub.i18n import LANGUAGE_NAMES
from hub.spreadsheets import safe_cell
from hub.survey import questionnaire as q

ROUND, VERSION, ORGANISATION = "hub_round", "hub_version", "hub_organisation"
ORGANISATIONS = "organisations"
XLSFORM_TYPES = {q.SCALE: "select_one", q.SINGLE: "select_one", q.MULTIPLE: "select_multiple",
                 q.SHORT: "text", q.LONG: "text"}


def name_for(question_id: str) -> str:
    """The XLSForm name of a question id ('capacity.mel.strength' → 'capacity__mel__strength')."""
    return question_id.replace(".", "__")


def list_name(question: dict) -> str:
    """The choices list of a choice question: a shared list by name, or one of its own."""
    options = question.get("options")
    return options if isinstance(options, str) else name_for(question["id"])


def languages() -> list[str]:
    """The hub's languages, English first."""
    return current_app.config["LANGUAGES"]


def label_column(code: str) -> str:
    """'label::Français (fr)': the column XLSForm reads a language's labels from."""
    return f"label::{LANGUAGE_NAMES.get(code, code)} ({code})"


def _append(sheet, rows) -> None:
    """Rows into a sheet, text that a spreadsheet would run as a formula escaped (hub.spreadsheets)."""
    for row in rows:
        sheet.append([safe_cell(cell) for cell in row])


def in_every_language(make) -> list[str]:
    """make() evaluated once in each language, in the order of languages()."""
    texts = []
    for code in languages():
        with force_locale(code):
            texts.append(str(make()))
    return texts


def _survey_rows(questionnaire: dict, round_id: int, with_list: bool) -> list[list]:
    rows = [["calculate", ROUND, *[""] * len(languages()), "", "", str(round_id), ""],
            ["calculate", VERSION, *[""] * len(languages()), "", "", f"'{questionnaire.get('version', q.VERSION)}'",
             ""],
            [f"select_one {ORGANISATIONS}" if with_list else "text", ORGANISATION, *in_every_language(lambda: _("Organisation")), "yes", "",
             "", ""]]
    for section in questionnaire["sections"]:
        rows.append(["begin_group", section["id"], *in_every_language(lambda: q.section_label(section)),
                     "", "", "", ""])
        for question in section["questions"]:
            kind = XLSFORM_TYPES[question["type"]]
            if kind != "text":
                kind = f"{kind} {list_name(question)}"
            relevant = ""
            if condition := question.get("condition"):
                relevant = f"${{{name_for(condition['question'])}}} >= {int(condition.get('min', 0))}"
            rows.append([kind, name_for(question["id"]), *in_every_language(lambda: q.question_label(question)),
                         "yes" if question.get("required") else "", relevant, "",
                         "multiline" if question["type"] == q.LONG else ""])
        rows.append(["end_group", "", *[""] * len(languages()), "", "", "", ""])
    return rows


def _choice_rows(questionnaire: dict, organisations) -> list[list]:
    rows, done = [], set()
    for question in q.questions(questionnaire):
        if question["type"] not in (q.SCALE, q.SINGLE, q.MULTIPLE) or list_name(question) in done:
            continue
        done.add(list_name(question))
        labels = _option_labels(question)
        for value, _label in q.option_items(question):
            rows.append([list_name(question), str(value), *[str(by_lang[value]) for by_lang in labels]])
    for org in organisations:
        rows.append([ORGANISATIONS, org.slug, *[org.display_name] * len(languages())])
    return rows


def _option_labels(question: dict) -> list[dict]:
    """{value: label} of a choice question in each language."""
    found = []
    for code in languages():
        with force_locale(code):
            found.append({value: str(label) for value, label in q.option_items(question)})
    return found


def workbook(survey_round, organisations) -> bytes:
    """The round's questionnaire as an XLSForm workbook (bytes)."""
    book = Workbook()
    survey = book.active
    survey.title = "survey"
    labels = [label_column(code) for code in languages()]
    survey.append(["type", "name", *labels, "required", "relevant", "calculation", "appearance"])
    _append(survey, _survey_rows(survey_round.questionnaire, survey_round.id, bool(organisations)))
    choices = book.create_sheet("choices")
    choices.append(["list_name", "name", *labels])
    _append(choices, _choice_rows(survey_round.questionnaire, organisations))
    settings = book.create_sheet("settings")
    settings.append(["form_title", "form_id", "version", "default_language"])
    _append(settings, [[survey_round.title, f"learning_hub_round_{survey_round.id}", survey_round.questionnaire_version,
                     LANGUAGE_NAMES["en"] + " (en)"]])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
