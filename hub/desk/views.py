"""Reporting, the moderation queue and the audit log (the secretariat's desk)."""

from datetime import datetime, time, timedelta, timezone
from functools import wraps

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, has_request_context, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hub import audit, kinds, permissions
from hub.accounts.models import User
from hub.extensions import db
from hub.desk import reply_templates, review, services, triage
from hub.desk.forms import (CONFIRM_WORD, ActionForm, BulkForm, ClaimForm, DeleteForm, NoteForm, ReportForm,
                            ReviewForm)
from hub.pagination import int_arg, page_arg, paginate

bp = Blueprint("desk", __name__)  # people.py, organisations.py and dashboard.py add their pages to it
#: What can be reported, by the word in URLs: its label.
LABELS = {name: kind.label for name, kind in kinds.REPORTABLE.items()}


def staff_only(predicate):
    """Anonymous visitors go to sign in; signed-in people failing `predicate` get 403."""
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not predicate(current_user):
                abort(403)
            if permissions.needs_second_factor(current_user) and not current_user.has_two_factor:
                flash(_("Set up two-factor sign-in before using the desk."), "info")
                return redirect(url_for("accounts_devices.two_factor_setup"))
            return view(*args, **kwargs)
        return wrapped
    return decorator


def link_to(kind, obj) -> str:
    """The object's page."""
    endpoint, values = kinds.KINDS[kind].page(obj)
    return url_for(endpoint, **values)


def hideable(kind) -> bool:
    return kind in kinds.REPORTABLE and kinds.REPORTABLE[kind].hideable


def load_target_or_404(kind, object_id):
    obj = services.get_target(kind, object_id)
    if obj is None:
        abort(404)
    return obj


@bp.route("/report/<kind>/<int:object_id>", methods=["GET", "POST"])
@login_required
@audit.exempt("any member reporting content; the moderators' decision on it is audited")
def report(kind, object_id):
    """Report a discussion, reply, library item or profile to the moderators."""
    obj = load_target_or_404(kind, object_id)
    if not kinds.KINDS[kind].can_view(current_user, obj):  # else 404: no existence leak
        abort(404)
    if not permissions.can_report(current_user):  # silenced: read-only
        abort(403)
    form = ReportForm()
    if form.validate_on_submit():
        filed = services.file_report(current_user, kind, obj, form.reason.data, form.note.data or "")
        triage.report_filed(filed, obj, kinds.KINDS[kind].community(obj))
        db.session.commit()
        flash(_("Thank you. The moderators will look at your report."), "success")
        return redirect(link_to(kind, obj))
    return render_template("desk/report.html", form=form, kind=kind, kind_label=LABELS[kind],
                           title=kinds.KINDS[kind].title(obj), link=link_to(kind, obj)), 400 if form.errors else 200


def queue_filters() -> dict:
    """The queue's filters from the query string (bad values are ignored, never a 500)."""
    args, found = request.args, {}
    for key, allowed in (("reason", triage.REASONS), ("age", triage.AGES), ("sort", triage.SORTS),
                         ("status", triage.STATUSES), ("claimed", ("mine", "free"))):
        if args.get(key) in allowed:
            found[key] = args[key]
    found["community"] = int_arg("community")
    return found


@bp.route("/desk/queue")
@staff_only(permissions.can_use_desk)
def queue(failed=None):
    """Reports this moderator may handle, filtered and sorted (safety risks first by default); then posts
    waiting for review; tick cases for a bulk action."""
    filters, page = queue_filters(), page_arg()
    cases, total = triage.cases(current_user, filters, page)
    per_page = current_app.config["DESK_QUEUE_PER_PAGE"]
    args = {key: value for key, value in request.args.items() if key != "page"}
    return render_template("desk/queue.html", cases=cases, total=total, page=page, per_page=per_page, args=args,
                           filters=filters, choices=triage.filter_choices(current_user), kinds=LABELS,
                           waiting=review.waiting(current_user), failed=failed or {}, link_to=link_to,
                           review_form=ReviewForm, bulk_form=BulkForm(),
                           reject_templates=reply_templates.available(("reject",))), 400 if failed else 200


