"""The organisation form (secretariat and the organisation's focal points)."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField, URLField
from wtforms.validators import InputRequired, Length, Optional, URL

from hub.accounts.forms import MultiCheckboxField


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), [InputRequired(message=_l("This field is required.")),
                                    Length(max=200, message=_l("Use at most 200 characters."))])
    acronym = StringField(_l("Acronym"), [Length(max=30, message=_l("Use at most 30 characters."))])
    type = SelectField(_l("Type"), choices=[])
    country = SelectField(_l("Country"), [InputRequired(message=_l("This field is required."))], choices=[])
    region = SelectField(_l("Region"), choices=[])
    north_south = SelectField(_l("Global North or South"), choices=[])
    working_languages = MultiCheckboxField(_l("Working languages"), choices=[])
    website = URLField(_l("Website"), [Optional(), Length(max=300, message=_l("Use at most 300 characters.")),
                                       URL(require_tld=True, message=_l("Enter a full web address, like https://example.org."))])
    description = TextAreaField(_l("Description"), [Length(max=5000, message=_l("Use at most 5000 characters."))])
    submit = SubmitField(_l("Save"))
