"""Sign-in security on one's account: the devices signed in (each can be signed out) and two-factor sign-in."""

from flask import Blueprint, abort, flash, redirect, render_template, session, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, logout_user

from hub.accounts import forms, notices, sessions, two_factor
from hub.accounts.models import DeviceSession
from hub.db import utcnow
from hub.extensions import db

bp = Blueprint("accounts_devices", __name__, url_prefix="/account")
#: The session key holding a new authenticator secret until the person proves it with a code.
NEW_SECRET = "two_factor_setup"


@bp.before_request
@login_required
def require_login():
    """Every page here is about the signed-in person."""


@bp.route("/devices")
def index():
    """The devices signed in to this account, this one marked."""
    this = sessions.current()
    rows = [(row, *sessions.describe(row.user_agent)) for row in sessions.active_for(current_user)]
    return render_template("accounts/devices.html", rows=rows, this_id=this.id if this else None, now=utcnow())


def _own_session(row_id: int) -> DeviceSession:
    """One of the signed-in person's sessions, or 404 (another person's session is not found)."""
    row = db.session.get(DeviceSession, row_id)
    if row is None or row.user_id != current_user.id:
        abort(404)
    return row


@bp.route("/devices/<int:row_id>/sign-out", methods=["POST"])
def sign_out(row_id):
    """Sign one device out (this one too, if chosen)."""
    row = _own_session(row_id)
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
    was_this = sessions.current() is not None and row.id == sessions.current().id
    sessions.end(row.id)
    db.session.commit()
    if was_this:
        logout_user()  # the row is gone already; this also drops the cookies
    flash(_("That device is signed out."), "success")
    return redirect(url_for("accounts.login" if was_this else "accounts_devices.index"))


@bp.route("/devices/sign-out-others", methods=["POST"])
def sign_out_others():
    """Sign out everywhere except this device."""
    if not forms.ConfirmForm().validate_on_submit():
        abort(400)
    count = sessions.end_all(current_user, keep=current_user.device_token, audited=True)
    db.session.commit()
    flash(ngettext("You are signed out everywhere else (%(num)d device).",
                   "You are signed out everywhere else (%(num)d devices).", count), "success")
    return redirect(url_for("accounts_devices.index"))


@bp.route("/two-factor", methods=["GET", "POST"])
def two_factor_setup():
    """Turn on two-factor sign-in: scan the QR code, type a code and the password; recovery codes follow."""
    if current_user.has_two_factor:
        return render_template("accounts/two_factor_on.html", left=two_factor.recovery_codes_left(current_user),
                               form=forms.PasswordConfirmForm())
    secret = session.get(NEW_SECRET) or two_factor.new_secret()
    session[NEW_SECRET] = secret
    form = forms.EnableTwoFactorForm()
    if form.validate_on_submit():
        step = two_factor.matching_step(secret, form.code.data, None)
        if not current_user.check_password(form.current_password.data):
            form.current_password.errors.append(_("Your current password is not right."))
        elif step is None:
            form.code.errors.append(_("This code is not right. Check the time on your phone and try the newest code."))
        else:
            codes = two_factor.enable(current_user, secret, step)
            notices.second_factor_added(current_user)
            db.session.commit()  # the notice goes out after this commit
            session.pop(NEW_SECRET, None)
            flash(_("Two-factor sign-in is on."), "success")
            return render_template("accounts/recovery_codes.html", codes=codes)
    uri = two_factor.provisioning_uri(current_user, secret)
    return render_template("accounts/two_factor_setup.html", form=form, secret=secret, qr=two_factor.qr_svg(uri))


@bp.route("/two-factor/<action>", methods=["POST"])
def two_factor_change(action):
    """New recovery codes, or two-factor sign-in turned off; both ask for the password."""
    if action not in ("recovery-codes", "off") or not current_user.has_two_factor:
        abort(404)
    form = forms.PasswordConfirmForm()
    if not form.validate_on_submit() or not current_user.check_password(form.current_password.data):
        flash(_("Your current password is not right."), "error")
        return redirect(url_for("accounts_devices.two_factor_setup"))
    if action == "recovery-codes":
        codes = two_factor.new_recovery_codes(current_user)
        db.session.commit()
        return render_template("accounts/recovery_codes.html", codes=codes)
    two_factor.turn_off(current_user)
    notices.second_factor_removed(current_user)
    db.session.commit()
    flash(_("Two-factor sign-in is off."), "info")
    return redirect(url_for("accounts_devices.two_factor_setup"))