@bp.route("/desk/review/<kind>/<int:object_id>", methods=["POST"])
@staff_only(permissions.can_use_desk)
def decide(kind, object_id):
    """Approve or reject a post waiting for review; a second moderator is told, nothing doubles."""
    if not hideable(kind):
        abort(404)
    obj = moderated(kind, object_id)[0]
    form = ReviewForm()
    if not form.validate_on_submit():
        return queue(failed={(kind, obj.id): form})
    decide_with = review.approve if form.decision.data == "approve" else review.reject
    author = db.session.get(User, kinds.KINDS[kind].author_id(obj))
    reason = reply_templates.message(reply_templates.chosen(form.template), form.reason.data or "",
                                     author.locale if author is not None else None)
    if not decide_with(kind, obj, current_user, reason):
        db.session.rollback()
        flash(_("Another moderator already handled this; nothing was changed."), "info")
        return redirect(url_for(".queue"))
    db.session.commit()
    flash(_("Approved: the post is visible now.") if form.decision.data == "approve"
          else _("Rejected: the author is told why."), "success")
    return redirect(url_for(".queue"))


def moderated(kind, object_id):
    """The reported object and its community; 403 outside the moderator's communities, and for
    anyone but the secretariat when the author is the secretariat."""
    obj = load_target_or_404(kind, object_id)
    community = kinds.KINDS[kind].community(obj)
    author = db.session.get(User, kinds.KINDS[kind].author_id(obj))
    if not permissions.can_moderate(current_user, community) or (
            author is not None and permissions.is_secretariat(author) and not permissions.is_secretariat(current_user)):
        abort(403)
    return obj, community


def allowed_actions(kind, obj) -> list[str]:
    allowed = ["dismiss"]
    if hideable(kind) and not obj.is_pending:  # waiting for review: approve or reject it
        if services.is_auto_hidden(kind, obj):  # hidden by flags: a moderator confirms or restores
            allowed.append("hide")
        allowed.append("restore" if obj.hidden_at is not None else "hide")
        if obj.hidden_at is None:
            allowed.append("revise")
    if kind == "discussion" and not obj.is_locked:
        allowed.append("lock")
    return allowed


@bp.route("/desk/queue/<kind>/<int:object_id>", methods=["GET", "POST"])
@staff_only(permissions.can_use_desk)
def case(kind, object_id):
    """One reported object: the content in context, every report, the author's history, the actions."""
    obj, community = moderated(kind, object_id)
    form = ActionForm()
    form.set_choices(["dismiss", "hide", "restore", "revise", "lock"] if request.method == "POST"
                     else allowed_actions(kind, obj))
    reply_templates.offer(form.template, ("hide", "revise"))
    if form.validate_on_submit():
        author = db.session.get(User, kinds.KINDS[kind].author_id(obj))
        # The author reads the reason in their language: the template (else English), then the free text.
        reason = reply_templates.message(reply_templates.chosen(form.template), form.reason.data,
                                         author.locale if author is not None else None)
        return act(kind, obj, form.action.data, reason)
    return render_case(kind, obj, community, form)


def render_case(kind, obj, community, form, note_form=None):
    """The case page; 400 when one of its forms has errors (what was typed is kept)."""
    author_id = kinds.KINDS[kind].author_id(obj)
    reports = services.reports_for(kind, obj.id)
    note_form = note_form or NoteForm(formdata=None)
    if form.action.choices is None:
        form.set_choices(allowed_actions(kind, obj))
    if form.template.choices is None:
        reply_templates.offer(form.template, ("hide", "revise"))
    failed = form.errors or note_form.errors
    return render_template("desk/case.html", form=form, kind=kind, kind_label=LABELS[kind], obj=obj,
                           community=community, title=kinds.KINDS[kind].title(obj), link=link_to(kind, obj),
                           reports=reports, author=db.session.get(User, author_id),
                           history=services.author_history(author_id),
                           records=triage.reporter_records(r.reporter_id for r in reports),
                           claim=triage.claim_of(kind, obj.id), claim_form=ClaimForm(), note_form=note_form,
                           notes=triage.notes_on(kind, obj.id, current_user),
                           author_notes=triage.notes_on("person", author_id, current_user)
                           if author_id and kind != "person" else [],
                           auto_hidden=services.is_auto_hidden(kind, obj),
                           can_delete=permissions.can_delete_permanently(current_user)), 400 if failed else 200


