"""A person's own account: profile, interface language, time zone, password and email."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from hub import audit
from hub.accounts import export, forms, notices, services, tokens
from hub.extensions import db
from hub.i18n import language_choices, spoken_language_name, timezone_choices
from hub.mail import absolute_url, send_email

bp = Blueprint("accounts_settings", __name__, url_prefix="/account")
bp.add_url_rule("/export", "export", export.download)  # everything the hub holds about you, as JSON


@bp.before_request
@login_required
def require_login():
    """Every page here is about the signed-in person."""


def spoken_language_choices():
    """(code, name in the interface language) for the languages people speak."""
    return [(code, spoken_language_name(code)) for code in forms.SPOKEN_LANGUAGES]


@bp.route("/", methods=["GET", "POST"])
@audit.exempt("a person's own profile")
def profile():
    """Edit one's name, languages, interface language, time zone, bio and expertise."""
    form = forms.ProfileForm(obj=current_user)
    form.languages.choices = spoken_language_choices()
    form.locale.choices = [("", _("The language my browser asks for"))] + language_choices()
    # "Not chosen" is not UTC: times then follow the organisation's country (learning_sessions.times.reader_zone).
    form.timezone.choices = [("", _("Not chosen: my organisation's country's zone"))] + timezone_choices()
    if form.validate_on_submit():
        services.update_profile(current_user, {
            "name": form.name.data, "languages": form.languages.data, "locale": form.locale.data or None,
            "timezone": form.timezone.data or None, "bio": form.bio.data.strip(), "expertise": form.expertise.data.strip()})
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("accounts_settings.profile"))
    return render_template("accounts/profile_edit.html", form=form)


@bp.route("/password", methods=["GET", "POST"])
@audit.exempt("a person's own password")
def change_password():
    """Change the password after giving the current one; other sessions end."""
    form = forms.ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(_("Your current password is not right."))
        else:
            # This device stays signed in (its cookies name a session that survives); every other ends.
            services.change_password(current_user, form.password.data, keep_session=current_user.device_token)
            notices.password_changed(current_user)
            db.session.commit()
            flash(_("Your password is changed. You were signed out everywhere else."), "success")
            return redirect(url_for("accounts_settings.profile"))
    return render_template("accounts/change_password.html", form=form)


@bp.route("/email", methods=["GET", "POST"])
@audit.exempt("a person's own email address")
def change_email():
    """Ask for a new email after giving the current password; a link confirms it."""
    form = forms.ChangeEmailForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(_("Your current password is not right."))
        elif services.email_taken(form.email.data, except_user=current_user):
            form.email.errors.append(_("Another account already uses this email."))
        else:
            new_email = services.normalise_email(form.email.data)
            token = tokens.make_token(tokens.CHANGE_EMAIL, current_user, new=new_email)
            send_email(new_email, "change_email", current_user.locale, user=current_user,
                       link=absolute_url("accounts_settings.confirm_email", token=token))
            stop = tokens.make_token(tokens.STOP_EMAIL_CHANGE, current_user)
            notices.email_change_requested(current_user, new_email,
                                           absolute_url("accounts.stop_email_change", token=stop))
            db.session.commit()  # the mail goes out after this commit
            flash(_("We sent a link to %(email)s. Your email changes when you follow it.", email=new_email), "info")
            return redirect(url_for("accounts_settings.profile"))
    return render_template("accounts/change_email.html", form=form)


@bp.route("/email/confirm/<token>", methods=["GET", "POST"])
@audit.exempt("a person confirming their own new address")
def confirm_email(token):
    """The link from the new address: shows a button, POST makes the change."""
    try:
        user, payload = tokens.read_token(tokens.CHANGE_EMAIL, token)
    except tokens.TokenError as error:
        return render_template("accounts/bad_link.html", expired=error.expired), 400
    if user.id != current_user.id:
        return render_template("accounts/bad_link.html", expired=False), 400
    form = forms.ConfirmForm()
    if form.validate_on_submit():
        if not services.email_taken(payload["new"], except_user=user):
            try:
                services.change_email(user, payload["new"])
                db.session.commit()
            except IntegrityError:  # someone registered the address a moment ago
                db.session.rollback()
            else:
                flash(_("Your email is now %(email)s.", email=user.email), "success")
                return redirect(url_for("accounts_settings.profile"))
        flash(_("Another account already uses this email."), "error")
        return redirect(url_for("accounts_settings.change_email"))
    return render_template("accounts/confirm_email.html", form=form, new_email=payload["new"])
