"""Session pages: the list with filters, a session, scheduling and changing, registering, calendars."""

from datetime import datetime

import sqlalchemy as sa
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hub import audit, permissions
from hub.accounts.forms import SPOKEN_LANGUAGES
from hub.communities.access import load_community_or_404, require
from hub.communities.models import Community
from hub.extensions import db
from hub.i18n import spoken_language_name
from hub.learning_sessions import calendars, proposals, services
from hub.learning_sessions.access import load_session_or_404
from hub.learning_sessions.feeds import bp as feeds_bp
from hub.learning_sessions.proposal_views import bp as proposals_bp
from hub.learning_sessions.forms import BestPracticeForm, CancelForm, MaterialForm, MoveForm, SessionForm
from hub.learning_sessions.models import REGISTERED, WAITLISTED
from hub.learning_sessions.times import UTC, reader_zone, when, zone_label, zone_or_none
from hub.library.models import LibraryItem
from hub.pagination import page_arg
from hub.spreadsheets import csv_text
from hub.survey.questionnaire import CAPACITIES
from hub.themes import THEMES

bp = Blueprint("learning_sessions", __name__)
bp.register_blueprint(feeds_bp)
bp.register_blueprint(proposals_bp)
bp.add_app_template_global(lambda key: str(CAPACITIES.get(key, key)), "capacity_label")


@bp.app_template_global()
def session_times(session):
    """The session's start and end for the reader (their zone, their language) and in the organiser's zone."""
    zone = reader_zone(current_user)
    organiser = zone_or_none(session.timezone) or UTC
    return {"starts": when(session.starts_at, zone), "ends": when(session.ends_at, zone, long=False),
            "zone": zone_label(zone, session.starts_at), "same": zone.key == organiser.key,
            "organiser_starts": when(session.starts_at, organiser), "organiser_ends": when(session.ends_at, organiser, long=False),
            "organiser_zone": zone_label(organiser, session.starts_at),
            "iso": session.starts_at.isoformat()}


# --- Finding ---------------------------------------------------------------------------------------

def _filters(communities) -> tuple[dict, dict]:
    """The chosen filters, parsed once and bounded (unknown values are ignored)."""
    choices = {"community": {str(c.id): c.title for c in communities},
               "language": {code: spoken_language_name(code) for code in SPOKEN_LANGUAGES},
               "theme": {key: str(label) for key, label in THEMES.items()}}
    chosen = {key: value for key in choices if (value := request.args.get(key, "")) in choices[key]}
    filters = dict(chosen)
    if "community" in filters:
        filters["community"] = int(filters["community"])
    month = request.args.get("month", "")
    try:
        filters["month"] = datetime.strptime(month, "%Y-%m").replace(tzinfo=UTC) if month else None
        chosen["month"] = month if month else None
    except ValueError:
        filters["month"] = None
    filters["recorded"] = request.args.get("recorded") == "1"
    return filters, choices


@bp.route("/sessions/", strict_slashes=False)
def index():
    """Upcoming (or past) sessions this person may see, filtered by community, language, theme and month."""
    past = request.args.get("when") == "past"
    communities = db.session.scalars(sa.select(Community).where(permissions.readable_communities(current_user))
                                     .order_by(Community.title)).all()
    filters, choices = _filters(communities)
    page = services.listing(current_user, filters, past, page_arg())
    month = request.args.get("month", "") if filters["month"] else ""
    args = {key: str(value) for key, value in filters.items() if value and key in choices}
    args.update({"month": month} if month else {}, **({"when": "past"} if past else {}),
                **({"recorded": "1"} if filters["recorded"] else {}))
    waiting = proposals.pending(current_user) if current_user.is_authenticated else []
    return render_template("learning_sessions/index.html", page=page, past=past, filters=filters, choices=choices,
                           month=month, args=args, waiting=waiting)


@bp.route("/sessions/<int:session_id>")
def show(session_id):
    """A session: when (in the reader's zone and the organiser's), where, seats, and afterwards its recording,
    captions, audio-only version, discussion and what was learned."""
    session = load_session_or_404(session_id)
    registration = services.registration_of(current_user, session)
    registered = registration is not None and registration.status == REGISTERED
    can_manage = permissions.can_manage_session(current_user, session)
    recording = session.recording if session.recording and permissions.can_view_item(
        current_user, session.recording) else None
    slides = session.slides if session.slides and permissions.can_view_item(current_user, session.slides) else None
    discussion = session.discussion if session.discussion and permissions.can_view_discussion(
        current_user, session.discussion) else None
    return render_template(
        "learning_sessions/show.html", session=session, registration=registration, registered=registered,
        waitlisted=registration is not None and registration.status == WAITLISTED,
        seats_taken=services.seats_taken(session.id), can_manage=can_manage,
        can_mark=permissions.can_mark_attendance(current_user, session),
        can_register=permissions.can_register_for_session(current_user, session),
        show_link=permissions.can_see_session_link(current_user, session, registered),
        recording=recording, slides=slides, discussion=discussion,
        best_practice_form=BestPracticeForm(summary=session.summary[:500]) if can_manage else None)


