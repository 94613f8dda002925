"""People's profiles, and the review of pending registrations by focal points and the secretariat."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hub import permissions
from hub.accounts import forms, services
from hub.accounts.models import User
from hub.audit import record
from hub.extensions import db
from hub.mail import absolute_url, send_email

bp = Blueprint("accounts_people", __name__)


def load_person_or_404(user_id: int) -> User:
    """The person, or 404 when they do not exist or may not be seen (never 403: no existence leak)."""
    person = db.session.get(User, user_id)
    if person is None or not permissions.can_view_profile(current_user, person):
        abort(404)
    return person


@bp.route("/people/<int:user_id>")
@login_required
def profile(user_id):
    """Signed-out visitors are asked to sign in, whoever the id names (no existence leak): an author's
    name or an @mention on a public page then leads somewhere; signed-in people who may not see the
    person get 404."""
    return render_template("accounts/profile.html", person=load_person_or_404(user_id))


bp.add_app_template_global(permissions.can_view_profile, "can_view_profile")


@bp.route("/registrations")
@login_required
def registrations():
    """Verified registrations waiting for this reviewer's decision."""
    if not permissions.can_review_registrations(current_user):
        abort(403)
    pending = services.pending_registrations(current_user)
    return render_template("accounts/registrations.html", pending=pending, form=forms.DecisionForm())


@bp.route("/registrations/<int:user_id>", methods=["POST"])
@login_required
def decide(user_id):
    """Approve or decline one registration, then tell the person in their language."""
    applicant = db.session.get(User, user_id)
    if applicant is None:
        abort(404)
    if not permissions.can_review_registration_of(current_user, applicant):
        abort(403)
    if not permissions.can_approve(current_user, applicant):
        flash(_("This registration was already handled."), "info")
        return redirect(url_for("accounts_people.registrations"))
    form = forms.DecisionForm()
    if not form.validate_on_submit():
        flash(" ".join(form.message.errors) or _("Please try again."), "error")
        return redirect(url_for("accounts_people.registrations"))
    message = (form.message.data or "").strip()
    if form.decline.data:
        services.decline(applicant, current_user)
        template, note = "registration_declined", _("%(name)s's registration was declined.", name=applicant.name)
    else:
        services.approve(applicant, current_user)
        template, note = "registration_approved", _("%(name)s can now sign in.", name=applicant.name)
    record("decline" if form.decline.data else "approve", applicant, message, actor=current_user)
    send_email(applicant.email, template, applicant.locale, user=applicant, message=message,
               link=absolute_url("accounts.login"))
    db.session.commit()
    flash(note, "success")
    return redirect(url_for("accounts_people.registrations"))
