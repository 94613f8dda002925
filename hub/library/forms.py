"""The library forms: an item (with its file or a finished resumable upload), captions, filters."""

from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, DateField, HiddenField, SelectChoice, SelectField, SelectMultipleField, StringField,
                     SubmitField, TextAreaField, URLField)
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from hub.accounts.forms import SPOKEN_LANGUAGES, MultiCheckboxField
from hub.i18n import spoken_language_name
from hub.inputs import strip
from hub.library.models import KINDS, LICENCES
from hub.organisations.countries import REGIONS, country_choices
from hub.themes import theme_choices

REQUIRED = _l("This field is required.")


def choices(pairs):
    """SelectChoice objects from (value, label) pairs (WTForms deprecates plain tuples)."""
    return [SelectChoice(value, label) for value, label in pairs]


def language_choices(extra=()):
    """(code, name in the reader's language) of spoken languages, keeping unusual ones already recorded."""
    codes = list(SPOKEN_LANGUAGES) + [c for c in extra or () if c not in SPOKEN_LANGUAGES]
    return [(code, spoken_language_name(code)) for code in codes]


def web_address(form, field):
    """Only http(s) addresses with a host: javascript:, data: and the like are refused."""
    if not field.data:
        return
    parts = urlsplit(field.data)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname or any(
            ord(ch) < 33 for ch in field.data):
        raise ValidationError(_l("Enter a web address starting with https:// or http://."))


class ItemForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=choices(KINDS.items()), default="document")
    title = StringField(_l("Title"), [InputRequired(message=REQUIRED),
                                      Length(max=200, message=_l("Use at most 200 characters."))], filters=[strip])
    file = FileField(_l("File"), description=_l(
        "Recordings: audio or video. Videos: MP4, WebM, MOV, MKV. Documents: PDF, Word, Excel, PowerPoint, "
        "OpenDocument, RTF or plain text."))
    upload_id = HiddenField()
    url = URLField(_l("Web address"), [Optional(), Length(max=2000, message=_l("Use at most 2000 characters.")),
                                       web_address], filters=[strip],
                   description=_l("For links: the page this item points to."))
    description = TextAreaField(_l("Description"), [Length(max=20000, message=_l("Use at most 20000 characters."))],
                                description=_l("Markdown: **bold**, *italic*, [link](https://…)."))
    languages = MultiCheckboxField(_l("Languages of the content"), choices=[], validate_choice=False)
    themes = MultiCheckboxField(_l("Themes"), choices=[], validate_choice=False)
    countries = SelectMultipleField(_l("Countries concerned"), choices=[], validate_choice=False,
                                    description=_l("Hold Ctrl (or ⌘) to choose several."))
    regions = MultiCheckboxField(_l("Regions concerned"), choices=[], validate_choice=False)
    licence = SelectField(_l("Licence"), choices=[], default="cc-by")
    organisation_id = SelectField(_l("From the organisation"), choices=[], coerce=int)
    community_id = SelectField(_l("Community"), choices=[], coerce=int, description=_l(
        "In a community, the item is visible to whoever can read that community."))
    is_public = BooleanField(_l("Visible to everyone, signed in or not (items outside communities only)"))
    session_date = DateField(_l("Date of the session"), [Optional()])
    speakers = StringField(_l("Speakers"), [Length(max=500, message=_l("Use at most 500 characters."))],
                           filters=[strip])
    transcript = TextAreaField(_l("Transcript"), [Length(max=200000, message=_l("The transcript is too long."))],
                               description=_l("Optional: otherwise it is taken from the captions."))
    submit = SubmitField(_l("Save"))

    def set_choices(self, organisations, communities, item=None) -> None:
        """Fill the lists in the reader's language; `communities` are those the person may add to."""
        self.languages.choices = choices(language_choices(item.languages if item else ()))
        self.themes.choices = choices(theme_choices())
        self.countries.choices = choices(country_choices())
        self.regions.choices = choices((k, str(v)) for k, v in REGIONS.items())
        self.licence.choices = choices((k, str(v)) for k, v in LICENCES.items())
        self.organisation_id.choices = choices([(0, _l("None"))] + [(o.id, o.display_name) for o in organisations])
        self.community_id.choices = choices([(0, _l("None: the whole hub"))] + [(c.id, c.title) for c in communities])

    def validate_languages(self, field):
        _known(field)

    def validate_themes(self, field):
        _known(field)

    def validate_countries(self, field):
        _known(field)

    def validate_regions(self, field):
        _known(field)

    def validate_url(self, field):
        if self.kind.data == "link" and not field.data:
            raise ValidationError(_l("A link needs a web address."))

    def data_for_item(self) -> dict:
        """The fields as the services expect them (0 in a list means none)."""
        data = {name: self[name].data for name in ("kind", "title", "description", "languages", "themes",
                                                     "countries", "regions", "licence", "is_public",
                                                     "session_date", "speakers", "transcript")}
        for name in ("title", "description", "speakers", "transcript"):
            data[name] = data[name] or ""
        data["url"] = (self.url.data or "") if self.kind.data == "link" else ""
        data["organisation_id"] = self.organisation_id.data or None
        data["community_id"] = self.community_id.data or None
        return data


def _known(field):
    allowed = {choice.value for choice in field.choices}
    if any(value not in allowed for value in field.data or ()):
        raise ValidationError(_l("Choose from the list."))


class CaptionForm(FlaskForm):
    language = SelectField(_l("Language of the captions"), choices=[])
    file = FileField(_l("Captions file (.vtt or .srt)"))
    submit = SubmitField(_l("Add captions"))
