"""The default capacity-mapping questionnaire, as data, and the rules that read any questionnaire.

A round stores the questionnaire (plain JSON of ids) it was opened with. Texts are not stored:
they are looked up here by stable id, as lazy strings, so they appear in each reader's language.
A question added by the secretariat may carry its own "text" instead of a "label" id.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from hub.themes import THEMES

VERSION = "2026.1"
SCALE, SINGLE, MULTIPLE, SHORT, LONG = "scale", "single", "multiple", "short", "long"
TYPES = (SCALE, SINGLE, MULTIPLE, SHORT, LONG)
EVIDENCE_MIN = 3

CAPACITIES = {
    "policy_research": _l("Policy analysis and research"),
    "budget_tracking": _l("Budget tracking"),
    "advocacy": _l("Advocacy and campaigning"),
    "digital_advocacy": _l("Digital advocacy and social media"),
    "media": _l("Media engagement"),
    "coalition_building": _l("Coalition building and member engagement"),
    "resource_mobilisation": _l("Resource mobilisation"),
    "mel": _l("Monitoring, evaluation and learning"),
    "knowledge_management": _l("Knowledge management"),
    "legal_mechanisms": _l("Legal and human-rights mechanisms"),
    "youth_engagement": _l("Youth and student engagement"),
}

OPTIONS = {
    "strength": {0: _l("0 – None"), 1: _l("1 – Emerging"), 2: _l("2 – Developing"),
                 3: _l("3 – Strong"), 4: _l("4 – Recognised leader")},
    "need": {"none": _l("No need"), "some": _l("Some support"), "priority": _l("Priority need")},
    "formats": {"mentoring": _l("Mentoring"), "webinar": _l("A webinar"),
                "exchange_visit": _l("An exchange visit"), "written_resources": _l("Written resources")},
    "learning": {"peer_exchange": _l("Peer exchange"), "webinars": _l("Webinars"),
                 "mentoring": _l("Mentoring"), "guides": _l("Written guides and toolkits"),
                 "courses": _l("Online courses"), "workshops": _l("In-person workshops")},
    "languages": {"en": _l("English"), "fr": _l("French"), "es": _l("Spanish"), "pt": _l("Portuguese"),
                  "ar": _l("Arabic")},
    "capacities": CAPACITIES,
}

SECTIONS = {
    "themes": _l("Thematic expertise"),
    "capacities": _l("Technical capacities"),
    "offer": _l("What you can offer and how you learn"),
    "open": _l("Open questions"),
}

LABELS = {
    # I18N: %(area)s is a theme or a technical capacity, e.g. "Budget tracking".
    "strength": _l("%(area)s: strength"),
    "evidence": _l("%(area)s: an example or evidence (optional)"),
    "need": _l("%(area)s: need for support"),
    "offer.areas": _l("Which of your capacities would you share with peers?"),
    "offer.formats": _l("What can you offer to peers?"),
    "offer.languages": _l("In which languages can you offer it?"),
    "offer.contact": _l("Who should peers contact (name or role)?"),
    "learn.preferences": _l("How does your organisation prefer to learn?"),
    "open.best_practice": _l("A best practice in peer learning or collaboration you would share"),
    "open.innovation": _l("An innovative approach your organisation uses"),
    "open.blockers": _l("What blocks knowledge sharing today?"),
}


def _area_questions(prefix: str, area: str, with_need: bool) -> list[dict]:
    base = f"{prefix}.{area}"
    questions = [{"id": f"{base}.strength", "type": SCALE, "label": "strength", "options": "strength",
                  "area": area, "required": True}]
    if with_need:
        questions.append({"id": f"{base}.need", "type": SINGLE, "label": "need", "options": "need",
                          "area": area, "required": True})
    questions.append({"id": f"{base}.evidence", "type": LONG, "label": "evidence", "area": area,
                      "condition": {"question": f"{base}.strength", "min": EVIDENCE_MIN}})
    return questions


def default_questionnaire() -> dict:
    """The default questionnaire as plain JSON-serialisable data."""
    themes = [q for key in THEMES for q in _area_questions("theme", key, with_need=False)]
    capacities = [q for key in CAPACITIES for q in _area_questions("capacity", key, with_need=True)]
    offer = [
        {"id": "offer.areas", "type": MULTIPLE, "label": "offer.areas", "options": "capacities"},
        {"id": "offer.formats", "type": MULTIPLE, "label": "offer.formats", "options": "formats"},
        {"id": "offer.languages", "type": MULTIPLE, "label": "offer.languages", "options": "languages"},
        {"id": "offer.contact", "type": SHORT, "label": "offer.contact"},
        {"id": "learn.preferences", "type": MULTIPLE, "label": "learn.preferences", "options": "learning",
         "required": True},
    ]
    open_questions = [{"id": key, "type": LONG, "label": key}
                      for key in ("open.best_practice", "open.innovation", "open.blockers")]
    return {"version": VERSION, "sections": [
        {"id": "themes", "questions": themes}, {"id": "capacities", "questions": capacities},
        {"id": "offer", "questions": offer}, {"id": "open", "questions": open_questions}]}


def questions(questionnaire: dict) -> list[dict]:
    """Every question of a questionnaire, in order."""
    return [q for section in questionnaire.get("sections", []) for q in section.get("questions", [])]


def area_label(area: str) -> str:
    """A theme's or a capacity's name in the reader's language."""
    return str(CAPACITIES.get(area) or THEMES.get(area) or area)