@bp.route("/sessions/<int:session_id>.ics")
def ics(session_id):
    """The session for a calendar application."""
    session = load_session_or_404(session_id)
    registration = services.registration_of(current_user, session)
    body = calendars.session_ics(session, current_user, registration is not None and registration.status == REGISTERED)
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f"attachment; filename=session-{session.id}.ics"})


# --- Registering -----------------------------------------------------------------------------------

SEAT_MESSAGES = {"registered": lambda: _("You are already registered."),
                 "waitlisted": lambda: _("You are already on the waitlist."),
                 "closed": lambda: _("Registration is closed: the session has started or is cancelled."),
                 "started": lambda: _("The session has started: it is too late to cancel your registration."),
                 "none": lambda: _("You are not registered for this session.")}


@bp.route("/sessions/<int:session_id>/register", methods=["POST"])
@login_required
@audit.exempt("a person's own registration for a session")
def register(session_id):
    """Take a seat, or a place on the waitlist."""
    session = load_session_or_404(session_id)
    require(permissions.can_register_for_session(current_user, session) or session.has_started()
            or session.is_cancelled)
    try:
        row = services.register(session, current_user)
    except services.SeatError as error:
        db.session.rollback()
        flash(SEAT_MESSAGES[str(error)](), "info")
    else:
        db.session.commit()
        flash(_("You are registered.") if row.status == REGISTERED else
              _("The session is full: you are on the waitlist and will be told if a seat frees."), "success")
    return redirect(url_for("learning_sessions.show", session_id=session_id))


@bp.route("/sessions/<int:session_id>/withdraw", methods=["POST"])
@login_required
@audit.exempt("a person cancelling their own registration")
def withdraw(session_id):
    """Give up one's seat or waitlist place (before the start)."""
    load_session_or_404(session_id)
    try:
        services.withdraw(services.get_session(session_id), current_user)
    except services.SeatError as error:
        db.session.rollback()
        flash(SEAT_MESSAGES[str(error)](), "error")
    else:
        db.session.commit()
        flash(_("Your registration is cancelled."), "success")
    return redirect(url_for("learning_sessions.show", session_id=session_id))


# --- Organising ----------------------------------------------------------------------------------

@bp.route("/communities/<slug>/sessions/new", methods=["GET", "POST"])
@login_required
def new(slug):
    """A facilitator announces a session in their community."""
    community = load_community_or_404(slug)
    require(permissions.can_schedule_session(current_user, community))
    form = SessionForm().fill_choices()
    if request.method == "GET":
        form.timezone.data = reader_zone(current_user).key
        form.languages.data = list(community.languages or [])
        form.themes.data = list(community.themes or [])
    if form.validate_on_submit():
        session = services.schedule(community, current_user, form.data_for_service())
        db.session.commit()
        flash(_("The session is announced."), "success")
        return redirect(url_for("learning_sessions.show", session_id=session.id))
    return render_template("learning_sessions/form.html", form=form, community=community, session=None)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
@login_required
def edit(session_id):
    """Change a session; a new time or place reaches every registrant."""
    session = load_session_or_404(session_id)
    require(permissions.can_manage_session(current_user, session) and not session.is_cancelled)
    form = SessionForm(obj=session).fill_choices()
    if request.method == "GET":
        form.show_times(session)
    if form.validate_on_submit():
        what = services.update(session, form.data_for_service(), current_user)
        db.session.commit()
        flash(_("The session is saved; everyone registered is told of the change.") if set(what) & {"time", "place"}
              else _("The session is saved."), "success")
        return redirect(url_for("learning_sessions.show", session_id=session.id))
    return render_template("learning_sessions/form.html", form=form, community=session.community, session=session)


@bp.route("/sessions/<int:session_id>/cancel", methods=["GET", "POST"])
@login_required
def cancel(session_id):
    """Call a session off before it starts; everyone registered is told."""
    session = load_session_or_404(session_id)
    require(permissions.can_manage_session(current_user, session))
    form = CancelForm()
    if session.is_cancelled or session.is_proposal or session.has_started():
        # (a proposal is declined, never cancelled: cancelled sessions are shown to everyone)
        flash(_("A session that has started or is already cancelled cannot be cancelled."), "error")
        return redirect(url_for("learning_sessions.show", session_id=session.id))
    if form.validate_on_submit():
        services.cancel(session, current_user, form.reason.data or "")
        db.session.commit()
        flash(_("The session is cancelled; everyone registered is told."), "success")
        return redirect(url_for("learning_sessions.show", session_id=session.id))
    return render_template("learning_sessions/reason.html", form=form, session=session,
                           heading=_("Cancel the session"))


