"""Peer exchanges: asking for an introduction, answering a request, and an exchange's own page."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hub import permissions
from hub.extensions import db
from hub.organisations.models import Organisation
from hub.survey import exchanges, plan_forms, services
from hub.survey import questionnaire as q
from hub.survey.models import ACCEPTED, REQUESTED, Introduction
from hub.survey.plan_views import require_valid, save_then
from hub.survey.views import load_answering_organisation_or_404, load_round_or_404

bp = Blueprint("survey_exchanges", __name__, url_prefix="/capacity/exchanges")


@bp.before_request
@login_required
def require_sign_in():
    """Exchanges are for signed-in members."""


def load_exchange_or_404(intro_id: int) -> Introduction:
    """The exchange, or 404 for anyone outside both organisations and the secretariat."""
    intro = db.session.get(Introduction, intro_id)
    if intro is None or not permissions.can_view_exchange(current_user, intro):
        abort(404)
    return intro


@bp.route("/")
def index():
    """Your organisation's exchanges and requests; for the secretariat, every one."""
    if permissions.is_secretariat(current_user):
        found = services.introductions()
    elif current_user.organisation is not None:
        found = exchanges.involving(current_user.organisation)
    else:
        found = []
    return render_template("survey/exchanges/index.html", exchanges=found, area_label=q.area_label,
                           org=current_user.organisation)


@bp.route("/rounds/<int:round_id>/ask/<slug>", methods=["POST"])
def ask(round_id, slug):
    """A focal point asks a suggested organisation for an exchange about one need."""
    survey_round, seeker = load_round_or_404(round_id), load_answering_organisation_or_404(slug)
    if not permissions.can_request_exchange(current_user, seeker):
        abort(403)
    form = plan_forms.ExchangeRequestForm()
    back = redirect(url_for("survey_map.suggestions", slug=seeker.slug, round=round_id))
    if not form.validate_on_submit():
        flash(_("This request is not complete: choose a suggestion and try again."), "error")
        return back
    try:
        if form.helper.data == seeker.id:
            raise exchanges.ExchangeError(_("Your organisation cannot ask itself for an exchange."))
        exchanges.check_request(survey_round, seeker, form.helper.data, form.area.data)
        found = services.suggestions_for(survey_round, seeker).get(form.area.data, [])
        suggestion = next((s for s in found if s.helper.id == form.helper.data), None)
        if suggestion is None:
            raise exchanges.ExchangeError(_("This suggestion no longer holds: the answers have changed."))
        helper = db.session.get(Organisation, suggestion.helper.id)
        intro = exchanges.request(survey_round, suggestion, seeker, helper, current_user, form.message.data or "",
                                  services.focal_points)
    except exchanges.ExchangeError as error:
        db.session.rollback()
        flash(str(error), "error")
        return back
    db.session.commit()
    flash(_("Your request is sent to %(org)s. You will hear when they answer.", org=helper.display_name), "success")
    if not services.focal_points(helper):
        flash(_("%(org)s has no focal point on the hub: the secretariat will follow up.", org=helper.display_name),
              "error")
    return redirect(url_for("survey_exchanges.show", intro_id=intro.id))


@bp.route("/<int:intro_id>/answer", methods=["POST"])
def answer(intro_id):
    """The asked organisation (or the secretariat stepping in) accepts or declines."""
    intro = load_exchange_or_404(intro_id)
    if not permissions.can_answer_exchange(current_user, intro):
        abort(403)
    form = plan_forms.ExchangeAnswerForm()
    if not form.validate_on_submit():
        return _page(intro, answer_form=form, status=400)
    try:
        exchanges.answer(intro, bool(form.accept.data), current_user, form.note.data or "", services.focal_points)
    except exchanges.ExchangeError as error:
        db.session.rollback()
        flash(str(error), "error")
        return redirect(url_for("survey_exchanges.show", intro_id=intro.id))
    db.session.commit()
    flash(_("The exchange is accepted: plan it below.") if intro.status == ACCEPTED
          else _("The request is declined; the other organisation is told."), "success")
    return redirect(url_for("survey_exchanges.show", intro_id=intro.id))


def _page(intro, form=None, answer_form=None, status=200):
    if form is None:
        form = plan_forms.ExchangeForm(formdata=None, obj=intro)
    return render_template("survey/exchanges/show.html", intro=intro, form=form,
                           answer_form=answer_form or plan_forms.ExchangeAnswerForm(formdata=None),
                           area_label=q.area_label, waiting=intro.status == REQUESTED,
                           can_answer=permissions.can_answer_exchange(current_user, intro),
                           can_edit=permissions.can_edit_exchange(current_user, intro) and intro.status == ACCEPTED,
                           can_manage=permissions.is_secretariat(current_user)), status


@bp.route("/<int:intro_id>", methods=["GET", "POST"])
def show(intro_id):
    """An exchange's page: goals, sessions, shared resources, outcome (POST: save them)."""
    intro = load_exchange_or_404(intro_id)
    if request.method == "GET":
        return _page(intro)
    if not permissions.can_edit_exchange(current_user, intro) or intro.status != ACCEPTED:
        abort(403)
    form = plan_forms.ExchangeForm()

    def work():
        require_valid(form, _("Please correct the fields marked below."))
        exchanges.update(intro, form.goals.data or "", form.sessions.data or "", form.resources.data or "",
                         form.outcome.data, form.outcome_note.data or "")
    return save_then(work, lambda: _page(intro, form=form, status=400), _("The exchange is saved."),
                     url_for("survey_exchanges.show", intro_id=intro.id))
