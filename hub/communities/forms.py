"""Community forms: create/propose/edit, joining, deciding, inviting."""

import uuid

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, SelectChoice, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError

from hub.accounts.forms import SPOKEN_LANGUAGES, MultiCheckboxField
from hub.communities.models import JOIN_POLICIES, VISIBILITIES
from hub.i18n import spoken_language_name
from hub.inputs import form_token as one_time_token
from hub.inputs import strip
from hub.organisations.countries import REGIONS
from hub.themes import theme_choices

MAX_TITLE = 200
MAX_DESCRIPTION = 50_000
MAX_MESSAGE = 2_000


class KnownChoices:
    """Every posted value must be one of the field's choices (a hand-made request gets a translated error)."""

    def __call__(self, form, field):
        allowed = {str(choice.value) for choice in field.choices}
        values = field.data if isinstance(field.data, list) else [field.data]
        if any(str(value) not in allowed for value in values if value not in (None, "")):
            raise ValidationError(_l("Choose from the list."))


def options(pairs):
    """SelectChoice objects from (value, label) pairs (WTForms deprecates plain tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


def _message(label):
    return TextAreaField(label, [Length(max=MAX_MESSAGE, message=_l("Use at most 2000 characters."))])


class CommunityForm(FlaskForm):
    title = StringField(_l("Title"), [InputRequired(message=_l("This field is required.")),
                                      DataRequired(message=_l("This field is required.")),
                                      Length(max=MAX_TITLE, message=_l("Use at most 200 characters."))],
                        filters=[strip])
    slug = StringField(_l("Web address"), [
        Optional(), Length(max=80, message=_l("Use at most 80 characters.")),
        Regexp(r"^[a-z0-9]+(-[a-z0-9]+)*$",
               message=_l("Use lower-case letters a–z, digits and single hyphens, like girls-education."))],
        description=_l("The last part of the community's address. Leave empty to make one from the title."))
    description = TextAreaField(_l("Description"), [
        Length(max=MAX_DESCRIPTION, message=_l("Use at most 50,000 characters."))],
        description=_l("What the community is for and who it is for. Markdown is allowed."))
    languages = MultiCheckboxField(_l("Languages used"), [KnownChoices()], choices=[], validate_choice=False)
    themes = MultiCheckboxField(_l("Themes"), [KnownChoices()], choices=[], validate_choice=False)
    region = SelectField(_l("Region focus"), [KnownChoices()], choices=[], validate_choice=False)
    visibility = SelectField(_l("Who can read"), [KnownChoices()], choices=[], validate_choice=False,
                             default="members")
    join_policy = SelectField(_l("Joining"), [KnownChoices()], choices=[], validate_choice=False, default="open")
    discoverable = BooleanField(_l("List a private community's title for all signed-in members"),
                                description=_l("Its content, members and counts stay hidden."))
    reviews_every_post = BooleanField(_l("Review every post before it appears"), description=_l(
        "Discussions, replies and library items wait until a facilitator approves them. Without this, "
        "only new members' first posts wait."))
    members_propose_sessions = BooleanField(_l("Members may propose sessions"), description=_l(
        "Members can propose a learning session; it appears once a facilitator approves it."))
    form_token = HiddenField(default=lambda: uuid.uuid4().hex, filters=[one_time_token])
    submit = SubmitField(_l("Save"))

    def fill_choices(self):
        """Choices in the reader's language (labels are translated per request)."""
        self.languages.choices = options((code, spoken_language_name(code)) for code in SPOKEN_LANGUAGES)
        self.themes.choices = options(theme_choices())
        self.region.choices = options([("", str(_l("The whole movement")))] + [(k, str(v)) for k, v in REGIONS.items()])
        self.visibility.choices = options((k, str(v)) for k, v in VISIBILITIES.items())
        self.join_policy.choices = options((k, str(v)) for k, v in JOIN_POLICIES.items())
        return self


class JoinForm(FlaskForm):
    message = _message(_l("A message to the facilitators (optional)"))
    submit = SubmitField(_l("Join"))


class DecisionForm(FlaskForm):
    decision = SelectField(_l("Decision"), [InputRequired(message=_l("Choose a decision.")), KnownChoices()],
                           validate_choice=False,
                           choices=options([("approve", _l("Approve")), ("decline", _l("Decline"))]))
    message = _message(_l("Message to the person (optional)"))
    submit = SubmitField(_l("Send"))


class InviteForm(FlaskForm):
    person = StringField(_l("Email or @handle of a hub member"), [
        InputRequired(message=_l("This field is required.")),
        Length(max=254, message=_l("Use at most 254 characters."))])
    message = _message(_l("Message (optional)"))
    submit = SubmitField(_l("Invite"))


class InvitationAnswerForm(FlaskForm):
    answer = SelectField(_l("Answer"), [InputRequired(message=_l("Choose an answer.")), KnownChoices()],
                         validate_choice=False, choices=options([("accept", _l("Accept")), ("decline", _l("Decline"))]))
    submit = SubmitField(_l("Send"))
