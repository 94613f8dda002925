"""The capacity map, one organisation's profile, who can help whom, and introductions."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from hub import permissions
from hub.extensions import db
from hub.i18n import text_direction
from hub.organisations.countries import NORTH_SOUTH, REGIONS
from hub.organisations.models import ORGANISATION_TYPES, Organisation
from hub.organisations.services import get_by_slug
from hub.pagination import int_arg
from hub.survey import capacity_map as cmap
from hub.survey import charts, disclosure, exports, forms, matching, memo, plans, services, trends
from hub.survey.models import Introduction, SurveyRound

bp = Blueprint("survey_map", __name__, url_prefix="/capacity/map")
FILTERS = {"region": REGIONS, "type": ORGANISATION_TYPES, "north_south": NORTH_SOUTH}
VIEWS = ("strengths", "needs", "gaps")


@bp.before_request
@login_required
def require_sign_in():
    """The map is for signed-in members."""


def chosen_round() -> SurveyRound | None:
    """The round in ?round=, else the latest (beyond the secretariat: the latest whose figures are
    published, if any); 404 for an unknown id."""
    round_id = int_arg("round")
    if round_id is None:
        if not permissions.can_manage_survey(current_user):
            published = next((r for r in services.rounds() if disclosure.is_published(r)), None)
            return published or services.latest_round()
        return services.latest_round()
    return db.session.get(SurveyRound, round_id) or abort(404)


def chosen_filters() -> dict:
    """The region, type and North/South filters from the query string (unknown values ignored)."""
    return {key: value for key in FILTERS if (value := request.args.get(key, "")) in FILTERS[key]}


def load_visible_organisation_or_404(slug: str, predicate) -> Organisation:
    """The listed organisation, or 404 when the predicate refuses (no existence leak)."""
    org = get_by_slug(slug)
    if org is None or not org.is_listed or not predicate(current_user, org):
        abort(404)
    return org


def shown_to_viewer(survey_round, type_: str | None, rules: dict):
    """shown(kind, prefix, region, side) for this round and type filter: everything for the secretariat,
    otherwise the disclosure rule (hub.survey.disclosure), built once per request in `rules`."""
    if permissions.can_manage_survey(current_user):
        return None
    if "rule" not in rules:
        rules["rule"] = disclosure.Disclosure(current_user.organisation_id)
    rule = rules["rule"]
    return lambda kind, prefix, region, side: rule.shown(
        disclosure.Figure(kind, prefix, survey_round.id, region, side, type_ or None))


def build_grids(survey_round, filters, view: str, rules: dict | None = None) -> tuple[dict, list]:
    """({(view, group): Grid}, entries) for the chosen view, under the disclosure rule."""
    entries = cmap.load_entries(survey_round, filters)
    shown = shown_to_viewer(survey_round, filters.get("type"), {} if rules is None else rules)
    questionnaire = survey_round.questionnaire
    if view == "gaps":
        grid = cmap.gap_grid(entries, questionnaire, shown=shown, side=filters.get("north_south") or None)
        return {("gaps", "all"): grid}, entries
    kind = "strength" if view == "strengths" else "need"
    grids = cmap.north_south_grids(entries, questionnaire, kind, shown=shown)
    return {(view, side): grid for side, grid in grids.items()}, entries


@bp.route("/")
def overview():
    """The heat maps of strengths, needs or gaps, with a data table beside each."""
    if not permissions.can_view_capacity_map(current_user):
        abort(403)
    survey_round, filters = chosen_round(), chosen_filters()
    view = request.args.get("view") if request.args.get("view") in VIEWS else "strengths"
    viewer = "all" if permissions.can_manage_survey(current_user) else current_user.organisation_id
    kept_as = ("map", survey_round and survey_round.id, tuple(sorted(filters.items())), view, viewer,
               str(get_locale()))
    charts_, answered = memo.remembered(kept_as, lambda: map_charts(survey_round, filters, view))
    grids = {key: grid for key, _, grid, *_ in charts_}
    gaps = cmap.top_gaps(grids[("gaps", "all")]) if view == "gaps" else []
    return render_template("survey/map.html", survey_round=survey_round, rounds=services.rounds(),
                           filters=filters, choices=FILTERS, view=view, charts=charts_, answered=answered,
                           gaps=gaps, region_label=cmap.region_label, area_label=cmap.area_label,
                           number=charts.number, org=current_user.organisation,
                           can_see_all=permissions.can_manage_survey(current_user),
                           reopened=trends.reopened_count(survey_round) if survey_round else 0,
                           withheld=bool(answered) and all(grid.is_empty for grid in grids.values()),
                           published=survey_round is not None and disclosure.is_published(survey_round))


def map_charts(survey_round, filters: dict, view: str) -> tuple[list, int]:
    """([(key, title, grid, chart SVG, table)], how many organisations answered): the overview's figures
    (kept in hub.survey.memo)."""
    grids, entries = build_grids(survey_round, filters, view) if survey_round else ({}, [])
    rtl = text_direction() == "rtl"
    titles = {"north": _("Global North"), "south": _("Global South"), "all": _("All organisations")}
    digits, table = 2 if view == "gaps" else 1, current_app.jinja_env.get_template("survey/_map_table.html")
    return [(key, titles[side], grid, charts.heat_map(grid, titles[side], f"chart-{side}", rtl=rtl, digits=digits),
             Markup(table.render(title=titles[side], grid=grid, digits=digits, number=charts.number,
                                 region_label=cmap.region_label, area_label=cmap.area_label)))
            for key, grid in grids.items() for side in (key[1],)], len(entries)


@bp.route("/export.csv")
def export_csv():
    """The aggregated map (every view) as CSV, with the same filters and privacy as the page."""
    if not permissions.can_view_capacity_map(current_user):
        abort(403)
    survey_round = chosen_round() or abort(404)
    filters, grids, rules = chosen_filters(), {}, {}
    for view in VIEWS:
        grids.update(build_grids(survey_round, filters, view, rules)[0])
    return exports.map_response(grids, f"capacity-map-{survey_round.id}.csv")


@bp.route("/profile/<slug>")
def profile(slug):
    """One organisation's strengths against its region's average."""
    org = load_visible_organisation_or_404(slug, permissions.can_view_survey_answers)
    survey_round = chosen_round() or abort(404)
    submission = services.submission_for(survey_round, org)
    rows, earlier = [], services.previous_round(survey_round)
    if submission is not None and submission.is_submitted:
        entries = cmap.load_entries(survey_round, {"region": org.region})
        rows = cmap.profile(org, submission.answers, entries, survey_round.questionnaire,
                            shown=shown_to_viewer(survey_round, None, {}))
    before = services.submission_for(earlier, org) if earlier else None
    before = before.answers if before is not None and before.is_submitted else None
    title = _("%(org)s against the average of %(region)s", org=org.display_name, region=org.region_label)
    chart = charts.profile_bars(rows, title, "chart-profile", rtl=text_direction() == "rtl") if rows else None
    history = trends.organisation_history(org, services.rounds())
    series = trends.area_series(history, survey_round.questionnaire)
    trend_title = _("%(org)s: strength in each area, round by round", org=org.display_name)
    trend = charts.trend_lines(series, [r.title for r, _answers in history], trend_title, "chart-trend",
                               rtl=text_direction() == "rtl") if len(history) > 1 else None
    return render_template("survey/profile.html", org=org, survey_round=survey_round, rows=rows, chart=chart,
                           published=disclosure.is_published(survey_round)
                           or permissions.can_manage_survey(current_user),
                           title=title, rounds=services.rounds(), area_label=cmap.area_label,
                           number=charts.number, earlier=earlier, before=before, history=history,
                           series=series, trend=trend, trend_title=trend_title,
                           prefixes=dict((area, prefix) for prefix, area in cmap.areas(survey_round.questionnaire)))


@bp.route("/suggestions/<slug>")
def suggestions(slug):
    """Who can help this organisation with each of its priority needs."""
    org = load_visible_organisation_or_404(slug, permissions.can_view_suggestions)
    survey_round = chosen_round() or abort(404)
    found = services.suggestions_for(survey_round, org)
    return render_template("survey/suggestions.html", org=org, survey_round=survey_round, found=found,
                           explain=matching.explain, area_label=cmap.area_label, rounds=services.rounds(),
                           can_manage=permissions.can_manage_survey(current_user),
                           form=forms.IntroductionForm(), ranking=matching.explain_ranking(),
                           needs=plans.needs_of(survey_round, org),
                           can_request=permissions.can_request_exchange(current_user, org))


@bp.route("/introductions", methods=["GET", "POST"])
def introductions():
    """The secretariat's list of introductions (GET) or a new introduction (POST)."""
    if not permissions.can_manage_survey(current_user):
        abort(403)
    if request.method == "GET":
        return render_template("survey/introductions.html", introductions=services.introductions(),
                               form=forms.OutcomeForm())
    survey_round = chosen_round() or abort(404)
    form = forms.IntroductionForm()
    if not form.validate_on_submit():
        abort(400)
    seeker = db.session.get(Organisation, form.seeker.data) or abort(404)
    found = services.suggestions_for(survey_round, seeker).get(form.area.data, [])
    suggestion = next((s for s in found if s.helper.id == form.helper.data), None)
    if suggestion is None:
        flash(_("This suggestion no longer holds: the answers have changed."), "error")
        return redirect(url_for("survey_map.suggestions", slug=seeker.slug, round=survey_round.id))
    intro = services.introduce(survey_round, suggestion, current_user)
    db.session.commit()
    flash(_("The introduction is sent to the focal points of both organisations."), "success")
    for org in (intro.seeker, intro.helper):
        if not services.focal_points(org):
            flash(_("%(org)s has no focal point on the hub: contact it yourself.", org=org.display_name), "error")
    return redirect(url_for("survey_map.introductions"))


@bp.route("/introductions/<int:intro_id>/outcome", methods=["POST"])
def record_outcome(intro_id):
    """Record what became of an introduction."""
    if not permissions.can_manage_survey(current_user):
        abort(403)
    intro = db.session.get(Introduction, intro_id) or abort(404)
    form = forms.OutcomeForm()
    if form.validate_on_submit():
        services.record_outcome(intro, form.outcome.data, form.outcome_note.data or "")
        db.session.commit()
        flash(_("The outcome is recorded."), "success")
    else:
        flash(_("Choose one of the outcomes offered."), "error")
    return redirect(url_for("survey_map.introductions"))
