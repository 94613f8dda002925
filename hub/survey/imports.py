"""Answers collected offline (KoboToolbox, ODK) brought into a round: read, checked, previewed, then applied.

The file is a CSV or XLSX export of the hub's XLSForm (hub.survey.xlsform), with values as codes or as
labels in any of the hub's languages, or the hub's own export "with codes". Reading stops past
MAX_ROWS rows (the file is refused, never half-read), so a huge file costs bounded time and memory.
Whole-file problems (unknown columns, another questionnaire version, too many rows) refuse the file;
row problems (another round, an unknown or repeated organisation, a formula, a value that is not an
option, required answers missing) reject that row with its reasons. The preview is carried to the
confirmation under a random key (a file in the instance folder); applying it checks that nothing changed since and flushes once.
"""

import csv
import io
import json
import secrets
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from openpyxl import load_workbook

from hub.audit import record
from hub.db import utcnow
from hub.extensions import db
from hub.inputs import clean_text, form_token
from hub.organisations.models import Organisation
from hub.survey import questionnaire as q
from hub.survey.models import SUBMITTED, Submission
from hub.survey.xlsform import ORGANISATION, ROUND, VERSION, languages, name_for

MAX_ROWS = 1000
MAX_TEXT = 5000
#: Columns KoboToolbox, ODK Central and the hub's own export add around the answers: ignored.
META = {"start", "end", "today", "deviceid", "username", "instanceid", "instancename", "key", "submissiondate",
        "reviewstate", "edits", "formversion", "submitterid", "submittername", "attachmentspresent",
        "attachmentsexpected", "status", "submitted_at", "organisation_name"}
FORMULA = ("=", "+", "@")


class Refused(Exception):
    """The whole file is refused (the message says why); nothing is read further."""


@dataclass
class Row:
    number: int
    organisation: str
    reasons: list = field(default_factory=list)
    org: Organisation | None = None
    answers: dict = field(default_factory=dict)
    existing: Submission | None = None

    @property
    def change(self) -> str:
        """'new', 'replace' (submitted answers change), 'draft' (a draft is replaced) or 'same'."""
        if self.existing is None:
            return "new"
        if self.existing.answers == self.answers and self.existing.status == SUBMITTED:
            return "same"
        return "replace" if self.existing.status == SUBMITTED else "draft"

    @property
    def changed(self) -> int:
        """How many answers differ from those stored."""
        before = self.existing.answers if self.existing else {}
        return sum(1 for key in set(before) | set(self.answers) if before.get(key) != self.answers.get(key))


@dataclass
class Preview:
    accepted: list
    rejected: list

    @property
    def to_apply(self) -> list:
        """Accepted rows that change something."""
        return [row for row in self.accepted if row.change != "same"]


# --- Reading -------------------------------------------------------------------------------------

def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean_text(str(value)).strip()


def _too_many():
    return Refused(_("The file has more than %(max)d rows. Import at most %(max)d organisations' answers at a "
                     "time: split the file.", max=MAX_ROWS))


def read_table(stream, filename: str) -> tuple[list, list]:
    """(header, rows of text) of a CSV or XLSX file; refuses a file of another kind or over MAX_ROWS rows."""
    name = (filename or "").lower()
    if name.endswith(".xlsx"):
        return _read_xlsx(stream)
    if name.endswith(".csv"):
        return _read_csv(stream)
    raise Refused(_("Choose a CSV or XLSX file (an export of KoboToolbox or ODK)."))


def _read_csv(stream) -> tuple[list, list]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        first = text.readline()
        delimiter = ";" if first.count(";") > first.count(",") else ","
        reader = csv.reader(io.StringIO(first), delimiter=delimiter)
        header = [_cell_text(c) for c in next(reader, [])]
        rows = []
        for row in csv.reader(text, delimiter=delimiter):
            if len(rows) >= MAX_ROWS:
                raise _too_many()
            rows.append([_cell_text(c) for c in row])
    except (UnicodeDecodeError, csv.Error):
        raise Refused(_("The file could not be read as CSV in UTF-8.")) from None
    finally:
        text.detach()
    return header, rows


