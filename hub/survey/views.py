"""Survey rounds and answers: opening and closing rounds, answering, reopening, exporting."""

import json
from datetime import date

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from hub import audit, permissions
from hub.extensions import db
from hub.organisations.services import get_by_slug
from hub.survey import exports, forms, plans, services
from hub.survey import questionnaire as q
from hub.survey.models import SurveyRound

bp = Blueprint("survey", __name__, url_prefix="/capacity")


@bp.before_request
@login_required
def require_sign_in():
    """Every survey page is for signed-in members."""


def load_round_or_404(round_id: int) -> SurveyRound:
    """The round, or 404."""
    return db.session.get(SurveyRound, round_id) or abort(404)


def load_answering_organisation_or_404(slug: str):
    """The organisation, or 404 for anyone who may not see its answers (no existence leak)."""
    org = get_by_slug(slug)
    if org is None or not org.is_listed or not permissions.can_view_survey_answers(current_user, org):
        abort(404)
    return org


def require_manager():
    """403 unless this person manages the survey (the secretariat)."""
    if not permissions.can_manage_survey(current_user):
        abort(403)


@bp.route("/")
def index():
    """The survey rounds, with links to answer, the map and the suggestions."""
    org = current_user.organisation
    return render_template("survey/index.html", rounds=services.rounds(), org=org, today=date.today(),
                           can_manage=permissions.can_manage_survey(current_user),
                           can_answer=permissions.can_answer_survey(current_user, org))


@bp.route("/rounds/new", methods=["GET", "POST"])
def new_round():
    """The secretariat opens a round from the default (or an edited) questionnaire."""
    require_manager()
    form = forms.RoundForm()
    if request.method == "GET":
        form.questionnaire.data = json.dumps(q.default_questionnaire(), ensure_ascii=False, indent=1)
    if form.validate_on_submit():
        survey_round = services.open_round(form.title.data, form.opens_on.data, form.closes_on.data,
                                           current_user, getattr(form.questionnaire, "parsed", None))
        db.session.commit()
        flash(_("The round is open."), "success")
        return redirect(url_for("survey.round_detail", round_id=survey_round.id))
    return render_template("survey/round_form.html", form=form, survey_round=None)


@bp.route("/rounds/<int:round_id>")
def round_detail(round_id):
    """One round: its dates, and for the secretariat who has answered."""
    survey_round = load_round_or_404(round_id)
    manage = permissions.can_manage_survey(current_user)
    org = current_user.organisation
    return render_template("survey/round.html", survey_round=survey_round, can_manage=manage,
                           submissions=services.submissions(survey_round) if manage else [],
                           not_started=services.not_started(survey_round) if manage else [],
                           own=services.submission_for(survey_round, org) if org else None, org=org,
                           can_answer=permissions.can_answer_survey(current_user, org),
                           accepts=survey_round.accepts_answers(date.today()))


@bp.route("/rounds/<int:round_id>/edit", methods=["GET", "POST"])
def edit_round(round_id):
    """Change a round's title and dates."""
    survey_round = load_round_or_404(round_id)
    require_manager()
    form = forms.RoundForm(obj=survey_round)
    del form.questionnaire  # a round keeps the questionnaire it was opened with
    if form.validate_on_submit():
        services.update_round(survey_round, form.title.data, form.opens_on.data, form.closes_on.data)
        db.session.commit()
        flash(_("The round is saved."), "success")
        return redirect(url_for("survey.round_detail", round_id=survey_round.id))
    return render_template("survey/round_form.html", form=form, survey_round=survey_round)


@bp.route("/rounds/<int:round_id>/close", methods=["POST"])
def close_round(round_id):
    """Close a round: no more answers."""
    survey_round = load_round_or_404(round_id)
    require_manager()
    services.close_round(survey_round)
    db.session.commit()
    flash(_("The round is closed: no more answers are accepted."), "success")
    return redirect(url_for("survey.round_detail", round_id=round_id))


@bp.route("/rounds/<int:round_id>/reopen", methods=["POST"])
def reopen_round(round_id):
    """Open a closed round again."""
    survey_round = load_round_or_404(round_id)
    require_manager()
    services.reopen_round(survey_round)
    db.session.commit()
    flash(_("The round is open again."), "success")
    return redirect(url_for("survey.round_detail", round_id=round_id))


@bp.route("/rounds/<int:round_id>/answers/<slug>")
def answers(round_id, slug):
    """Read one organisation's answers (its people and the secretariat only)."""
    survey_round, org = load_round_or_404(round_id), load_answering_organisation_or_404(slug)
    submission = services.submission_for(survey_round, org)
    return render_template("survey/answers.html", survey_round=survey_round, org=org, submission=submission,
                           questionnaire=survey_round.questionnaire, q=q,
                           can_answer=permissions.can_answer_survey(current_user, org),
                           can_manage=permissions.can_manage_survey(current_user),
                           accepts=survey_round.accepts_answers(date.today()))


