"""Merging a duplicate organisation into another: members, library items and survey records move."""

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectChoice, SelectField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from hub import permissions
from hub.accounts.models import User
from hub.db import utcnow
from hub.extensions import db
from hub.library.models import LibraryItem
from hub.audit import record
from hub.desk.views import bp, staff_only
from hub.organisations.models import Organisation
from hub.survey.models import Introduction, Submission

REQUIRED = _l("This field is required.")


class MergeForm(FlaskForm):
    source = SelectField(_l("The duplicate (it disappears)"), [InputRequired(message=REQUIRED)])
    target = SelectField(_l("Merge it into (it keeps everything)"), [InputRequired(message=REQUIRED)])
    reason = TextAreaField(_l("Reason"), [DataRequired(message=REQUIRED), Length(max=2000)])
    submit = SubmitField(_l("Merge"))

    def validate_target(self, field):
        if field.data == self.source.data:
            raise ValidationError(_("An organisation cannot be merged into itself."))


def merge(source: Organisation, target: Organisation, actor, reason: str) -> dict:
    """Move the duplicate's members and content to the target, then delete it (soft); flushes."""
    if source.id == target.id:
        raise ValueError("an organisation cannot be merged into itself")
    moved = {
        "members": db.session.execute(sa.update(User).where(User.organisation_id == source.id)
                                      .values(organisation_id=target.id)).rowcount,
        "library_items": db.session.execute(sa.update(LibraryItem).where(LibraryItem.organisation_id == source.id)
                                            .values(organisation_id=target.id)).rowcount,
        "introductions": sum(db.session.execute(sa.update(Introduction).where(column == source.id)
                                                .values({column.key: target.id})).rowcount
                             for column in (Introduction.seeker_id, Introduction.helper_id)),
    }
    # A survey answer moves unless the target already answered that round (both are kept then).
    taken = sa.select(Submission.round_id).where(Submission.organisation_id == target.id)
    moved["survey_submissions"] = db.session.execute(sa.update(Submission).where(
        Submission.organisation_id == source.id, Submission.round_id.not_in(taken))
        .values(organisation_id=target.id).execution_options(synchronize_session=False)).rowcount
    source.deleted_at = utcnow()
    db.session.flush()
    db.session.expire_all()
    record("merge_organisation", target, reason, {"merged": source.id, "merged_name": source.name, **moved},
           actor=actor)
    return moved


@bp.route("/desk/organisations/merge", methods=["GET", "POST"])
@staff_only(permissions.can_manage_people)
def merge_page():
    """Choose a duplicate organisation and the one to merge it into."""
    organisations = list(db.session.scalars(sa.select(Organisation).where(Organisation.deleted_at.is_(None))
                                            .order_by(Organisation.name)))
    by_id = {str(o.id): o for o in organisations}
    form = MergeForm()
    options = [SelectChoice(key, o.name) for key, o in by_id.items()]
    form.source.choices, form.target.choices = options, list(options)
    if form.validate_on_submit():
        moved = merge(by_id[form.source.data], by_id[form.target.data], current_user, form.reason.data)
        db.session.commit()
        flash(_("Merged: %(members)d members moved.", members=moved["members"]), "success")
        return redirect(url_for(".merge_page"))
    return render_template("desk/merge.html", form=form), 400 if form.errors else 200
