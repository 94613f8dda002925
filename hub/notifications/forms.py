"""The email settings form: one choice per kind of notification, and the digest frequency."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SubmitField
from wtforms.validators import InputRequired

from hub.notifications.models import DIGEST_CHOICES, EMAIL_CHOICES, KINDS

CHOOSE = _l("Choose one of the options.")


def _choices(options: dict) -> list:
    return [SelectChoice(value, label) for value, label in options.items()]


def settings_form(preferences: dict, frequency: str, kinds=KINDS, formdata=None):
    """The form with one select per kind of `kinds` (field name 'kind_<kind>'), prefilled with the saved choices."""

    class SettingsForm(FlaskForm):
        digest = SelectField(_l("Digest"), [InputRequired(CHOOSE)], choices=_choices(DIGEST_CHOICES),
                             default=frequency)
        submit = SubmitField(_l("Save"))

    for kind in kinds:
        label, default = KINDS[kind]
        setattr(SettingsForm, f"kind_{kind}", SelectField(label, [InputRequired(CHOOSE)],
                                                          choices=_choices(EMAIL_CHOICES),
                                                          default=preferences.get(kind, default)))
    return SettingsForm() if formdata is None else SettingsForm(formdata=formdata)


def kind_fields(form):
    """(kind, field) for each notification kind the form offers, in the order of KINDS."""
    return [(kind, form[f"kind_{kind}"]) for kind in KINDS if f"kind_{kind}" in form]
