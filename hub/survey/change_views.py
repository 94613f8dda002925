"""Change between two rounds on the capacity map, and the movement-wide gaps (with their export)."""

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hub import permissions
from hub.extensions import db
from hub.i18n import text_direction
from hub.organisations.countries import NORTH_SOUTH, REGIONS
from hub.pagination import int_arg
from hub.survey import capacity_map as cmap
from hub.survey import charts, disclosure, exports, gaps, services, trends
from hub.survey.map_views import FILTERS, chosen_filters, chosen_round, shown_to_viewer
from hub.survey.models import SurveyRound

bp = Blueprint("survey_change", __name__, url_prefix="/capacity/map")
KINDS = {"strengths": "strength", "needs": "need"}


@bp.before_request
@login_required
def require_sign_in():
    """For signed-in members."""
    if not permissions.can_view_capacity_map(current_user):
        abort(403)


def earlier_round(survey_round) -> SurveyRound | None:
    """The round in ?since= (404 when unknown), else the one opened before the chosen round."""
    round_id = int_arg("since")
    if round_id is None:
        return services.previous_round(survey_round) if survey_round else None
    return db.session.get(SurveyRound, round_id) or abort(404)


@bp.route("/change")
def change():
    """Each cell of the map in two rounds and the change between them (shown where both figures are)."""
    survey_round, filters = chosen_round(), chosen_filters()
    since = earlier_round(survey_round)
    view = request.args.get("view") if request.args.get("view") in KINDS else "strengths"
    changes, rises, falls, columns, rows = {}, [], [], [], []
    if survey_round and since and since.id != survey_round.id:
        rules, kind = {}, KINDS[view]
        side = filters.get("north_south") or None
        grids = []
        for r in (since, survey_round):
            shown = shown_to_viewer(r, filters.get("type"), rules)
            grids.append(cmap.grid(cmap.load_entries(r, filters), r.questionnaire, kind, shown=shown, side=side))
        changes = trends.compare(*grids)
        rises, falls = trends.largest_changes(changes)
        rows, columns = grids[1].rows, [c for c in grids[1].columns
                                        if any(changes[(a, c)].after_count or changes[(a, c)].before_count
                                               for a in grids[1].rows)]
    return render_template("survey/change.html", survey_round=survey_round, since=since, rounds=services.rounds(),
                           view=view, filters=filters, choices=FILTERS, changes=changes, rows=rows,
                           columns=columns, rises=rises, falls=falls, number=charts.number,
                           region_label=cmap.region_label, area_label=cmap.area_label,
                           can_see_all=permissions.can_manage_survey(current_user),
                           published=bool(survey_round and since) and all(
                               disclosure.is_published(r) for r in (survey_round, since)))


def movement_gaps(survey_round) -> list:
    """The round's unmet areas with counts, under the disclosure rule (nothing below MIN_GROUP answers)."""
    entries = cmap.load_entries(survey_round, {})
    manager = permissions.can_manage_survey(current_user)
    if not manager and (len(entries) <= disclosure.MIN_GROUP or not disclosure.is_published(survey_round)):
        return []
    return gaps.movement_gaps(entries, survey_round.questionnaire, shown=shown_to_viewer(survey_round, None, {}))


@bp.route("/gaps")
def movement():
    """Needs for support that no organisation offers to share, by region and North/South."""
    survey_round = chosen_round()
    found = movement_gaps(survey_round) if survey_round else []
    return render_template("survey/gaps.html", survey_round=survey_round, rounds=services.rounds(), gaps=found,
                           regions=REGIONS, sides=gaps.SIDES, side_labels=NORTH_SOUTH, total=gaps.TOTAL,
                           area_label=cmap.area_label, can_see_all=permissions.can_manage_survey(current_user),
                           published=survey_round is not None and disclosure.is_published(survey_round),
                           rtl=text_direction() == "rtl")


@bp.route("/gaps.<any(csv, xlsx):fmt>")
def movement_export(fmt):
    """The movement-wide gaps as CSV or XLSX, with the same privacy as the page."""
    survey_round = chosen_round() or abort(404)
    header, rows = gaps.table(movement_gaps(survey_round))
    return exports.table_response(header, rows, f"capacity-gaps-{survey_round.id}", fmt, _("Gaps"))