def act(kind, obj, action, reason):
    """Apply one action; a second moderator acting on the same item is told, nothing doubles."""
    back = redirect(url_for(".case", kind=kind, object_id=obj.id))
    if (action in ("hide", "restore", "revise") and not hideable(kind)) or (action == "lock" and kind != "discussion"):
        abort(400)
    if action == "dismiss":
        closed = services.dismiss(kind, obj, current_user, reason)
    elif action == "hide":
        closed = services.hide(kind, obj, current_user, reason)
    elif action == "revise":
        closed = services.ask_revision(kind, obj, current_user, reason)
    elif action == "lock":
        closed = services.lock(obj, current_user, reason)
    else:
        closed = services.restore(kind, obj, current_user, reason)
    if closed is None:
        db.session.rollback()
        flash(_("Another moderator already handled this; nothing was changed."), "info")
        return back
    if action in ("hide", "revise"):
        services.tell_author(kind, obj, action, reason)
    services.tell_reporters(closed, kind, obj)
    db.session.commit()
    flash(_("Done. The action is recorded in the audit log."), "success")
    return back


@bp.route("/desk/queue/<kind>/<int:object_id>/delete", methods=["GET", "POST"])
@staff_only(permissions.can_delete_permanently)
def delete(kind, object_id):
    """Delete hidden content for good: a confirmation page, a tick box and the word typed."""
    obj, community = moderated(kind, object_id)
    if not hideable(kind):
        abort(404)
    form = DeleteForm()
    if obj.hidden_at is None or obj.is_pending:
        flash(_("Hide the content before deleting it permanently."), "error")
        return redirect(url_for(".case", kind=kind, object_id=obj.id))
    if form.validate_on_submit():
        if form.word.data != CONFIRM_WORD:
            form.word.errors.append(_("Type the word exactly as shown."))
        else:
            services.delete_permanently(kind, obj, current_user, form.reason.data)
            db.session.commit()
            flash(_("The content is deleted permanently."), "success")
            return redirect(url_for(".queue"))
    return render_template("desk/delete.html", form=form, kind=kind, obj=obj, word=CONFIRM_WORD,
                           title=kinds.KINDS[kind].title(obj)), 400 if form.errors else 200


# --- The audit log -------------------------------------------------------------------------------

def audit_filters() -> dict:
    """The audit filters from the query string (bad values are ignored, never a 500)."""
    args, found = request.args, {}
    for key in ("action", "object_type"):
        if args.get(key):
            found[key] = args[key][:40]
    found["actor"] = int_arg("actor")
    for key, shift in (("since", 0), ("until", 1)):
        try:
            day = datetime.strptime(args.get(key, ""), "%Y-%m-%d").date()
        except ValueError:
            continue
        found[key] = datetime.combine(day + timedelta(days=shift), time(), tzinfo=timezone.utc)
    return found


def actor_names(ids) -> dict:
    """Names of the people with these ids."""
    ids = {i for i in ids if i}
    return dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(ids or [0]))).all())


@bp.route("/desk/audit")
@staff_only(permissions.can_read_audit_log)
def audit_log():
    """The audit log, filterable by action, actor, object type and dates."""
    query = audit.filtered(audit_filters())
    page = paginate(query, page_arg(), audit.PER_PAGE)
    args = {key: value for key, value in request.args.items() if key != "page"}
    return render_template("desk/audit.html", page=page, names=actor_names(e.actor_id for e in page.items),
                           args=args, actions=audit.known_values(audit.AuditEntry.action),
                           object_types=audit.known_values(audit.AuditEntry.object_type),
                           actors=actor_names(audit.known_values(audit.AuditEntry.actor_id)),
                           action_labels=audit.ACTION_LABELS, object_labels=audit.OBJECT_LABELS)


@bp.route("/desk/audit.csv")
@staff_only(permissions.can_read_audit_log)
def audit_csv():
    """The filtered audit log as CSV (cells a spreadsheet would run as formulas are escaped)."""
    entries = list(db.session.scalars(audit.filtered(audit_filters())))
    return Response(audit.as_csv(entries, actor_names(e.actor_id for e in entries)), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=audit-log.csv"})


# The "Desk" link in the header shows for the secretariat and facilitators only, with the pending count.
@bp.app_context_processor
def header_desk_count() -> dict:
    """The Desk link's count, fetched for the page: one query per request, only for people who may use it."""
    if not has_request_context() or not permissions.can_use_desk(current_user):
        return {"desk_waiting": 0}
    return {"desk_waiting": triage.pending_count(current_user)}
