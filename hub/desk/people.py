"""The desk's People page: the secretariat approves registrations, suspends, reinstates and changes roles.

person_action() is the service (it flushes); the views commit once. Every change is audited.
"""

from datetime import datetime, time, timezone

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from hub import permissions
from hub.accounts import export, notices, sanctions, sessions, two_factor
from hub.accounts import services as accounts
from hub.accounts.models import ACTIVE, PENDING, SUSPENDED, User
from hub.db import utcnow
from hub.extensions import db
from hub.mail import absolute_url, send_email
from hub.audit import record
from hub.desk import erasure
from hub.desk import reply_templates, triage
from hub.desk.forms import ExportForm, NoteForm, PersonForm
from hub.desk.models import PERSON
from hub.desk.views import bp, staff_only
from hub.pagination import page_arg, paginate

PER_PAGE = 50
REFUSALS = {
    "self": _l("You cannot suspend yourself."),
    "self_silence": _l("You cannot silence yourself."),
    "last": _l("You are the last secretariat account: make someone else secretariat first."),
    "not_pending": _l("This registration was already handled."),
    "secretariat": _l("Remove the secretariat role first."),
    "own": _l("You cannot do this to your own account."),
}


class Refused(Exception):
    """The action is not allowed on this person; the message says why."""


def active_secretariat_count() -> int:
    return db.session.scalar(sa.select(sa.func.count(User.id)).where(
        User.is_secretariat.is_(True), User.deleted_at.is_(None), User.status == ACTIVE))


def person_action(actor, person, action: str, reason: str, until=None) -> None:
    """Apply one action to a person's account and audit it; raises Refused with a reason key."""
    if action in ("suspend", "silence"):
        if person.id == actor.id:
            raise Refused("self" if action == "suspend" else "self_silence")
        if action == "silence" and permissions.is_secretariat(person):
            raise Refused("secretariat")
        (sanctions.suspend if action == "suspend" else sanctions.silence)(person, reason, until)
    elif action == "reinstate":
        sanctions.reinstate(person)
    elif action == "unsilence":
        sanctions.unsilence(person)
    elif action in ("approve", "decline"):
        if not person.is_pending:
            raise Refused("not_pending")
        (accounts.approve if action == "approve" else accounts.decline)(person, actor)
    elif action == "anonymise":
        if person.id == actor.id or permissions.is_secretariat(person):
            raise Refused("own" if person.id == actor.id else "secretariat")
        record(action, person, reason, {"until": None}, actor=actor)  # first: the erasure rewrites it too
        anonymise(person)
        return
    elif action == "reset_two_factor":
        if person.id == actor.id:
            raise Refused("own")
        two_factor.disable(person)
    elif action in ("make_focal_point", "remove_focal_point"):
        person.is_focal_point = action == "make_focal_point"
    elif action in ("make_secretariat", "remove_secretariat"):
        if action == "remove_secretariat" and person.id == actor.id and active_secretariat_count() <= 1:
            raise Refused("last")
        person.is_secretariat = action == "make_secretariat"
    else:
        raise ValueError(action)
    db.session.flush()
    record(action, person, reason, {"until": until.isoformat() if until else None}, actor=actor)


def anonymise(person) -> None:
    """A departed member: personal data gone from the account and every copy (hub.desk.erasure),
    content stays (shown as "former member"); sessions end."""
    former = (person.name, person.email)
    person.name = erasure.PLACEHOLDER_NAME  # stored once, the same in every language
    person.email = erasure.placeholder_email(person.id)
    person.handle = None
    person.bio = person.expertise = person.organisation_request = ""
    person.languages = []
    person.is_focal_point = False
    person.password_hash = "!"  # matches no password
    person.session_version += 1
    person.totp_secret = person.totp_last_step = person.two_factor_enabled_at = None
    sessions.end_all(person)  # the devices list (user agents) goes too
    person.deleted_at = utcnow()
    erasure.erase_copies(person.id, *former)


