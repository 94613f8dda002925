"""Account forms. Every label and message is translatable; passwords are never sent back."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (BooleanField, EmailField, PasswordField, SelectField, SelectMultipleField, StringField,
                     SubmitField, TextAreaField)
from wtforms.validators import DataRequired, Email, Length, Optional, StopValidation, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from hub.accounts.passwords import password_problem
from hub.inputs import strip

NOT_LISTED = "not-listed"
#: Languages people may say they speak (the five interface languages first).
SPOKEN_LANGUAGES = ["en", "fr", "es", "pt", "ar", "sw", "de", "it", "ru", "zh", "hi", "bn", "ur", "id",
                    "ha", "am", "yo", "wo", "ne", "tr", "fa", "uk"]


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def required():
    return DataRequired(message=_l("This field is required."))


class AtMost(Length):
    """Length(max=…) that ends validation: the email parser takes time quadratic in the length (a
    200 KB "address" kept a worker busy for minutes), so nothing after it reads an overlong value."""

    def __call__(self, form, field):
        try:
            super().__call__(form, field)
        except ValidationError as error:
            raise StopValidation(str(error)) from None


def valid_email():
    return [required(), AtMost(max=254, message=_l("An email address has at most 254 characters.")),
            Email(message=_l("Enter a valid email address, like name@example.org."), check_deliverability=False)]


class NewPassword:
    """Checks the hub's password rule against the email and name in the same form."""

    def __call__(self, form, field):
        email = getattr(form, "email", None)
        name = getattr(form, "name", None)
        problem = password_problem(field.data or "", email.data if email else "", name.data if name else "")
        if problem:
            raise ValidationError(problem)


class RegisterForm(FlaskForm):
    name = StringField(_l("Your name"), [required(), Length(max=120, message=_l("Use at most 120 characters."))],
                       filters=[strip])
    email = EmailField(_l("Email"), valid_email(), filters=[strip])
    password = PasswordField(_l("Password"), [required(), NewPassword()],
                             description=_l("At least 10 characters. A few unrelated words are easy to "
                                            "remember and hard to guess."))
    organisation = SelectField(_l("Your organisation"), [required()], choices=[])
    new_organisation_name = StringField(
        _l("Name of your organisation"), [Optional(), Length(max=200, message=_l("Use at most 200 characters."))],
        filters=[strip], description=_l("Only if your organisation is not listed: the secretariat will add it."))
    new_organisation_country = SelectField(_l("Country of your organisation"), [Optional()], choices=[])
    submit = SubmitField(_l("Create my account"))

    def validate(self, extra_validators=None):
        """An organisation "not listed" needs a name and a country (checked after the fields reset errors)."""
        valid = super().validate(extra_validators)
        if self.organisation.data != NOT_LISTED:
            return valid
        if not self.new_organisation_name.data:
            self.new_organisation_name.errors.append(_l("Tell us the name of your organisation."))
            valid = False
        if not self.new_organisation_country.data:
            self.new_organisation_country.errors.append(_l("Choose the country of your organisation."))
            valid = False
        return valid


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), valid_email(), filters=[strip])
    password = PasswordField(_l("Password"), [required(), Length(max=1024)])
    remember = BooleanField(_l("Keep me signed in on this device"))
    submit = SubmitField(_l("Sign in"))


class SecondFactorForm(FlaskForm):
    code = StringField(_l("Code"), [required(), Length(max=40)], filters=[strip],
                       description=_l("The 6-digit code your authenticator app shows now, or one of your "
                                      "recovery codes."), render_kw={"autocomplete": "one-time-code"})
    remember_device = BooleanField(_l("Do not ask again on this device"))
    submit = SubmitField(_l("Continue"))


class EnableTwoFactorForm(FlaskForm):
    code = StringField(_l("Code from the app"), [required(), Length(max=40)], filters=[strip],
                       render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"})
    current_password = PasswordField(_l("Current password"), [required(), Length(max=1024)])
    submit = SubmitField(_l("Turn on two-factor sign-in"))


class PasswordConfirmForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), [required(), Length(max=1024)])
    submit = SubmitField(_l("Confirm"))


class ResendForm(FlaskForm):
    email = EmailField(_l("Email"), valid_email(), filters=[strip])
    submit = SubmitField(_l("Send the link again"))


class ForgotForm(FlaskForm):
    email = EmailField(_l("Email"), valid_email(), filters=[strip])
    submit = SubmitField(_l("Send me a reset link"))


class ResetForm(FlaskForm):
    password = PasswordField(_l("New password"), [required(), NewPassword()])
    submit = SubmitField(_l("Set my new password"))


class ConfirmForm(FlaskForm):
    submit = SubmitField(_l("Confirm"))


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField(_l("Current password"), [required(), Length(max=1024)])
    password = PasswordField(_l("New password"), [required(), NewPassword()])
    submit = SubmitField(_l("Change my password"))


class ChangeEmailForm(FlaskForm):
    email = EmailField(_l("New email"), valid_email(), filters=[strip])
    current_password = PasswordField(_l("Current password"), [required(), Length(max=1024)])
    submit = SubmitField(_l("Send a confirmation link"))


class ProfileForm(FlaskForm):
    name = StringField(_l("Your name"), [required(), Length(max=120, message=_l("Use at most 120 characters."))],
                       filters=[strip])
    languages = MultiCheckboxField(_l("Languages you speak"), choices=[])
    locale = SelectField(_l("Interface language"), choices=[])
    timezone = SelectField(_l("Time zone"), choices=[])
    bio = TextAreaField(_l("Short bio"), [Length(max=1000, message=_l("Use at most 1000 characters."))])
    expertise = TextAreaField(_l("Areas of expertise"), [Length(max=1000, message=_l("Use at most 1000 characters."))],
                              description=_l("For example: budget tracking, girls' education, digital advocacy."))
    submit = SubmitField(_l("Save my profile"))
