"""Session forms: every label and message translatable; times are read in the organiser's chosen zone."""

import uuid
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, HiddenField, IntegerField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional

from hub.accounts.forms import SPOKEN_LANGUAGES, MultiCheckboxField
from hub.i18n import spoken_language_name, timezone_choices
from hub.inputs import form_token, strip
from hub.learning_sessions.models import LEAD_TIMES, PLACE_MAX, TITLE_MAX, URL_MAX
from hub.learning_sessions.times import UTC, is_real_local_time, local_to_utc, zone_or_none
from hub.survey.questionnaire import CAPACITIES
from hub.themes import theme_choices

#: Shorter is not a session; longer is a mistake (an annual meeting's session lasts hours, not weeks).
SHORTEST, LONGEST = timedelta(minutes=5), timedelta(days=7)
MOST_SEATS = 100_000


def required():
    return DataRequired(message=_l("This field is required."))


class SessionForm(FlaskForm):
    title = StringField(_l("Title"), [required(), Length(max=TITLE_MAX, message=_l("Use at most 200 characters."))],
                        filters=[strip])
    description = TextAreaField(_l("Description"), [Length(max=20_000, message=_l("Use at most 20000 characters."))],
                                description=_l("Markdown: **bold**, lists, links."))
    starts_at = DateTimeLocalField(_l("Starts"), [required()], format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"],
                                   description=_l("In the time zone below."))
    ends_at = DateTimeLocalField(_l("Ends"), [required()], format=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"])
    timezone = SelectField(_l("Time zone of these times"), [required()], choices=[], validate_choice=False)
    online_url = StringField(_l("Online link"), [Optional(), Length(max=URL_MAX),
                                                 URL(require_tld=False, message=_l("Enter a web address starting with https://."))],
                             filters=[strip], description=_l("Shown only to registered people, unless the community is public."))
    place = StringField(_l("Place"), [Optional(), Length(max=PLACE_MAX, message=_l("Use at most 300 characters."))],
                        filters=[strip])
    languages = MultiCheckboxField(_l("Languages spoken"), choices=[])
    interpretation = MultiCheckboxField(_l("Interpretation offered into"), choices=[])
    capacity = IntegerField(_l("Seats"), [Optional(), NumberRange(min=1, max=MOST_SEATS, message=_l(
        "Seats: a number from 1 to 100000, or nothing for no limit."))],
        description=_l("Leave empty for no limit. When the seats are taken, people join a waitlist."))
    themes = MultiCheckboxField(_l("Themes"), choices=[])
    capacity_areas = MultiCheckboxField(_l("Capacity areas it strengthens"), choices=[])
    submit = SubmitField(_l("Save the session"))

    def fill_choices(self):
        languages = [(code, spoken_language_name(code)) for code in SPOKEN_LANGUAGES]
        self.languages.choices = self.interpretation.choices = languages
        self.themes.choices = theme_choices()
        self.capacity_areas.choices = [(key, str(label)) for key, label in CAPACITIES.items()]
        self.timezone.choices = timezone_choices()
        return self

    def validate(self, extra_validators=None):
        """Times are checked together, in the chosen zone (the fields reset their errors first)."""
        valid = super().validate(extra_validators)
        zone = zone_or_none(self.timezone.data)
        if zone is None:
            self.timezone.errors.append(_l("Choose a time zone from the list."))
            return False
        if self.online_url.data and not self.online_url.data.lower().startswith(("https://", "http://")):
            self.online_url.errors.append(_l("Enter a web address starting with https://."))
            valid = False
        if not valid or self.starts_at.data is None or self.ends_at.data is None:
            return False
        for field in (self.starts_at, self.ends_at):
            if not is_real_local_time(field.data, zone):
                field.errors.append(_l("This time does not exist in that time zone (the clocks jump forward)."))
                return False
        length = local_to_utc(self.ends_at.data, zone) - local_to_utc(self.starts_at.data, zone)
        if length <= timedelta(0):
            self.ends_at.errors.append(_l("The end must come after the start."))
            return False
        if length < SHORTEST:
            self.ends_at.errors.append(_l("A session lasts at least 5 minutes."))
            return False
        if length > LONGEST:
            self.ends_at.errors.append(_l("A session lasts at most 7 days: announce a longer event as several sessions."))
            return False
        return True

    def show_times(self, session) -> None:
        """Fill the times as the organiser typed them: in the session's own zone."""
        zone = zone_or_none(session.timezone) or UTC
        self.starts_at.data = session.starts_at.astimezone(zone).replace(tzinfo=None)
        self.ends_at.data = session.ends_at.astimezone(zone).replace(tzinfo=None)

    def data_for_service(self) -> dict:
        zone = zone_or_none(self.timezone.data)
        return {"title": self.title.data, "description": self.description.data or "",
                "starts_at": local_to_utc(self.starts_at.data, zone), "ends_at": local_to_utc(self.ends_at.data, zone),
                "timezone": self.timezone.data, "online_url": self.online_url.data or "",
                "place": self.place.data or "", "languages": self.languages.data or [],
                "interpretation": self.interpretation.data or [], "capacity": self.capacity.data,
                "themes": self.themes.data or [], "capacity_areas": self.capacity_areas.data or []}


class ProposalForm(SessionForm):
    """A member's proposal: the facilitators' form, with a one-time token (the same form sent twice proposes once)."""
    form_token = HiddenField(default=lambda: uuid.uuid4().hex, filters=[form_token])
    submit = SubmitField(_l("Propose the session"))


class DeclineForm(FlaskForm):
    reason = TextAreaField(_l("Why (sent to the member who proposed it)"), [required(), Length(
        max=1000, message=_l("Use at most 1000 characters."))], filters=[strip])
    submit = SubmitField(_l("Decline the proposal"))


class AttendanceForm(FlaskForm):
    """The ticked registrants arrive as the `attended` list (one checkbox per registration)."""
    submit = SubmitField(_l("Save who attended"))


class CancelForm(FlaskForm):
    reason = TextAreaField(_l("Why (sent to everyone registered)"),
                           [Length(max=1000, message=_l("Use at most 1000 characters."))])
    submit = SubmitField(_l("Cancel the session"))


class MoveForm(FlaskForm):
    community = SelectField(_l("Move to the community"), [required()], choices=[])
    submit = SubmitField(_l("Move the session"))


class MaterialForm(FlaskForm):
    recording = SelectField(_l("Recording (from the community's library)"), choices=[], validate_choice=True)
    slides = SelectField(_l("Slides or document (from the community's library)"), choices=[], validate_choice=True)
    notes = TextAreaField(_l("Notes"), [Length(max=20_000, message=_l("Use at most 20000 characters."))])
    summary = TextAreaField(_l("What we learned"), [Length(max=5000, message=_l("Use at most 5000 characters."))],
                            description=_l("A short summary; it can become a best practice."))
    submit = SubmitField(_l("Save"))


class BestPracticeForm(FlaskForm):
    summary = TextAreaField(_l("Best practice summary"), [required(), Length(
        max=500, message=_l("Use at most 500 characters."))], filters=[strip])
    submit = SubmitField(_l("Make it a best practice"))


class SettingsForm(FlaskForm):
    lead_minutes = MultiCheckboxField(_l("Remind me"), choices=[], coerce=int)
    submit = SubmitField(_l("Save my reminders"))

    def fill_choices(self):
        self.lead_minutes.choices = [(minutes, str(label)) for minutes, label in LEAD_TIMES.items()]
        return self