def section_label(section: dict) -> str:
    """A section's title in the reader's language."""
    return str(SECTIONS[section["id"]]) if section["id"] in SECTIONS else section.get("text", section["id"])


def question_label(question: dict) -> str:
    """The question's text in the reader's language."""
    if question.get("label") in LABELS:
        text = str(LABELS[question["label"]])
        return text % {"area": area_label(question["area"])} if "area" in question else text
    return question.get("text", question["id"])


def option_items(question: dict) -> list[tuple]:
    """(value, label) pairs of a choice question."""
    options = question.get("options")
    if isinstance(options, str):
        return [(value, str(label)) for value, label in OPTIONS.get(options, {}).items()]
    return [(value, str(value)) for value in options or []]


def option_label(question: dict, value) -> str:
    """The label of one chosen option (the value itself when unknown)."""
    return dict(option_items(question)).get(value, str(value))


def is_shown(question: dict, answers: dict) -> bool:
    """A question with a condition counts only when the condition holds (checked on the server)."""
    condition = question.get("condition")
    if not condition:
        return True
    value = answers.get(condition["question"])
    return isinstance(value, int) and value >= condition.get("min", 0)


def is_empty(value) -> bool:
    """True for an unanswered question."""
    return value is None or value == "" or value == []


def missing_required(questionnaire: dict, answers: dict) -> list[str]:
    """Ids of required questions that are shown and not answered."""
    return [q["id"] for q in questions(questionnaire)
            if q.get("required") and is_shown(q, answers) and is_empty(answers.get(q["id"]))]


def clean(questionnaire: dict, answers: dict) -> dict:
    """Only answers to known, shown questions (evidence is dropped when strength falls below 3)."""
    known = {q["id"]: q for q in questions(questionnaire)}
    return {key: value for key, value in answers.items()
            if key in known and is_shown(known[key], answers) and not is_empty(value)}


def validate_structure(questionnaire) -> list[str]:
    """Problems with an edited questionnaire (empty when it can be used)."""
    if not isinstance(questionnaire, dict) or not isinstance(questionnaire.get("sections"), list):
        return [_("The questionnaire needs a list of sections.")]
    problems, seen = [], set()
    for question in questions(questionnaire):
        qid = question.get("id") if isinstance(question, dict) else None
        if not qid or qid in seen:
            problems.append(_("Missing or repeated question id: %(id)s", id=qid))
        elif question.get("type") not in TYPES:
            problems.append(_("Unknown type for %(id)s.", id=qid))
        elif question["type"] in (SCALE, SINGLE, MULTIPLE) and not option_items(question):
            problems.append(_("No options for %(id)s.", id=qid))
        elif question.get("label") not in LABELS and not question.get("text"):
            problems.append(_("No text for %(id)s.", id=qid))
        seen.add(qid)
    return problems
