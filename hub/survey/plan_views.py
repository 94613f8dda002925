"""Capacity-building plans, the secretariat's movement-wide view of them, and notes on answers."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hub import kinds, permissions
from hub.extensions import db
from hub.organisations.services import get_by_slug
from hub.survey import exchanges, notes, plan_forms, plans, services
from hub.survey import questionnaire as q
from hub.survey.plan_models import NOTE_KINDS
from hub.survey.views import load_answering_organisation_or_404, load_round_or_404

bp = Blueprint("survey_plans", __name__, url_prefix="/capacity/rounds/<int:round_id>")


@bp.before_request
@login_required
def require_sign_in():
    """Plans are for signed-in members."""


def save_then(work, refused_page, done: str, target: str):
    """Run the services in `work`; commit and go to `target` saying `done`, or, when they refuse the input,
    roll back and show `refused_page()` (which keeps what was typed) with their message."""
    try:
        work()
    except (plans.PlanError, notes.NoteError, exchanges.ExchangeError) as error:
        db.session.rollback()
        flash(str(error), "error")
        return refused_page()
    db.session.commit()
    flash(done, "success")
    return redirect(target)


def require_valid(form, message: str) -> None:
    """Refuse a form that does not validate, with one message for the top of the page."""
    if not form.validate_on_submit():
        raise plans.PlanError(message)


def load_plan_organisation_or_404(slug: str):
    """The organisation whose plan this person may see, or 404 (no existence leak)."""
    org = load_answering_organisation_or_404(slug)
    if not permissions.can_view_plan(current_user, org):
        abort(404)
    return org


def _require_editor(org) -> None:
    if not permissions.can_edit_plan(current_user, org):
        abort(403)


def _action_form(survey_round, org, formdata=None):
    form = plan_forms.ActionForm(formdata=formdata) if formdata is not None else plan_forms.ActionForm()
    needs = plans.needs_of(survey_round, org)
    form.area.choices = plan_forms.choices((area, f"{q.area_label(area)} · {q.OPTIONS['need'][need]}")
                                           for area, need in needs.items())
    helpers = {s.helper.id: s.helper.name for found in services.suggestions_for(survey_round, org).values()
               for s in found}
    form.helper.choices = plan_forms.choices([("", _("None"))] + [(str(i), name) for i, name in
                                                                 sorted(helpers.items(), key=lambda x: x[1])])
    return form, needs, helpers


def _plan_page(survey_round, org, action_form=None, priorities_form=None, status=200):
    action_form, needs, helpers = action_form or _action_form(survey_round, org)
    plan = plans.plan_for(survey_round, org)
    if priorities_form is None:
        priorities_form = plan_forms.PrioritiesForm(formdata=None, data={"areas": plan.priorities if plan else []})
    priorities_form.areas.choices = plan_forms.choices((area, q.area_label(area)) for area in needs)
    return render_template("survey/plans/show.html", survey_round=survey_round, org=org, plan=plan, needs=needs,
                           action_form=action_form, priorities_form=priorities_form, today=date.today(),
                           status_form=plan_forms.ActionStatusForm(formdata=None), area_label=q.area_label,
                           exchanges=plans.exchanges_of(org), need_labels=q.OPTIONS["need"],
                           can_edit=permissions.can_edit_plan(current_user, org),
                           can_delete=permissions.can_delete_plan_action(current_user, org),
                           deleted_actions=plans.deleted_actions(plan)), status


@bp.route("/plans/<slug>")
def show(round_id, slug):
    """One organisation's plan for the round: priorities, actions, and what came of its exchanges."""
    survey_round, org = load_round_or_404(round_id), load_plan_organisation_or_404(slug)
    return _plan_page(survey_round, org)


@bp.route("/plans/<slug>/priorities", methods=["POST"])
def priorities(round_id, slug):
    """Choose the needs the plan works on."""
    survey_round, org = load_round_or_404(round_id), load_plan_organisation_or_404(slug)
    _require_editor(org)
    form = plan_forms.PrioritiesForm()
    form.areas.choices = plan_forms.choices((area, q.area_label(area)) for area in plans.needs_of(survey_round, org))

    def work():
        require_valid(form, _("You can only choose your own organisation's needs in this round."))
        plans.set_priorities(survey_round, org, form.areas.data or [])
    return save_then(work, lambda: _plan_page(survey_round, org, priorities_form=form, status=400),
                     _("The priorities are saved."), url_for("survey_plans.show", round_id=round_id, slug=slug))


