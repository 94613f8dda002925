"""A person's sessions, reminder lead times and private calendar feed; a public community's calendar.

Nested in the learning_sessions blueprint (endpoints `learning_sessions.feeds.…`)."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hub import audit
from hub.communities.access import load_community_or_404
from hub.extensions import db
from hub.learning_sessions import calendars, reminders, services
from hub.learning_sessions.forms import SettingsForm
from hub.learning_sessions.models import REGISTERED
from hub.mail import absolute_url

bp = Blueprint("feeds", __name__)


def _calendar(body: bytes, name: str) -> Response:
    return Response(body, mimetype="text/calendar", headers={
        "Content-Disposition": f"inline; filename={name}.ics", "Cache-Control": "private, max-age=300"})


@bp.route("/sessions/mine", methods=["GET", "POST"])
@login_required
@audit.exempt("a person's own reminder settings")
def mine():
    """The sessions I registered for, my reminder lead times and my private calendar feed."""
    form = SettingsForm().fill_choices()
    if form.validate_on_submit():
        calendars.settings_of(current_user.id).lead_minutes = sorted(set(form.lead_minutes.data or []), reverse=True)
        db.session.commit()
        flash(_("Your reminders are saved."), "success")
        return redirect(url_for("learning_sessions.feeds.mine"))
    if request.method == "GET":
        form.lead_minutes.data = reminders.lead_times_of(current_user.id)
    return render_template("learning_sessions/mine.html", form=form, sessions=services.sessions_of(current_user),
                           has_feed=calendars.has_feed(current_user), feed_url=None)


@bp.route("/sessions/mine/feed", methods=["POST"])
@login_required
@audit.exempt("a person making their own calendar feed address")
def new_feed():
    """Make a new private feed address (an older one stops working); shown once."""
    token = calendars.new_feed_token(current_user)
    db.session.commit()
    form = SettingsForm().fill_choices()
    form.lead_minutes.data = reminders.lead_times_of(current_user.id)
    return render_template("learning_sessions/mine.html", form=form, sessions=services.sessions_of(current_user),
                           has_feed=True, feed_url=absolute_url("learning_sessions.feeds.personal", token=token))


@bp.route("/sessions/mine/feed/revoke", methods=["POST"])
@login_required
@audit.exempt("a person revoking their own calendar feed address")
def revoke_feed():
    """The private feed address stops working."""
    calendars.revoke_feed(current_user)
    db.session.commit()
    flash(_("Your calendar feed address no longer works."), "success")
    return redirect(url_for("learning_sessions.feeds.mine"))


@bp.route("/sessions/feed/<token>.ics")
def personal(token):
    """A person's sessions for their calendar application: a wrong or revoked token is a 404."""
    person = calendars.owner_of_token(token)
    if person is None:
        abort(404)
    sessions = services.sessions_of(person)
    registered = {s.id for s in sessions if (r := services.registration_of(person, s)) and r.status == REGISTERED}
    return _calendar(calendars.feed_ics(_("My learning sessions"), sessions, person, registered), "my-sessions")


@bp.route("/communities/<slug>/sessions.ics")
def community(slug):
    """A public community's sessions: for anyone's calendar (other communities' calendars are 404)."""
    found = load_community_or_404(slug)
    if found.visibility != "public":
        abort(404)
    return _calendar(calendars.feed_ics(found.title, services.community_sessions(found), None), found.slug)
