"""Forms: the answer form built from a round's questionnaire, the round form, and the introduction forms."""

import json

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (DateField, HiddenField, IntegerField, RadioField, SelectChoice, SelectField,
                     StringField, SubmitField, TextAreaField)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from hub.accounts.forms import MultiCheckboxField
from hub.survey import questionnaire as q
from hub.survey.models import OUTCOMES

SHORT_MAX, LONG_MAX = 300, 5000


def field_name(question_id: str) -> str:
    """HTML-friendly field name for a question id ('theme.gender.strength' → 'theme__gender__strength')."""
    return question_id.replace(".", "__")


def _choices(items) -> list:
    return [SelectChoice(value, label) for value, label in items]


def _coerce_int(value):
    return int(value) if value not in (None, "") else None


def _question_field(question: dict):
    label, kind = q.question_label(question), question["type"]
    length = Length(max=LONG_MAX if kind == q.LONG else SHORT_MAX, message=_l("This answer is too long."))
    if kind == q.SCALE:
        return RadioField(label, [Optional()], choices=_choices(q.option_items(question)), coerce=_coerce_int)
    if kind == q.SINGLE:
        return RadioField(label, [Optional()], choices=_choices(q.option_items(question)))
    if kind == q.MULTIPLE:
        return MultiCheckboxField(label, [Optional()], choices=_choices(q.option_items(question)))
    if kind == q.SHORT:
        return StringField(label, [Optional(), length])
    return TextAreaField(label, [Optional(), length])


class AnswerFormBase(FlaskForm):
    #: The version of the answers this page was built from (optimistic locking).
    version = HiddenField()
    save = SubmitField(_l("Save draft"))
    submit = SubmitField(_l("Submit answers"))


def answer_form(questionnaire: dict, answers: dict | None = None, formdata=None):
    """An answer form for this questionnaire, filled with saved answers unless the page was posted."""
    fields = {field_name(question["id"]): _question_field(question) for question in q.questions(questionnaire)}
    form_class = type("AnswerForm", (AnswerFormBase,), fields)
    data = {field_name(key): value for key, value in (answers or {}).items()}
    if formdata is None:
        return form_class(formdata=None, data=data)
    return form_class(formdata=formdata)


def answers_from(form, questionnaire: dict) -> dict:
    """The answers typed into a validated form, keyed by question id."""
    return {question["id"]: form[field_name(question["id"])].data for question in q.questions(questionnaire)}


def mark_missing(form, missing_ids) -> None:
    """Put "required" next to each unanswered required question."""
    for question_id in missing_ids:
        form[field_name(question_id)].errors = [_("This question needs an answer before you submit.")]


def parse_questionnaire(form, field):
    """Validate the edited questionnaire JSON and keep the parsed value on the field."""
    if not (field.data or "").strip():
        return
    try:
        field.parsed = json.loads(field.data)
    except ValueError:
        raise ValidationError(_("This is not valid JSON.")) from None
    problems = q.validate_structure(field.parsed)
    if problems:
        raise ValidationError(" ".join(problems[:5]))


class RoundForm(FlaskForm):
    title = StringField(_l("Title"), [InputRequired(message=_l("This field is required.")),
                                      Length(max=200, message=_l("Use at most 200 characters."))])
    opens_on = DateField(_l("Opens on"), [Optional()])
    closes_on = DateField(_l("Closes on"), [Optional()])
    questionnaire = TextAreaField(_l("Questionnaire (JSON)"), [parse_questionnaire],
                                  description=_l("Leave as it is to use the default questionnaire, or edit it "
                                                 "for this round. Earlier rounds keep their own."))
    save = SubmitField(_l("Save"))

    def validate_closes_on(self, field):
        """A round cannot close before it opens."""
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError(_("The round cannot close before it opens."))


class IntroductionForm(FlaskForm):
    seeker = IntegerField(validators=[InputRequired()])
    helper = IntegerField(validators=[InputRequired()])
    area = StringField(validators=[InputRequired(), Length(max=40)])
    introduce = SubmitField(_l("Introduce them"))


class OutcomeForm(FlaskForm):
    outcome = SelectField(_l("Outcome"), choices=_choices(OUTCOMES.items()))
    outcome_note = TextAreaField(_l("Note"), [Length(max=2000, message=_l("Use at most 2000 characters."))])
    save = SubmitField(_l("Record outcome"))