@bp.route("/plans/<slug>/actions", methods=["POST"])
def add_action(round_id, slug):
    """Add an action; bad input comes back with a clear message and what was typed."""
    survey_round, org = load_round_or_404(round_id), load_plan_organisation_or_404(slug)
    _require_editor(org)
    built = _action_form(survey_round, org, formdata=request.form)
    form, _needs, helpers = built
    area = request.form.get("area", "")
    if area and area not in {c.value for c in form.area.choices}:
        form.area.choices.append(plan_forms.SelectChoice(area, area))  # keep what was sent; say why it is refused

    def work():
        require_valid(form, _("Please correct the fields marked below."))
        helper_id = int(form.helper.data) if form.helper.data and form.helper.data.isdigit() else None
        plans.add_action(survey_round, org, {"area": form.area.data, "what": form.what.data, "who": form.who.data or "",
                                             "due_on": form.due_on.data, "support": form.support.data,
                                             "helper_id": helper_id if helper_id in helpers else None}, date.today())
    return save_then(work, lambda: _plan_page(survey_round, org, action_form=built, status=400),
                     _("The action is added to the plan."), url_for("survey_plans.show", round_id=round_id, slug=slug))


@bp.route("/plans/<slug>/actions/<int:action_id>", methods=["POST"])
def update_action(round_id, slug, action_id):
    """Record where an action stands."""
    survey_round, org = load_round_or_404(round_id), load_plan_organisation_or_404(slug)
    _require_editor(org)
    plan = plans.plan_for(survey_round, org) or abort(404)
    action = plans.load_action(plan, action_id) or abort(404)
    form = plan_forms.ActionStatusForm()

    def work():
        require_valid(form, _("Choose one of the states offered, and a date like 2027-03-31."))
        plans.update_action(action, form.status.data, form.progress.data or "", form.due_on.data, date.today())
    return save_then(work, lambda: _plan_page(survey_round, org, status=400), _("The action is updated."),
                     url_for("survey_plans.show", round_id=round_id, slug=slug))


def _plan_and_action(round_id, slug, action_id, deleted: bool):
    """The round, organisation and one of its plan's actions, for someone who may delete or restore it;
    another organisation's action id is 404 (the server checks each object, not the page's links)."""
    survey_round, org = load_round_or_404(round_id), load_plan_organisation_or_404(slug)
    if not permissions.can_delete_plan_action(current_user, org):
        abort(403)
    plan = plans.plan_for(survey_round, org) or abort(404)
    return org, plans.load_action(plan, action_id, deleted=deleted) or abort(404)


@bp.route("/plans/<slug>/actions/<int:action_id>/delete", methods=["POST"], endpoint="delete_action")
@bp.route("/plans/<slug>/actions/<int:action_id>/restore", methods=["POST"], endpoint="restore_action")
def delete_or_restore_action(round_id, slug, action_id):
    """Delete an action softly (the plan page then offers to restore it), or put it back in the plan."""
    restoring = request.endpoint.endswith("restore_action")
    org, action = _plan_and_action(round_id, slug, action_id, deleted=restoring)
    (plans.restore_action if restoring else plans.delete_action)(action)
    db.session.commit()
    flash(_("The action is restored.") if restoring else
          _("The action is deleted. You can restore it below, under “Deleted actions”."), "success")
    return redirect(url_for("survey_plans.show", round_id=round_id, slug=org.slug,
                            _anchor=f"action-{action.id}" if restoring else "deleted-actions"))


@bp.route("/plans")
def movement(round_id):
    """The secretariat's movement-wide view: what is being worked on, what is overdue."""
    survey_round = load_round_or_404(round_id)
    if not permissions.can_manage_survey(current_user):
        abort(403)
    areas, overdue = plans.movement(survey_round, date.today())
    return render_template("survey/plans/movement.html", survey_round=survey_round, areas=areas, overdue=overdue,
                           area_label=q.area_label, rounds=services.rounds(), today=date.today())


# --- Notes and evidence on answers ----------------------------------------------------------------

