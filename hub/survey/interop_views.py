"""KoboToolbox and ODK: a round's questionnaire as an XLSForm, and answers collected offline brought in
(preview first, then confirm). The secretariat only."""

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, SubmitField
from wtforms.validators import InputRequired

from hub import audit, permissions
from hub.extensions import db
from hub.organisations.models import Organisation
from hub.survey import exports, imports, xlsform
from hub.survey.views import load_round_or_404

bp = Blueprint("survey_interop", __name__, url_prefix="/capacity/rounds")


class UploadForm(FlaskForm):
    answers = FileField(_l("Answers exported from KoboToolbox or ODK (CSV or XLSX)"),
                        [FileRequired(message=_l("Choose a file."))])
    preview = SubmitField(_l("Preview the import"))


class ConfirmForm(FlaskForm):
    token = HiddenField(validators=[InputRequired()])
    confirm = SubmitField(_l("Import these answers"))


@bp.before_request
@login_required
def require_manager():
    """The secretariat only."""
    if not permissions.can_manage_survey(current_user):
        abort(403)


@bp.route("/<int:round_id>/xlsform.xlsx")
def questionnaire(round_id):
    """The round's questionnaire as an XLSForm in the hub's five languages."""
    survey_round = load_round_or_404(round_id)
    organisations = db.session.scalars(sa.select(Organisation).where(
        Organisation.status == "active", Organisation.deleted_at.is_(None)).order_by(Organisation.name)).all()
    return exports.download(xlsform.workbook(survey_round, organisations), exports.XLSX_TYPE,
                            f"capacity-round-{survey_round.id}-xlsform.xlsx")


@bp.route("/<int:round_id>/import", methods=["GET", "POST"])
@audit.exempt("a preview reads the file and changes nothing; the confirmation is audited")
def import_answers(round_id):
    """Upload answers collected offline and see what importing them would change."""
    survey_round = load_round_or_404(round_id)
    form = UploadForm()
    if not form.validate_on_submit():
        return render_template("survey/import.html", survey_round=survey_round, form=form, preview=None,
                               max_rows=imports.MAX_ROWS), 400 if form.is_submitted() else 200
    upload = form.answers.data
    try:
        header, rows = imports.read_table(upload.stream, upload.filename)
        preview = imports.check(survey_round, header, rows)
    except imports.Refused as refused:
        form.answers.errors = [str(refused)]
        return render_template("survey/import.html", survey_round=survey_round, form=form, preview=None,
                               max_rows=imports.MAX_ROWS), 400
    confirm = ConfirmForm(formdata=None, token=imports.token(survey_round, preview, current_user))
    return render_template("survey/import.html", survey_round=survey_round, form=form, preview=preview,
                           confirm=confirm, max_rows=imports.MAX_ROWS)


@bp.route("/<int:round_id>/import/confirm", methods=["POST"])
def confirm_import(round_id):
    """Store the previewed answers (all or nothing), audited."""
    survey_round = load_round_or_404(round_id)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        count = imports.apply(survey_round, form.token.data, current_user)
        db.session.commit()
        imports.discard(form.token.data)
    except imports.Stale:
        db.session.rollback()
        flash(_("Nothing was imported: answers changed since the preview. Upload the file again to see what "
                "it would change now."), "error")
        return redirect(url_for("survey_interop.import_answers", round_id=round_id))
    flash(ngettext("Imported the answers of %(num)d organisation.", "Imported the answers of %(num)d organisations.",
                   count), "success")
    return redirect(url_for("survey.round_detail", round_id=round_id))
