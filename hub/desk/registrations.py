"""Registrations waiting for approval: a focal point decides on their own organisation's, the secretariat on all.

Like every desk page it asks for the second factor of the roles TWO_FACTOR_REQUIRED_FOR names. Deciding goes
through the desk's person_action (audited) and tell (the email in the person's language), as on a
person's desk page; declining offers the same reply templates, resolved in the applicant's language.
"""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hub import permissions
from hub.accounts import services as accounts
from hub.accounts.models import User
from hub.desk import reply_templates
from hub.desk.forms import RegistrationForm
from hub.desk.people import person_action, tell
from hub.desk.views import bp, staff_only
from hub.extensions import db

#: The reply templates a decline offers.
DECLINE = ("decline",)


def decision_form(applicant, submitted: bool = False, found=None) -> RegistrationForm:
    """The form for one applicant, its decline templates named in their language (English flagged)."""
    form = RegistrationForm() if submitted else RegistrationForm(formdata=None)
    reply_templates.offer(form.template, DECLINE, applicant.locale, found)
    return form


def render_registrations(failed=None):
    """The waiting registrations, each with its form (the one that failed keeps what was typed); 400 then.
    The templates are fetched once for every applicant's menu."""
    pending, found = accounts.pending_registrations(current_user), reply_templates.available(DECLINE)
    forms = {person.id: decision_form(person, found=found) for person in pending}
    if failed is not None:
        forms[failed[0].id] = failed[1]
    return render_template("desk/registrations.html", pending=pending, forms=forms), 400 if failed else 200


@bp.route("/registrations")
@staff_only(permissions.can_review_registrations)
def registrations():
    """Verified registrations waiting for this reviewer's decision."""
    return render_registrations()


@bp.route("/registrations/<int:user_id>", methods=["POST"])
@staff_only(permissions.can_review_registrations)
def decide_registration(user_id):
    """Approve or decline one registration, then tell the person in their language."""
    applicant = db.session.get(User, user_id) or abort(404)
    if not permissions.can_review_registration_of(current_user, applicant):
        abort(403)
    if not permissions.can_approve(current_user, applicant):
        flash(_("This registration was already handled."), "info")
        return redirect(url_for(".registrations"))
    form = decision_form(applicant, submitted=True)
    if not form.validate_on_submit() or not (form.approve.data or form.decline.data):
        return render_registrations(failed=(applicant, form))
    action = "decline" if form.decline.data else "approve"
    template = reply_templates.chosen(form.template) if action == "decline" else None
    message = reply_templates.message(template, form.message.data, applicant.locale)
    person_action(current_user, applicant, action, message)
    tell(applicant, action, message)
    db.session.commit()
    flash(_("%(name)s's registration was declined.", name=applicant.name) if action == "decline"
          else _("%(name)s can now sign in.", name=applicant.name), "success")
    return redirect(url_for(".registrations"))