def _notes_access(survey_round, slug):
    """The organisation and its named reviewers, or 404 for anyone who may not see its notes."""
    org = get_by_slug(slug)
    reviewers = notes.reviewers(survey_round, org) if org is not None else []
    if org is None or not org.is_listed or not permissions.can_view_answer_notes(current_user, org, reviewers):
        abort(404)
    return org, reviewers


def _role(org) -> str:
    if permissions.is_focal_point_of(current_user, org):
        return "own"
    if permissions.is_secretariat(current_user):
        return "secretariat"
    own_org = current_user.organisation
    return "peer" if own_org is not None and permissions.is_focal_point_of(current_user, own_org) else "facilitator"


def _notes_page(survey_round, org, reviewers, note_form=None, reviewer_form=None, status=200):
    note_form = note_form or plan_forms.NoteForm(formdata=None)
    note_form.question.choices = plan_forms.choices(notes.answerable_questions(survey_round))
    if reviewer_form is None:
        reviewer_form = plan_forms.ReviewerForm(formdata=None)
    reviewer_form.organisation.choices = plan_forms.choices([("", _("None"))] + notes.peer_choices(org))
    reviewer_form.person.choices = plan_forms.choices([("", _("None"))] + notes.facilitator_choices())
    submission = services.submission_for(survey_round, org)
    shown = permissions.can_view_survey_answers(current_user, org) or (submission and submission.is_submitted)
    return render_template("survey/plans/notes.html", survey_round=survey_round, org=org, reviewers=reviewers,
                           notes=notes.notes(survey_round, org), note_form=note_form, reviewer_form=reviewer_form,
                           answers=submission.answers if submission and shown else {}, q=q,
                           questions=notes.answerable_questions(survey_round), kinds=NOTE_KINDS,
                           can_add=permissions.can_add_answer_note(current_user, org, reviewers),
                           can_name=permissions.can_answer_survey(current_user, org),
                           item_visible=lambda item: item is not None and kinds.can_view(current_user, item),
                           questions_by_id={x["id"]: x for x in q.questions(survey_round.questionnaire)}), status


@bp.route("/notes/<slug>", methods=["GET", "POST"])
def answer_notes(round_id, slug):
    """Comments, evidence and confirmations on any of the organisation's answers (GET: read; POST: add)."""
    survey_round = load_round_or_404(round_id)
    org, reviewers = _notes_access(survey_round, slug)
    if request.method == "GET":
        return _notes_page(survey_round, org, reviewers)
    if not permissions.can_add_answer_note(current_user, org, reviewers):
        abort(403)
    form = plan_forms.NoteForm()
    form.question.choices = plan_forms.choices(notes.answerable_questions(survey_round))

    def work():
        require_valid(form, _("Please correct the fields marked below."))
        notes.add_note(survey_round, org, {"question": form.question.data, "kind": form.kind.data,
                                           "text": form.text.data or "", "item": form.item.data or "",
                                           "document_url": form.document_url.data or ""}, current_user, _role(org))
    return save_then(work, lambda: _notes_page(survey_round, org, reviewers, note_form=form, status=400),
                     _("The note is added."), url_for("survey_plans.answer_notes", round_id=round_id, slug=slug))


@bp.route("/notes/<slug>/reviewers", methods=["POST"])
def name_reviewer(round_id, slug):
    """The focal point names a peer organisation or a facilitator to confirm or comment."""
    survey_round = load_round_or_404(round_id)
    org, reviewers = _notes_access(survey_round, slug)
    if not permissions.can_answer_survey(current_user, org):
        abort(403)
    form = plan_forms.ReviewerForm()
    form.organisation.choices = plan_forms.choices([("", "")] + notes.peer_choices(org))
    form.person.choices = plan_forms.choices([("", "")] + notes.facilitator_choices())

    def work():
        require_valid(form, _("Choose an organisation or a facilitator from the lists."))
        notes.name_reviewer(survey_round, org, current_user,
                            reviewer_org_id=int(form.organisation.data) if form.organisation.data else None,
                            reviewer_user_id=int(form.person.data) if form.person.data else None)
    return save_then(work, lambda: _notes_page(survey_round, org, reviewers, reviewer_form=form, status=400),
                     _("They can now read your answers and confirm or comment."),
                     url_for("survey_plans.answer_notes", round_id=round_id, slug=slug))
