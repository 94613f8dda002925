"""Merging a duplicate organisation into another, after a preview of what moves.

People, library items, introductions and survey answers move to the organisation kept. When both
answered the same round, one set of answers is kept — the newest unless the secretariat chooses — and
the other is removed (its answers are copied into the audit entry), so nothing stays attached to the
deleted duplicate.
"""

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from hub import audit, permissions
from hub.accounts.models import User
from hub.audit import record
from hub.db import utcnow
from hub.desk.views import bp, staff_only
from hub.extensions import db
from hub.inputs import strip
from hub.library.models import LibraryItem
from hub.organisations.models import Organisation
from hub.survey.models import Introduction, Submission

REQUIRED = _l("This field is required.")
SELF = _l("An organisation cannot be merged into itself.")
SOURCE, TARGET = "source", "target"


class MergeForm(FlaskForm):
    source = SelectField(_l("The duplicate (it disappears)"), [InputRequired(message=REQUIRED)])
    target = SelectField(_l("Merge it into (it keeps everything)"), [InputRequired(message=REQUIRED)])
    reason = TextAreaField(_l("Reason"), [DataRequired(message=REQUIRED), Length(max=2000)], filters=[strip])
    submit = SubmitField(_l("Preview the merge"))

    def validate_target(self, field):
        if field.data == self.source.data:
            raise ValidationError(SELF)


class ConfirmForm(FlaskForm):
    """The preview's confirmation: the choices made on the first page travel as hidden fields."""
    source = HiddenField()
    target = HiddenField()
    reason = HiddenField()
    submit = SubmitField(_l("Merge now"))


def newest(submission: Submission):
    return submission.submitted_at or submission.updated_at


def plan(source: Organisation, target: Organisation) -> dict:
    """What a merge would move, for the preview: people, items, introductions, and answers per round."""
    ours = {s.round_id: s for s in db.session.scalars(sa.select(Submission).where(
        Submission.organisation_id == target.id))}
    rounds = []
    for theirs in db.session.scalars(sa.select(Submission).where(Submission.organisation_id == source.id)
                                     .order_by(Submission.round_id)):
        kept = ours.get(theirs.round_id)
        rounds.append({"round": theirs.round, "source": theirs, "target": kept,
                       "default": SOURCE if kept is None or newest(theirs) > newest(kept) else TARGET})
    return {
        "people": list(db.session.scalars(sa.select(User).where(User.organisation_id == source.id,
                                                               User.deleted_at.is_(None)).order_by(User.name))),
        "library_items": db.session.scalar(sa.select(sa.func.count(LibraryItem.id)).where(
            LibraryItem.organisation_id == source.id)),
        "introductions": db.session.scalar(sa.select(sa.func.count(Introduction.id)).where(sa.or_(
            Introduction.seeker_id == source.id, Introduction.helper_id == source.id))),
        "rounds": rounds,
    }


def merge(source: Organisation, target: Organisation, actor, reason: str, keep: dict | None = None) -> dict:
    """Move the duplicate's people and records to the target, then delete it (soft); flushes.
    `keep` maps a round both answered to SOURCE or TARGET (default: the newest answers)."""
    if source.id == target.id:
        raise ValueError("an organisation cannot be merged into itself")
    keep, removed = keep or {}, []
    for row in plan(source, target)["rounds"]:
        if row["target"] is None:
            continue
        loser = row["target"] if keep.get(row["round"].id, row["default"]) == SOURCE else row["source"]
        removed.append({"round_id": loser.round_id, "organisation_id": loser.organisation_id, "status": loser.status,
                        "answers": loser.answers, "submitted_at": str(loser.submitted_at or "")})
        db.session.delete(loser)
    db.session.flush()
    moved = {
        "members": _move(User, User.organisation_id, source, target),
        "library_items": _move(LibraryItem, LibraryItem.organisation_id, source, target),
        "introductions": _move(Introduction, Introduction.seeker_id, source, target)
        + _move(Introduction, Introduction.helper_id, source, target),
        "survey_submissions": _move(Submission, Submission.organisation_id, source, target),
    }
    source.deleted_at = utcnow()
    db.session.flush()
    db.session.expire_all()
    record("merge_organisation", target, reason, {"merged": source.id, "merged_name": source.name, **moved,
                                                  "answers_removed": removed}, actor=actor)
    return moved


def _move(model, column, source, target) -> int:
    return db.session.execute(sa.update(model).where(column == source.id).values({column.key: target.id})
                              .execution_options(synchronize_session=False)).rowcount


def live_organisations() -> dict:
    """Organisations that can be merged, by id as text."""
    return {str(o.id): o for o in db.session.scalars(sa.select(Organisation).where(
        Organisation.deleted_at.is_(None)).order_by(Organisation.name))}


@bp.route("/desk/organisations/merge", methods=["GET", "POST"])
@staff_only(permissions.can_manage_people)
@audit.exempt("shows the preview only: the confirmation (merge_confirm) changes and audits")
def merge_page():
    """Choose a duplicate organisation and the one to merge it into; then see what would move."""
    by_id = live_organisations()
    form = MergeForm()
    options = [SelectChoice(key, o.name) for key, o in by_id.items()]
    form.source.choices, form.target.choices = options, list(options)
    if form.validate_on_submit():
        source, target = by_id[form.source.data], by_id[form.target.data]
        confirm = ConfirmForm(formdata=None, source=source.id, target=target.id, reason=form.reason.data)
        return render_template("desk/merge_preview.html", form=confirm, source=source, target=target,
                               plan=plan(source, target), SOURCE=SOURCE, TARGET=TARGET)
    return render_template("desk/merge.html", form=form), 400 if form.errors else 200


@bp.route("/desk/organisations/merge/confirm", methods=["POST"])
@staff_only(permissions.can_manage_people)
def merge_confirm():
    """Merge as previewed, keeping for each round both answered the answers chosen (default: newest)."""
    by_id = live_organisations()
    form = ConfirmForm()
    if not form.validate_on_submit() or not form.reason.data:
        abort(400)
    source, target = by_id.get(form.source.data), by_id.get(form.target.data)
    if source is None or target is None:
        flash(_("One of these organisations is gone (merged or deleted meanwhile): nothing was changed."), "error")
        return redirect(url_for(".merge_page"))
    if source.id == target.id:
        flash(str(SELF), "error")
        return redirect(url_for(".merge_page"))
    keep = {}
    for row in plan(source, target)["rounds"]:
        choice = request.form.get(f"keep-{row['round'].id}")
        keep[row["round"].id] = choice if choice in (SOURCE, TARGET) else row["default"]
    moved = merge(source, target, current_user, form.reason.data[:2000], keep)
    db.session.commit()
    flash(_("Merged: %(members)d members moved.", members=moved["members"]), "success")
    return redirect(url_for(".merge_page"))
