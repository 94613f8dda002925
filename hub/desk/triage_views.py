"""Triage pages of the desk: claiming a case, internal notes, and bulk actions with a confirmation step.
(The queue itself, with its filters, is desk.views.queue.)"""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from hub import kinds, permissions
from hub.desk import review, services, triage
from hub.desk.forms import ActionForm, BulkForm, ClaimForm, NoteForm
from hub.desk.models import PERSON
from hub.desk.views import LABELS, bp, link_to, moderated, queue, render_case, staff_only
from hub.extensions import db
from hub.pagination import MAX_ID


def case_page(kind, object_id):
    return redirect(url_for(".case", kind=kind, object_id=object_id))


@bp.route("/desk/queue/<kind>/<int:object_id>/claim", methods=["POST"])
@staff_only(permissions.can_use_desk)
def claim(kind, object_id):
    """Take a case so other moderators leave it to you, or give it back."""
    obj = moderated(kind, object_id)[0]
    form = ClaimForm()
    if not form.validate_on_submit() or not (form.submit.data or form.release.data):
        abort(400)
    if form.release.data:
        done = triage.release(kind, obj, current_user)
        message = _("You gave the case back.") if done else _("Nobody held this case; nothing was changed.")
    else:
        done = triage.claim(kind, obj, current_user)
        holder = triage.claim_of(kind, obj.id)
        message = (_("The case is yours: other moderators see that you handle it.") if done else
                   _("%(name)s claimed this case a moment ago; nothing was changed.",
                     name=holder.claimed_by.name if holder and holder.claimed_by else _("Another moderator")))
    if done:
        db.session.commit()
    else:
        db.session.rollback()
    flash(message, "success" if done else "info")
    return case_page(kind, obj.id)


@bp.route("/desk/queue/<kind>/<int:object_id>/notes", methods=["POST"])
@staff_only(permissions.can_use_desk)
def add_note(kind, object_id):
    """An internal note on the case, or on its author (moderators only; audited)."""
    obj, community = moderated(kind, object_id)
    form = NoteForm()
    if not form.validate_on_submit():
        return render_case(kind, obj, community, ActionForm(formdata=None), note_form=form)
    if form.about.data == "author" and kind != PERSON:
        author = db.session.get(kinds.KINDS[PERSON].model, kinds.KINDS[kind].author_id(obj) or 0)
        if author is None:
            abort(400)
        triage.add_note(PERSON, author, community, current_user, form.body.data)
    else:
        triage.add_note(kind, obj, community, current_user, form.body.data)
    db.session.commit()
    flash(_("The note is saved. Only moderators see it."), "success")
    return case_page(kind, obj.id)


def selected_cases():
    """The cases ticked on the queue ("kind:id"), each loaded and checked; 400 past the bulk limit."""
    tokens = list(dict.fromkeys(request.form.getlist("case")))
    if len(tokens) > current_app.config["DESK_BULK_LIMIT"]:
        return None
    found = []
    for token in tokens:
        kind, _sep, raw = token.partition(":")
        if kind not in services.OWNERS or not (raw.isascii() and raw.isdigit()) or not 0 < int(raw) <= MAX_ID:
            continue
        obj = services.get_target(kind, int(raw))
        if obj is not None and permissions.can_moderate(current_user, kinds.KINDS[kind].community(obj)):
            found.append((kind, obj))
    return found


def apply(action: str, kind: str, obj, reason: str) -> bool:
    """One case of a bulk action, through the same services (and audit) as one by one; False: skipped."""
    if obj.is_pending:
        if action == "approve":
            return review.approve(kind, obj, current_user, reason, bulk=True)
        return action == "hide" and review.reject(kind, obj, current_user, reason, bulk=True)
    if action == "approve":
        return False
    closed = (services.hide if action == "hide" else services.dismiss)(kind, obj, current_user, reason)
    if closed is None:
        return False
    if action == "hide":
        services.tell_author(kind, obj, "hide", reason, bulk=True)
    services.tell_reporters(closed, kind, obj, bulk=True)
    return True


@bp.route("/desk/bulk", methods=["POST"])
@staff_only(permissions.can_use_desk)
def bulk():
    """Approve, hide or dismiss many cases: the selection is shown for confirmation, then applied at once."""
    form = BulkForm()
    chosen = selected_cases()
    if not chosen:
        flash(_("Tick the cases to act on first.") if chosen is not None else
              _("Choose at most %(limit)d cases at once.", limit=current_app.config["DESK_BULK_LIMIT"]), "error")
        return queue(failed={"bulk": True})
    if not form.validate_on_submit() or not form.confirm.data:
        return render_template("desk/bulk.html", form=form, chosen=chosen, kinds=LABELS, link_to=link_to,
                               titles={(k, o.id): kinds.KINDS[k].title(o) for k, o in chosen}), \
            400 if form.errors else 200
    done = sum(1 for kind, obj in chosen if apply(form.action.data, kind, obj, form.reason.data or ""))
    db.session.commit()
    flash(_("Done for %(done)d of %(total)d cases; the others were already handled or do not take this action.",
            done=done, total=len(chosen)), "success")
    return redirect(url_for(".queue"))