def _read_xlsx(stream) -> tuple[list, list]:
    try:
        book = load_workbook(stream, read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise Refused(_("The file could not be read as an XLSX workbook.")) from None
    try:
        sheet = book.worksheets[0]
        found = sheet.iter_rows()
        header = [_cell_text(c.value) for c in next(found, [])]
        rows = []
        for cells in found:
            if len(rows) >= MAX_ROWS:
                raise _too_many()
            # A formula cell keeps its formula text ("=…"): the row is rejected for it below.
            rows.append([_cell_text(c.value) for c in cells])
    finally:
        book.close()
    return header, rows


# --- Checking ------------------------------------------------------------------------------------

def _names(questionnaire: dict) -> dict:
    """{question id, XLSForm name or label in any language (lower case): question id}: KoboToolbox exports
    "with labels" head their columns with the labels, ODK Central joins groups with hyphens."""
    names = {}
    for code in languages():
        with force_locale(code):
            names.update({q.question_label(question).strip().lower(): question["id"]
                          for question in q.questions(questionnaire)})
    for question in q.questions(questionnaire):
        names[question["id"].lower()] = names[name_for(question["id"]).lower()] = question["id"]
    return names


def _single_key(text: str, names: dict) -> str | None:
    text = text.split(" – ")[0].strip()  # the hub's own export: "id – label"
    lowered = text.lower()
    if text.startswith("_") or lowered in META:
        return ""
    if lowered in (ORGANISATION, ROUND, VERSION):
        return lowered
    return names.get(lowered)


def _column_key(column: str, names: dict, known: dict) -> str | None:
    """The question id, ORGANISATION/ROUND/VERSION, '' for a column to ignore, or None when unknown."""
    text = column.strip()
    if not text:
        return ""
    for separator in ("/", "-"):
        parts = [p for p in text.split(separator) if p.strip()]
        if len(parts) > 1 and parts[0].strip().lower() == "meta":
            return ""
    for candidate in (text, text.split("/")[-1], text.split("-")[-1]):
        if (key := _single_key(candidate, names)) is not None:
            return key
    parts = text.split("/")
    if len(parts) >= 2 and (parent := _single_key(parts[-2], names)) and known.get(parent, {}).get("type") == q.MULTIPLE:
        return ""  # Kobo's one column per option of a multiple choice, beside the main column
    return None


def map_columns(header: list, questionnaire: dict) -> dict:
    """{column index: key}; refuses unknown columns or a file without the hub's fields."""
    known = {question["id"]: question for question in q.questions(questionnaire)}
    names, keys, unknown = _names(questionnaire), {}, []
    for index, column in enumerate(header):
        key = _column_key(column, names, known)
        if key is None:
            unknown.append(column)
        elif key in keys.values():
            raise Refused(_("The column %(column)s appears twice.", column=column[:60]))
        elif key:
            keys[index] = key
    if unknown:
        raise Refused(_("Unknown columns: %(columns)s. Export the answers from the form made with the hub's "
                        "XLSForm for this round.", columns=", ".join(c[:60] for c in unknown[:10])))
    missing = [name for name in (ORGANISATION, ROUND, VERSION) if name not in keys.values()]
    if missing:
        raise Refused(_("Missing columns: %(columns)s. They come with the hub's XLSForm: collect with it.",
                        columns=", ".join(missing)))
    return keys


def _option_lookup(question: dict) -> dict:
    """{code or label in any language (lower case): value} of a choice question."""
    lookup = {}
    for code in languages():
        with force_locale(code):
            for value, label in q.option_items(question):
                lookup[str(label).strip().lower()] = value
    for value, _label in q.option_items(question):
        lookup[str(value).lower()] = value
    return lookup


def _value(question: dict, text: str, lookup: dict):
    """The answer from a cell's text; raises ValueError when it is not an option."""
    if question["type"] in (q.SHORT, q.LONG):
        if len(text) > MAX_TEXT:
            raise ValueError
        return text
    if question["type"] == q.MULTIPLE:
        for parts in (text.split(";"), text.split()):
            values = [lookup.get(p.strip().lower()) for p in parts if p.strip()]
            if all(v is not None for v in values):
                return sorted(set(values), key=str)
        raise ValueError
    value = lookup.get(text.lower())
    if value is None:
        raise ValueError
    return value


def check(survey_round, header: list, rows: list) -> Preview:
    """What importing these rows into the round would do: accepted rows and rejected ones with reasons."""
    questionnaire = survey_round.questionnaire
    keys = map_columns(header, questionnaire)
    known = {question["id"]: question for question in q.questions(questionnaire)}
    lookups = {qid: _option_lookup(question) for qid, question in known.items()
               if question["type"] in (q.SCALE, q.SINGLE, q.MULTIPLE)}
    orgs = _organisations()
    checked = []
    for number, cells in enumerate(rows, start=2):
        values = {key: cells[i] if i < len(cells) else "" for i, key in keys.items()}
        if not any(values.values()):
            continue  # an empty line
        if values[VERSION] and values[VERSION] != survey_round.questionnaire_version:
            raise Refused(_("Row %(row)d answers questionnaire version %(found)s; this round uses version "
                            "%(version)s. Collect with this round's XLSForm.", row=number,
                            found=values[VERSION][:40], version=survey_round.questionnaire_version))
        checked.append(_check_row(number, values, survey_round, known, lookups, orgs))
    _reject_duplicates(checked)
    existing = {s.organisation_id: s for s in db.session.scalars(sa.select(Submission).where(
        Submission.round_id == survey_round.id))}
    for row in checked:
        if not row.reasons:
            row.existing = existing.get(row.org.id)
    return Preview([r for r in checked if not r.reasons], [r for r in checked if r.reasons])


def _organisations() -> dict:
    """{slug or name (lower case): organisation} of the listed organisations."""
    found = {}
    for org in db.session.scalars(sa.select(Organisation).where(
            Organisation.status == "active", Organisation.deleted_at.is_(None))):
        found.setdefault(org.display_name.strip().lower(), org)
        found[org.slug.lower()] = org
    return found


def _check_row(number, values, survey_round, known, lookups, orgs) -> Row:
    row = Row(number, values[ORGANISATION][:200])
    for key, text in values.items():
        if text.startswith(FORMULA):
            row.reasons.append(_("Column %(column)s holds a formula, which is not imported.", column=_column(key)))
    if values[ROUND] != str(survey_round.id):
        row.reasons.append(_("It answers another round (%(found)s), not this one (%(id)d).",
                             found=values[ROUND][:20] or "–", id=survey_round.id))
    if not values[VERSION]:
        row.reasons.append(_("It does not say which questionnaire version it answers."))
    row.org = orgs.get(values[ORGANISATION].lower())
    if row.org is None:
        row.reasons.append(_("Unknown organisation: %(org)s.", org=row.organisation or "–"))
    answers = {}
    for qid, question in known.items():
        text = values.get(qid, "")
        if not text or text.startswith(FORMULA):
            continue
        if text[0] == "'" and text[1:2] in ("=", "+", "-", "@"):
            text = text[1:]  # the hub's exports escape such text with an apostrophe
        try:
            answers[qid] = _value(question, text, lookups.get(qid, {}))
        except ValueError:
            row.reasons.append(_("Column %(column)s: “%(value)s” is not one of the options.",
                                 column=_column(qid), value=text[:60]))
    row.answers = q.clean(survey_round.questionnaire, answers)
    if not row.reasons and (missing := q.missing_required(survey_round.questionnaire, row.answers)):
        row.reasons.append(_("Required answers are missing: %(columns)s.",
                             columns=", ".join(_column(m) for m in missing[:5]) + ("…" if len(missing) > 5 else "")))
    return row


def _column(key: str) -> str:
    return key if key in (ORGANISATION, ROUND, VERSION) else name_for(key)


def _reject_duplicates(rows: list) -> None:
    by_org = {}
    for row in rows:
        if row.org is not None:
            by_org.setdefault(row.org.id, []).append(row)
    for same in by_org.values():
        if len(same) > 1:
            numbers = ", ".join(str(r.number) for r in same)
            for row in same:
                row.reasons.append(_("The organisation appears in several rows (%(rows)s): keep one.", rows=numbers))


# --- Confirming ----------------------------------------------------------------------------------

def _folder() -> Path:
    return Path(current_app.instance_path) / "survey-imports"


def token(survey_round, preview: Preview, by) -> str:
    """Keep the preview's changes (each organisation's answers and the version of its stored answers the
    preview saw, 0: none) for the confirmation, under a random key: a file in the instance folder, not
    a form field (a thousand organisations' answers would exceed the form size limit)."""
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    day_ago = time.time() - 86_400
    for old in folder.glob("*.json"):  # previews never confirmed
        if old.stat().st_mtime < day_ago:
            old.unlink(missing_ok=True)
    key = secrets.token_urlsafe(24)
    rows = [[row.org.id, row.existing.version if row.existing else 0, row.answers] for row in preview.to_apply]
    (folder / f"{key}.json").write_text(json.dumps({"round": survey_round.id, "by": by.id, "rows": rows}))
    return key


def _load(key: str) -> dict | None:
    if not form_token(key):
        return None
    try:
        return json.loads((_folder() / f"{key}.json").read_text())
    except (OSError, ValueError):
        return None


def discard(key: str) -> None:
    """Forget a confirmed preview."""
    if form_token(key):
        (_folder() / f"{key}.json").unlink(missing_ok=True)


class Stale(Exception):
    """The stored answers changed since the preview (or the preview is unknown): preview again."""


def apply(survey_round, key: str, by) -> int:
    """Store the previewed answers as submitted (one flush; the view commits or nothing changes)."""
    data = _load(key)
    if data is None or data.get("round") != survey_round.id or data.get("by") != by.id:
        raise Stale()
    existing = {s.organisation_id: s for s in db.session.scalars(sa.select(Submission).where(
        Submission.round_id == survey_round.id))}
    for org_id, version, answers in data["rows"]:
        submission = existing.get(org_id)
        if (submission.version if submission else 0) != version:
            raise Stale()
        if submission is None:
            org = db.session.get(Organisation, org_id)
            if org is None or not org.is_listed:
                raise Stale()
            submission = Submission(round=survey_round, organisation=org)
            db.session.add(submission)
        submission.answers, submission.status = answers, SUBMITTED
        submission.submitted_at, submission.submitted_by_id, submission.updated_by = utcnow(), by.id, by
    db.session.flush()
    record("import_answers", survey_round, details={"organisations": [row[0] for row in data["rows"]]}, actor=by)
    return len(data["rows"])