def _facilitated(user):
    query = sa.select(Community).where(permissions.readable_communities(user)).order_by(Community.title)
    if not permissions.is_secretariat(user):
        query = query.where(Community.id.in_(permissions.facilitated_communities(user)))
    return [c for c in db.session.scalars(query) if permissions.can_schedule_session(user, c)]


@bp.route("/sessions/<int:session_id>/move", methods=["GET", "POST"])
@login_required
def move(session_id):
    """Move a session to another community the person facilitates (its visibility follows)."""
    session = load_session_or_404(session_id)
    require(permissions.can_manage_session(current_user, session))
    form = MoveForm()
    targets = {str(c.id): c for c in _facilitated(current_user) if c.id != session.community_id}
    form.community.choices = [(key, c.title) for key, c in targets.items()]
    if form.validate_on_submit():
        services.move(session, targets[form.community.data], current_user)
        db.session.commit()
        flash(_("The session is moved."), "success")
        return redirect(url_for("learning_sessions.show", session_id=session.id))
    return render_template("learning_sessions/move.html", form=form, session=session)


@bp.route("/sessions/<int:session_id>/registrations")
@login_required
def registrations(session_id):
    """Who registered and who waits, for the organisers (also as CSV with ?format=csv)."""
    session = load_session_or_404(session_id)
    require(permissions.can_manage_session(current_user, session))
    rows = services.registration_list(session)
    if request.args.get("format") == "csv":
        table = csv_text(["name", "email", "organisation", "status", "asked_at_utc"],
                         [(r.user.name, r.user.email, r.user.organisation.display_name if r.user.organisation else "",
                           r.status, r.queued_at.isoformat()) for r in rows])
        return Response(table, mimetype="text/csv",
                        headers={"Content-Disposition": f"attachment; filename=session-{session.id}-registrations.csv"})
    return render_template("learning_sessions/registrations.html", session=session, rows=rows)


def _library_choices(session, kinds):
    items = db.session.scalars(sa.select(LibraryItem).where(
        LibraryItem.community_id == session.community_id, LibraryItem.deleted_at.is_(None),
        LibraryItem.kind.in_(kinds)).order_by(LibraryItem.created_at.desc()).limit(200)).all()
    return [("", _("None"))] + [(str(i.id), i.title) for i in items], {str(i.id): i for i in items}


@bp.route("/sessions/<int:session_id>/material", methods=["GET", "POST"])
@login_required
def material(session_id):
    """After the session: attach the recording and slides (library items), notes and what was learned."""
    session = load_session_or_404(session_id)
    require(permissions.can_manage_session(current_user, session))
    form = MaterialForm(obj=session)
    form.recording.choices, recordings = _library_choices(session, ("recording", "video"))
    form.slides.choices, documents = _library_choices(session, ("document", "link"))
    if request.method == "GET":
        form.recording.data = str(session.recording_id or "")
        form.slides.data = str(session.slides_id or "")
    if form.validate_on_submit():
        told = services.attach_material(session, current_user, recording=recordings.get(form.recording.data),
                                        slides=documents.get(form.slides.data), notes=form.notes.data or "",
                                        summary=form.summary.data or "")
        db.session.commit()
        flash(_("Saved; everyone registered is told.") if told else _("Saved."), "success")
        return redirect(url_for("learning_sessions.show", session_id=session.id))
    return render_template("learning_sessions/material.html", form=form, session=session)


@bp.route("/sessions/<int:session_id>/discussion", methods=["POST"])
@login_required
def discussion(session_id):
    """Open the session's discussion thread in its community."""
    session = load_session_or_404(session_id)
    require(permissions.can_manage_session(current_user, session) and session.community.is_open)
    services.open_discussion(session, current_user)
    db.session.commit()
    return redirect(url_for("discussions.show", discussion_id=session.discussion_id))


@bp.route("/sessions/<int:session_id>/best-practice", methods=["POST"])
@login_required
def best_practice(session_id):
    """Make what was learned a best practice (of the session's discussion)."""
    session = load_session_or_404(session_id)
    require(permissions.can_manage_session(current_user, session) and session.community.is_open)
    form = BestPracticeForm()
    if form.validate_on_submit():
        services.summary_to_best_practice(session, current_user, form.summary.data)
        db.session.commit()
        flash(_("What was learned is now a best practice."), "success")
    else:
        flash(" ".join(str(e) for e in form.summary.errors) or _("Write a summary first."), "error")
    return redirect(url_for("learning_sessions.show", session_id=session.id))


def community_page_sessions(community) -> list:
    """The community page's upcoming sessions (a page block, added in create_app)."""
    return services.upcoming(current_user, limit=5, community=community)
