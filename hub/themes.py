"""The one shared list of education themes, used by communities, discussions, the library and the survey."""

from flask_babel import lazy_gettext as _l

THEMES = {
    "right_to_education": _l("Right to education"),
    "financing": _l("Education financing"),
    "privatisation": _l("Privatisation and commercialisation"),
    "gender": _l("Gender equality and girls' education"),
    "inclusion": _l("Inclusion and disability"),
    "early_childhood": _l("Early childhood care and education"),
    "teachers": _l("Teachers"),
    "youth_adult_learning": _l("Youth and adult learning"),
    "emergencies": _l("Education in emergencies"),
    "climate": _l("Climate education"),
    "digital": _l("Digital learning"),
    "sdg4_monitoring": _l("SDG 4 monitoring"),
}


def theme_choices():
    """(key, label in the reader's language) for forms and filters."""
    return [(key, str(label)) for key, label in THEMES.items()]


def theme_label(key: str) -> str:
    return str(THEMES.get(key, key))