@bp.route("/rounds/<int:round_id>/answers/<slug>/edit", methods=["GET", "POST"])
@audit.exempt("a focal point answering the survey for their own organisation (reopening answers is audited)")
def answer(round_id, slug):
    """A focal point answers for their organisation: save a draft, come back, submit."""
    survey_round, org = load_round_or_404(round_id), load_answering_organisation_or_404(slug)
    if not permissions.can_answer_survey(current_user, org):
        abort(403)
    submission = services.submission_for(survey_round, org)
    blocked = _answering_blocked(survey_round, submission)
    if blocked:
        if request.method == "POST":
            abort(403)
        flash(blocked, "error")
        return redirect(url_for("survey.answers", round_id=round_id, slug=slug))
    questionnaire = survey_round.questionnaire
    if request.method == "GET":
        form = forms.answer_form(questionnaire, submission.answers if submission else {})
        form.version.data = submission.version if submission else 0
        return _answer_page(form, survey_round, org, submission)
    form = forms.answer_form(questionnaire, formdata=request.form)
    if not form.validate():
        return _answer_page(form, survey_round, org, submission), 400
    return _save(form, survey_round, org, submission)


def _answering_blocked(survey_round, submission) -> str | None:
    """Why this organisation cannot change its answers now, or None."""
    if not survey_round.accepts_answers(date.today()):
        return _("This round is closed: answers can no longer be changed.")
    if submission is not None and submission.is_submitted:
        return _("Your answers are submitted. Ask the secretariat to reopen them if you need to change them.")
    return None


def _save(form, survey_round, org, submission):
    submit = bool(form.submit.data)
    try:
        expected = int(form.version.data or 0)
    except ValueError:
        expected = -1
    try:
        services.save_answers(survey_round, org, forms.answers_from(form, survey_round.questionnaire),
                              current_user, expected, submit=submit)
        db.session.commit()
    except (services.Conflict, StaleDataError, IntegrityError):  # the last two: a save at the same instant
        db.session.rollback()
        flash(_("Someone else saved these answers while you were editing. Nothing was saved: your answers "
                "are still below. Compare them with the saved ones, then save again."), "error")
        submission = services.submission_for(survey_round, org)
        form.version.data = submission.version if submission else 0
        return _answer_page(form, survey_round, org, submission, conflict=True), 409
    except services.MissingAnswers as missing:
        db.session.commit()  # the draft is kept
        forms.mark_missing(form, missing.ids)
        submission = services.submission_for(survey_round, org)
        form.version.data = submission.version
        flash(_("Your draft is saved, but some required questions have no answer yet (marked below)."), "error")
        return _answer_page(form, survey_round, org, submission, missing=missing.ids), 400
    flash(_("Thank you: your answers are submitted.") if submit else _("Your draft is saved."), "success")
    target = "survey.answers" if submit else "survey.answer"
    return redirect(url_for(target, round_id=survey_round.id, slug=org.slug))


def _answer_page(form, survey_round, org, submission, conflict=False, missing=()):
    sections = [(q.section_label(section), [(question, form[forms.field_name(question["id"])])
                                            for question in section["questions"]])
                for section in survey_round.questionnaire["sections"]]
    return render_template("survey/answer.html", form=form, survey_round=survey_round, org=org,
                           submission=submission, sections=sections, conflict=conflict,
                           missing=[form[forms.field_name(i)] for i in missing],
                           earlier_exchanges=plans.earlier_outcomes(survey_round, org))


@bp.route("/rounds/<int:round_id>/answers/<slug>/reopen", methods=["POST"])
def reopen_submission(round_id, slug):
    """The secretariat reopens submitted answers so they can be changed."""
    survey_round, org = load_round_or_404(round_id), load_answering_organisation_or_404(slug)
    require_manager()
    submission = services.submission_for(survey_round, org) or abort(404)
    services.reopen_submission(submission, current_user)
    db.session.commit()
    flash(_("The answers are open again for the focal points."), "success")
    return redirect(url_for("survey.answers", round_id=round_id, slug=slug))


@bp.route("/rounds/<int:round_id>/export.<any(csv, xlsx):fmt>")
def export(round_id, fmt):
    """The round's answers as CSV or XLSX (the secretariat only), labelled in ?labels= (a language or codes)."""
    survey_round = load_round_or_404(round_id)
    require_manager()
    labels = request.args.get("labels")
    labels = labels if labels in (*current_app.config["LANGUAGES"], exports.CODES) else None
    return exports.round_response(survey_round, fmt, labels)
