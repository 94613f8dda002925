"""Registering, verifying, signing in and out, and resetting a forgotten password."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_user, logout_user
from sqlalchemy.exc import IntegrityError

from hub import audit
from hub.accounts import forms, notices, sanctions, services, sessions, tokens, two_factor
from hub.accounts.models import DECLINED, PENDING
from hub.accounts.passwords import hash_password
from hub.db import utcnow
from hub.extensions import db, limiter, login_manager
from hub.mail import absolute_url, send_email
from hub.organisations.countries import country_choices
from hub.organisations.services import listed_organisations

bp = Blueprint("accounts", __name__)
bp.after_app_request(sessions.touch_after_request)
#: What _create_account() answers when the email has an account already.
TAKEN = object()
#: The session key holding who gave the right password and waits for the second step, and for how long.
SECOND_STEP, SECOND_STEP_SECONDS = "second_step", 600
login_manager.login_view = "accounts.login"
login_manager.session_protection = "basic"


@login_manager.unauthorized_handler
def unauthorized():
    """Anonymous visitors of a members' page are asked to sign in, then sent back."""
    flash(_("Please sign in to see this page."), "info")
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def _limit(name):
    return limiter.limit(lambda: current_app.config[name], methods=["POST"])


def safe_next(target: str | None) -> str:
    """Only local paths are followed after signing in (no open redirect)."""
    # Browsers drop tabs and newlines and read a backslash as a slash: "/\t/evil" is "//evil".
    if (target and target.startswith("/") and not target.startswith("//") and "\\" not in target
            and not any(ch.isspace() or ord(ch) < 32 for ch in target)):
        parts = urlsplit(target)
        if not parts.scheme and not parts.netloc:
            return target
    return url_for("core.home")


def fresh_session() -> None:
    """Start a new session, keeping only the language chosen in this browser."""
    locale = session.get("locale")
    session.clear()
    if locale:
        session["locale"] = locale


def check_your_email(email: str, reset: bool = False):
    """Redirect to the "check your email" page (POST/redirect/GET: reloading sends nothing again)."""
    session["check_email"] = {"email": email, "reset": reset}
    return redirect(url_for("accounts.check_email"))


@bp.route("/check-email")
def check_email():
    """The "check your email" page, after a registration or a request for a link."""
    sent = session.get("check_email")
    if not sent:
        return redirect(url_for("core.home"))
    return render_template("accounts/check_email.html", email=sent["email"], reset=sent["reset"])


def send_verification(user) -> None:
    """Email the person a link to confirm their address."""
    link = absolute_url("accounts.verify", token=tokens.make_token(tokens.VERIFY, user))
    send_email(user.email, "verify_email", user.locale, user=user, link=link)
    db.session.commit()  # the mail goes out after this commit


@bp.route("/register", methods=["GET", "POST"])
@_limit("REGISTER_RATE_LIMIT")
@audit.exempt("a visitor registering their own account (approving it is audited)")
def register():
    """Create a pending account and send the confirmation link."""
    if current_user.is_authenticated:
        return redirect(url_for("core.home"))
    form = forms.RegisterForm()
    form.organisation.choices = ([("", _("Choose your organisation"))]
                                 + [(str(o.id), o.display_name) for o in listed_organisations()]
                                 + [(forms.NOT_LISTED, _("My organisation is not listed"))])
    form.new_organisation_country.choices = [("", _("Choose a country"))] + country_choices()
    if form.validate_on_submit():
        user = TAKEN if services.email_taken(form.email.data) else _create_account(form)
        if user is TAKEN:
            return _already_registered(form)
        if user is not None:
            send_verification(user)
            return check_your_email(user.email)
    return render_template("accounts/register.html", form=form)


def _already_registered(form):
    """The same answer as for a new address (no enumeration); the address's owner gets an email instead."""
    hash_password(form.password.data)  # as long as creating an account takes
    owner = services.find_by_email(form.email.data)
    if owner is not None and not owner.is_deleted:
        notices.account_exists(owner.email, owner)
        db.session.commit()  # the mail goes out after this commit
    return check_your_email(services.normalise_email(form.email.data))


def _create_account(form):
    """Create the account; TAKEN when a racing registration with the same email committed first."""
    organisation, new_org = None, None
    if form.organisation.data == forms.NOT_LISTED:
        new_org = {"name": form.new_organisation_name.data, "country": form.new_organisation_country.data}
    else:
        organisation = db.session.get(services.Organisation, int(form.organisation.data))
        if organisation is None or not organisation.is_listed:
            form.organisation.errors.append(_("Choose your organisation from the list."))
            return None
    try:
        user = services.register(form.name.data, form.email.data, form.password.data, organisation, new_org,
                                 locale=str(get_locale()))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        return TAKEN
    return user


