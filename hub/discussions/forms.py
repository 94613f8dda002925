"""The discussion forms: start, reply, edit, move and best practice. Each carries a one-time token."""

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional, ValidationError

from hub.accounts.forms import SPOKEN_LANGUAGES, MultiCheckboxField
from hub.discussions.models import BODY_MAX, KINDS, SUMMARY_MAX, TITLE_MAX
from hub.i18n import spoken_language_name
from hub.inputs import form_token, strip
from hub.themes import THEMES, theme_choices

REQUIRED = _l("This field is required.")
BODY_VALIDATORS = [DataRequired(message=REQUIRED),
                   Length(max=BODY_MAX, message=_l("Use at most %(max)d characters.", max=BODY_MAX))]
BODY_HELP = _l("Markdown: **bold**, *italic*, [link](https://…), > quote, @name.")


def _new_token():
    return secrets.token_urlsafe(24)


class BodyForm(FlaskForm):
    """A Markdown body with Preview and Post buttons; `once` makes a second submission harmless."""

    body = TextAreaField(_l("Message"), BODY_VALIDATORS, filters=[strip], description=BODY_HELP)
    once = HiddenField(default=_new_token, filters=[form_token])
    preview = SubmitField(_l("Preview"))
    submit = SubmitField(_l("Post"))

    @property
    def wants_preview(self) -> bool:
        return bool(self.preview.data)


class ReplyForm(BodyForm):
    body = TextAreaField(_l("Your reply"), BODY_VALIDATORS, filters=[strip], description=BODY_HELP)
    submit = SubmitField(_l("Post reply"))


class DiscussionForm(BodyForm):
    title = StringField(_l("Title"), [DataRequired(message=REQUIRED),
                                      Length(max=TITLE_MAX, message=_l("Use at most %(max)d characters.",
                                                                       max=TITLE_MAX))],
                        filters=[strip])
    kind = RadioField(_l("Kind"), choices=[], default="discussion",
                      validators=[DataRequired(message=REQUIRED)])
    language = SelectField(_l("Written in"), validate_choice=False,
                           validators=[AnyOf(SPOKEN_LANGUAGES, message=_l("Choose a language from the list."))])
    themes = MultiCheckboxField(_l("Themes"), choices=[], validate_choice=False,
                                validators=[Optional()])
    submit = SubmitField(_l("Start the discussion"))

    def set_choices(self) -> None:
        """Fill the lists in the reader's language."""
        self.language.choices = [(code, spoken_language_name(code)) for code in SPOKEN_LANGUAGES]
        self.themes.choices = theme_choices()
        self.kind.choices = [(key, str(label)) for key, label in KINDS.items()]

    def validate_themes(self, field):
        unknown = [t for t in field.data or [] if t not in THEMES]
        if unknown:
            raise ValidationError(_l("Choose themes from the list."))


class EditDiscussionForm(DiscussionForm):
    submit = SubmitField(_l("Save changes"))


class EditReplyForm(BodyForm):
    submit = SubmitField(_l("Save changes"))


class MoveForm(FlaskForm):
    community = SelectField(_l("Move to"), choices=[], validate_choice=False)
    submit = SubmitField(_l("Move the discussion"))


class BestPracticeForm(FlaskForm):
    summary = TextAreaField(_l("Summary"), [DataRequired(message=REQUIRED),
                                            Length(max=SUMMARY_MAX, message=_l("Use at most %(max)d characters.",
                                                                               max=SUMMARY_MAX))],
                            filters=[strip],
                            description=_l("In a few sentences: what worked, and why others could try it."))
    submit = SubmitField(_l("Mark as a best practice"))
    remove = SubmitField(_l("No longer a best practice"))