@bp.route("/desk/people")
@staff_only(permissions.can_manage_people)
def people():
    """Pending registrations, then everyone (searchable by name or email)."""
    q = request.args.get("q", "").strip()[:100]
    query = sa.select(User).where(User.deleted_at.is_(None)).order_by(User.name)
    if q:
        query = query.where(sa.or_(User.name.ilike(f"%{q}%"), User.email.ilike(f"%{q}%")))
    page = paginate(query, page_arg(), PER_PAGE)
    pending = list(db.session.scalars(sa.select(User).where(
        User.status == PENDING, User.email_verified_at.is_not(None), User.deleted_at.is_(None))
        .order_by(User.created_at)))
    return render_template("desk/people.html", page=page, pending=pending, q=q,
                           suspended=SUSPENDED)


@bp.route("/desk/people/<int:user_id>", methods=["GET", "POST"])
@staff_only(permissions.can_manage_people)
def person(user_id):
    """One person's account: the actions the secretariat can take on it."""
    someone = db.session.get(User, user_id) or abort(404)
    form = PersonForm()
    reply_templates.offer(form.template, ("sanction", "decline"))
    status = 200
    if form.validate_on_submit():
        until = (datetime.combine(form.until.data, time(), tzinfo=timezone.utc)
                 if form.until.data and form.action.data in ("suspend", "silence") else None)
        # What the person reads, in their language: the template (else English), then the free text.
        reason = reply_templates.message(reply_templates.chosen(form.template), form.reason.data, someone.locale)
        try:
            person_action(current_user, someone, form.action.data, reason, until)
        except Refused as refused:
            db.session.rollback()
            form.action.errors.append(str(REFUSALS[str(refused)]))
            status = 400
        else:
            tell(someone, form.action.data, reason)
            db.session.commit()
            flash(_("Done. The action is recorded in the audit log."), "success")
            return redirect(url_for(".person", user_id=someone.id))
    elif form.errors:
        status = 400
    return render_person(someone, form=form), status


def render_person(someone, form=None, export_form=None, note_form=None):
    """A person's desk page; moderators' internal notes on them for those who may read them on a case about
    the person (the same predicate as the case page: can_moderate, no community)."""
    if form is None:
        form = PersonForm(formdata=None)
        reply_templates.offer(form.template, ("sanction", "decline"))
    notes_allowed = permissions.can_moderate(current_user, None)
    return render_template("desk/person.html", form=form, person=someone,
                           export_form=export_form or ExportForm(formdata=None),
                           note_form=(note_form or NoteForm(formdata=None)) if notes_allowed else None,
                           notes=triage.notes_on(PERSON, someone.id, current_user) if notes_allowed else [])


@bp.route("/desk/people/<int:user_id>/export", methods=["POST"])
@staff_only(permissions.can_manage_people)
def export_data(user_id):
    """A data request: download everything the hub holds about the person; the request is audited."""
    someone = db.session.get(User, user_id) or abort(404)
    form = ExportForm()
    if not form.validate_on_submit():
        return render_person(someone, export_form=form), 400
    record("export_personal_data", someone, form.request_note.data, actor=current_user)
    db.session.commit()
    return export.as_file(someone, f"learning-hub-data-{someone.id}.json")


@bp.route("/desk/people/<int:user_id>/notes", methods=["POST"])
@staff_only(permissions.can_manage_people)
def add_person_note(user_id):
    """An internal note on the person (moderators only; audited), as on a case about them."""
    someone = db.session.get(User, user_id) or abort(404)
    if not permissions.can_moderate(current_user, None):
        abort(403)
    form = NoteForm()
    if not form.validate_on_submit():
        return render_person(someone, note_form=form), 400
    triage.add_note(PERSON, someone, None, current_user, form.body.data)
    db.session.commit()
    flash(_("The note is saved. Only moderators see it."), "success")
    return redirect(url_for(".person", user_id=someone.id))


def tell(person, action: str, reason: str) -> None:
    """Sanctions, registrations and second-factor resets: the person is told, in their language."""
    if action in ("suspend", "silence"):
        sanctions.tell(person, sanctions.SUSPENSION if action == "suspend" else sanctions.SILENCE)
    if action == "reset_two_factor":
        notices.second_factor_removed(person, by_secretariat=True)
    if action in ("approve", "decline"):
        send_email(person.email, "registration_approved" if action == "approve" else "registration_declined",
                   person.locale, user_id=person.id, user=person, message=reason, link=absolute_url("accounts.login"))