@bp.route("/verify/<token>", methods=["GET", "POST"])
@audit.exempt("a person verifying their own address")
def verify(token):
    """The link only shows a button: a link scanner's GET never verifies anyone."""
    try:
        user, _payload = tokens.read_token(tokens.VERIFY, token)
    except tokens.TokenError as error:
        return render_template("accounts/bad_link.html", expired=error.expired, resend=True), 400
    form = forms.ConfirmForm()
    if form.validate_on_submit():
        if services.mark_verified(user):
            for approver in services.approvers_for(user):
                send_email(approver.email, "registration_waiting", approver.locale, user=user, approver=approver,
                           link=absolute_url("desk.registrations"))
            db.session.commit()
        flash(_("Thank you, your email address is confirmed."), "success")
        return redirect(url_for("accounts.verify", token=token))
    if user.is_verified:
        return render_template("accounts/verified.html", user=user)
    return render_template("accounts/verify.html", form=form, user=user)


@bp.route("/verify/resend", methods=["GET", "POST"])
@_limit("RESET_RATE_LIMIT")
@audit.exempt("a person asking again for their own verification mail")
def resend_verification():
    """Send a new confirmation link (the same answer for unknown emails)."""
    form = forms.ResendForm()
    if form.validate_on_submit():
        user = services.find_by_email(form.email.data)
        if user is not None and not user.is_verified:
            send_verification(user)
        return check_your_email(form.email.data)
    return render_template("accounts/resend.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@_limit("LOGIN_RATE_LIMIT")
@audit.exempt("a person signing in")
def login():
    """Sign in with email and password (then a code, for people with two-factor sign-in); a new session each time."""
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")))
    form = forms.LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is None:
            form.password.errors.append(_("Email or password is incorrect."))
        elif (problem := standing_problem(user)) is not None:
            form.email.errors.append(problem)
        elif user.has_two_factor and not two_factor.device_remembered(
                user, request.cookies.get(two_factor.REMEMBER_COOKIE)):
            fresh_session()
            session[SECOND_STEP] = {"u": user.id, "r": bool(form.remember.data), "at": utcnow().timestamp()}
            db.session.commit()  # a password hash renewed by authenticate()
            return redirect(url_for("accounts.second_factor", next=request.args.get("next")))
        else:
            return complete_sign_in(user, form.remember.data)
    return render_template("accounts/login.html", form=form)


def complete_sign_in(user, remember: bool, remember_device: bool = False):
    """Start this device's session row, set the cookies, and go where the person was heading."""
    fresh_session()  # a new session on every sign-in
    sessions.start(user, remember, request.user_agent.string)
    login_user(user, remember=remember)
    first_time = user.last_login_at is None
    services.record_login(user)
    if not first_time and not sessions.known_device(user):
        notices.new_device(user)
    db.session.commit()
    response = redirect(safe_next(request.args.get("next")))
    sessions.mark_known(response, user)
    if remember_device:
        response.set_cookie(two_factor.REMEMBER_COOKIE, two_factor.device_cookie(user),
                            max_age=int(current_app.config["TWO_FACTOR_REMEMBER_DEVICE"].total_seconds()),
                            secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True, samesite="Lax")
    flash(_("Welcome, %(name)s.", name=user.name), "success")
    return response


def _pending_second_step():
    """The person who gave the right password in this browser in the last few minutes, or None."""
    pending = session.get(SECOND_STEP) or {}
    if not pending or utcnow().timestamp() - pending.get("at", 0) > SECOND_STEP_SECONDS:
        return None
    user = db.session.get(services.User, pending.get("u"))
    return user if user is not None and user.is_active and user.has_two_factor else None


def _pending_key():
    """Second-factor attempts are limited per account too, so changing address does not help."""
    return "second-factor:%s" % (session.get(SECOND_STEP) or {}).get("u")


@bp.route("/login/code", methods=["GET", "POST"])
@_limit("TWO_FACTOR_RATE_LIMIT")
@limiter.limit(lambda: current_app.config["TWO_FACTOR_RATE_LIMIT"], key_func=_pending_key, methods=["POST"])
@audit.exempt("a person signing in with their second factor")
def second_factor():
    """The second step: a code from the authenticator app, or a recovery code."""
    user = _pending_second_step()
    if user is None:
        session.pop(SECOND_STEP, None)
        flash(_("Please sign in again."), "info")
        return redirect(url_for("accounts.login", next=request.args.get("next")))
    form = forms.SecondFactorForm()
    if form.validate_on_submit():
        if two_factor.check_code(user, form.code.data) or two_factor.use_recovery_code(user, form.code.data):
            remember = session.pop(SECOND_STEP)["r"]
            return complete_sign_in(user, remember, remember_device=form.remember_device.data)
        form.code.errors.append(_("This code is not right, or was already used. Try the newest code."))
    days = current_app.config["TWO_FACTOR_REMEMBER_DEVICE"].days
    form.remember_device.description = ngettext("For %(num)d day.", "For %(num)d days.", days)
    return render_template("accounts/second_factor.html", form=form)


@bp.app_template_global()
def silence_notice(user) -> list[str]:
    """The banner a silenced person sees on every page: read-only, why, until when, how to appeal."""
    return sanctions.explain(user, sanctions.SILENCE)


def standing_problem(user) -> str | None:
    """Why this account cannot sign in yet, in words the person understands."""
    if not user.is_verified:
        return _("Please confirm your email address first: follow the link we sent you, or ask for a new one.")
    if user.status == PENDING:
        return _("Your account is waiting for approval by your organisation's focal point or the secretariat.")
    if user.status == DECLINED:
        return _("Your registration was declined. Contact the secretariat if you think this is a mistake.")
    if user.is_suspended:
        return " ".join(sanctions.explain(user, sanctions.SUSPENSION))
    return None


@bp.route("/logout", methods=["POST"])
@audit.exempt("a person signing out")
def logout():
    """Sign out: this device's session row is deleted, so a copy of its cookies is worth nothing."""
    if current_user.is_authenticated:
        sessions.end(token=current_user.device_token)
        db.session.commit()
    fresh_session()
    logout_user()  # after clearing the session: it leaves the note that deletes the remember-me cookie
    flash(_("You are signed out."), "info")
    return redirect(url_for("core.home"))


@bp.route("/password/forgot", methods=["GET", "POST"])
@_limit("RESET_RATE_LIMIT")
@audit.exempt("a person asking to reset their own password")
def forgot_password():
    """Email a reset link (the same answer for unknown emails)."""
    form = forms.ForgotForm()
    if form.validate_on_submit():
        user = services.find_by_email(form.email.data)
        if user is not None and not user.is_deleted:
            link = absolute_url("accounts.reset_password", token=tokens.make_token(tokens.RESET, user))
            send_email(user.email, "reset_password", user.locale, user=user, link=link)
            db.session.commit()  # the mail goes out after this commit
        # The same answer whether or not the address has an account.
        return check_your_email(form.email.data, reset=True)
    return render_template("accounts/forgot.html", form=form)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
@_limit("RESET_RATE_LIMIT")
@audit.exempt("a person resetting their own password")
def reset_password(token):
    """Choose a new password from an emailed link; it works once."""
    try:
        user, _payload = tokens.read_token(tokens.RESET, token)
    except tokens.TokenError as error:
        return render_template("accounts/bad_link.html", expired=error.expired, reset=True), 400
    form = forms.ResetForm()
    if form.validate_on_submit():
        services.change_password(user, form.password.data)  # every session ends, remembered ones too
        notices.password_changed(user)
        db.session.commit()
        flash(_("Your password is changed. You can sign in with it now."), "success")
        return redirect(url_for("accounts.login"))
    return render_template("accounts/reset.html", form=form)


@bp.route("/email/stop/<token>", methods=["GET", "POST"])
def stop_email_change(token):
    """From the old address: stop an email change nobody asked for, and sign out everywhere."""
    try:
        user, _payload = tokens.read_token(tokens.STOP_EMAIL_CHANGE, token)
    except tokens.TokenError as error:
        return render_template("accounts/bad_link.html", expired=error.expired), 400
    form = forms.ConfirmForm()
    if form.validate_on_submit():
        services.stop_email_change(user)
        db.session.commit()
        fresh_session()
        logout_user()
        flash(_("The email change is stopped and every session is signed out. Someone knew your password: "
                "choose a new one now."), "success")
        return redirect(url_for("accounts.forgot_password"))
    return render_template("accounts/stop_email_change.html", form=form)
