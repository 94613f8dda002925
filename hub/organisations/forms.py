"""The organisation forms: create and edit (secretariat, focal points), and declining a proposal."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField, URLField
from wtforms.validators import InputRequired, Length, Optional, URL

from hub.accounts.forms import SPOKEN_LANGUAGES, MultiCheckboxField
from hub.i18n import spoken_language_name
from hub.organisations.countries import NORTH_SOUTH, REGIONS, country_choices
from hub.organisations.models import ORGANISATION_TYPES


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), [InputRequired(message=_l("This field is required.")),
                                    Length(max=200, message=_l("Use at most 200 characters."))])
    acronym = StringField(_l("Acronym"), [Length(max=30, message=_l("Use at most 30 characters."))])
    type = SelectField(_l("Type"), choices=[])
    country = SelectField(_l("Country"), [InputRequired(message=_l("This field is required."))], choices=[])
    region = SelectField(_l("Region"), choices=[],
                         description=_l("Leave on “From the country” to use the country's region."))
    north_south = SelectField(_l("Global North or South"), choices=[],
                              description=_l("Leave on “From the country” to use the country's usual group."))
    working_languages = MultiCheckboxField(_l("Working languages"), choices=[])
    website = URLField(_l("Website"), [Optional(), Length(max=300, message=_l("Use at most 300 characters.")),
                                       URL(require_tld=True, message=_l("Enter a full web address, like https://example.org."))])
    description = TextAreaField(_l("Description"), [Length(max=5000, message=_l("Use at most 5000 characters."))])
    submit = SubmitField(_l("Save"))
    publish = SubmitField(_l("Save and add to the directory"))

    def set_choices(self, current_languages=()) -> None:
        """Fill the lists in the reader's language; keep languages already recorded even if unusual."""
        from_country = [("", _l("From the country"))]
        self.type.choices = [(k, str(v)) for k, v in ORGANISATION_TYPES.items()]
        self.country.choices = [("", _l("Choose a country"))] + country_choices()
        self.region.choices = from_country + [(k, str(v)) for k, v in REGIONS.items()]
        self.north_south.choices = from_country + [(k, str(v)) for k, v in NORTH_SOUTH.items()]
        codes = list(SPOKEN_LANGUAGES) + [c for c in current_languages or () if c not in SPOKEN_LANGUAGES]
        self.working_languages.choices = [(code, spoken_language_name(code)) for code in codes]

    def keep_only(self, names) -> None:
        """Drop every editable field not in `names` (a focal point does not classify their organisation)."""
        for name in [n for n in self._fields if n not in (*names, "csrf_token", "submit", "publish")]:
            delattr(self, name)


class DeclineForm(FlaskForm):
    merge_into = SelectField(_l("Move its people to"), choices=[],
                             description=_l("Choose the listed organisation it duplicates, or leave empty."))
    submit = SubmitField(_l("Decline"))
