"""Forms for plans, peer exchanges and notes on answers."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, URL

from hub.accounts.forms import MultiCheckboxField
from hub.survey.models import OUTCOMES
from hub.survey.plan_models import ACTION_STATES, NOTE_KINDS, SUPPORT

REQUIRED = _l("This field is required.")


def choices(items) -> list:
    """(value, label) pairs as SelectChoice objects."""
    return [SelectChoice(value, str(label)) for value, label in items]


def _max(n: int):
    return Length(max=n, message=_l("Use at most %(max)d characters.", max=n))


class PrioritiesForm(FlaskForm):
    areas = MultiCheckboxField(_l("Needs the plan works on"), [Optional()], choices=[])
    save = SubmitField(_l("Save priorities"))


class ActionForm(FlaskForm):
    area = SelectField(_l("Need"), [InputRequired(REQUIRED)], choices=[])
    what = TextAreaField(_l("What will be done"), [InputRequired(REQUIRED), _max(2000)])
    who = StringField(_l("Who"), [Optional(), _max(200)])
    due_on = DateField(_l("By when"), [InputRequired(_l("Give a date (for example 2027-03-31)."))])
    support = SelectField(_l("Support sought"), [InputRequired(REQUIRED)],
                          choices=choices(SUPPORT.items()))
    helper = SelectField(_l("Suggested organisation whose offer it relies on (optional)"), [Optional()],
                         choices=[], coerce=str)
    add = SubmitField(_l("Add the action"))


class ActionStatusForm(FlaskForm):
    status = SelectField(_l("Status"), [InputRequired(REQUIRED)], choices=choices(ACTION_STATES.items()))
    due_on = DateField(_l("By when"), [Optional()])
    progress = TextAreaField(_l("Progress"), [Optional(), _max(2000)])
    save = SubmitField(_l("Update"))


class ExchangeRequestForm(FlaskForm):
    helper = IntegerField(validators=[InputRequired()])
    area = StringField(validators=[InputRequired(), Length(max=40)])
    message = TextAreaField(_l("What you hope to learn (optional)"), [Optional(), _max(2000)])
    ask = SubmitField(_l("Ask for an introduction"))


class ExchangeAnswerForm(FlaskForm):
    note = TextAreaField(_l("A note for the other organisation (optional)"), [Optional(), _max(2000)])
    accept = SubmitField(_l("Accept"))
    decline = SubmitField(_l("Decline"))


class ExchangeForm(FlaskForm):
    goals = TextAreaField(_l("Goals"), [Optional(), _max(5000)])
    sessions = TextAreaField(_l("Sessions (dates and what was covered)"), [Optional(), _max(5000)])
    resources = TextAreaField(_l("Shared resources (links or titles)"), [Optional(), _max(5000)])
    outcome = SelectField(_l("Outcome"), choices=choices(OUTCOMES.items()))
    outcome_note = TextAreaField(_l("What came of it"), [Optional(), _max(5000)])
    save = SubmitField(_l("Save the exchange"))


class NoteForm(FlaskForm):
    question = SelectField(_l("Answer"), [InputRequired(REQUIRED)], choices=[])
    kind = SelectField(_l("Kind of note"), choices=choices(NOTE_KINDS.items()))
    text = TextAreaField(_l("Comment or evidence"), [Optional(), _max(5000)])
    item = StringField(_l("A library item (its address or its short name, optional)"), [Optional(), _max(300)])
    document_url = StringField(_l("A document's address (optional)"),
                               [Optional(), _max(500), URL(require_tld=False, message=_l("Give a full address, "
                                                                                         "starting with https://"))])
    add = SubmitField(_l("Add the note"))


class ReviewerForm(FlaskForm):
    organisation = SelectField(_l("A peer organisation"), [Optional()], choices=[], coerce=str)
    person = SelectField(_l("Or a facilitator"), [Optional()], choices=[], coerce=str)
    name = SubmitField(_l("Ask them to confirm or comment"))
