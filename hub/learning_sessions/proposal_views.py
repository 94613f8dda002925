"""Members' session proposals (propose, change, withdraw; facilitators approve or decline) and the
organisers' attendance page.

Nested in the learning_sessions blueprint (endpoints `learning_sessions.proposals.…`)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError

from hub import audit, permissions
from hub.communities.access import load_community_or_404, require
from hub.db import made_from_form
from hub.errors import render_error
from hub.extensions import db
from hub.learning_sessions import attendance, proposals
from hub.learning_sessions.access import load_session_or_404
from hub.learning_sessions.forms import AttendanceForm, DeclineForm, ProposalForm
from hub.learning_sessions.models import LearningSession
from hub.learning_sessions.times import reader_zone

bp = Blueprint("proposals", __name__)


def _to(session):
    return redirect(url_for("learning_sessions.show", session_id=session.id))


@bp.route("/communities/<slug>/sessions/propose", methods=["GET", "POST"])
@login_required
@audit.exempt("a member proposing a session, which only they and the facilitators see (approving is audited)")
def propose(slug):
    """A member proposes a session with the facilitators' form, where the community allows it."""
    community = load_community_or_404(slug)
    if not permissions.can_propose_session(current_user, community):
        return render_error(403, _("Members cannot propose sessions in this community: ask its facilitators."))
    form = ProposalForm().fill_choices()
    if request.method == "GET":
        form.timezone.data = reader_zone(current_user).key
        form.languages.data = list(community.languages or [])
    if form.validate_on_submit():
        done = made_from_form(db.session, LearningSession, form.form_token.data)
        if done is None or done.created_by_id != current_user.id:
            try:
                done = proposals.propose(community, current_user, form.data_for_service(), form.form_token.data)
                db.session.commit()
            except IntegrityError:  # the same form sent twice at once: the first one made it
                db.session.rollback()
                done = made_from_form(db.session, LearningSession, form.form_token.data)
                require(done is not None and done.created_by_id == current_user.id)
        flash(_("Thank you: the community's facilitators will look at your proposal."), "success")
        return _to(done)
    return render_template("learning_sessions/form.html", form=form, community=community, session=None,
                           proposing=True)


@bp.route("/sessions/<int:session_id>/proposal", methods=["GET", "POST"])
@login_required
@audit.exempt("a member changing their own pending session proposal")
def change(session_id):
    """The proposer changes their proposal while it waits."""
    session = load_session_or_404(session_id)
    require(permissions.can_edit_proposal(current_user, session))
    form = ProposalForm(obj=session).fill_choices()
    del form.form_token
    if request.method == "GET":
        form.show_times(session)
    if form.validate_on_submit():
        proposals.change(session, form.data_for_service())
        db.session.commit()
        flash(_("Your proposal is saved."), "success")
        return _to(session)
    return render_template("learning_sessions/form.html", form=form, community=session.community, session=session,
                           proposing=True)


@bp.route("/sessions/<int:session_id>/proposal/withdraw", methods=["POST"])
@login_required
@audit.exempt("a member withdrawing their own pending session proposal")
def withdraw(session_id):
    """The proposer takes their proposal back."""
    session = load_session_or_404(session_id)
    require(permissions.can_edit_proposal(current_user, session))
    proposals.withdraw(session)
    db.session.commit()
    flash(_("Your proposal is withdrawn."), "success")
    return redirect(url_for("learning_sessions.proposals.waiting"))


@bp.route("/sessions/<int:session_id>/proposal/approve", methods=["POST"])
@login_required
def approve(session_id):
    """A facilitator announces the proposal; the proposer is told."""
    session = load_session_or_404(session_id)
    require(permissions.can_decide_proposal(current_user, session))
    proposals.approve(session, current_user)
    db.session.commit()
    flash(_("The session is announced; its proposer is told."), "success")
    return _to(session)


@bp.route("/sessions/<int:session_id>/proposal/decline", methods=["GET", "POST"])
@login_required
def decline(session_id):
    """A facilitator declines the proposal with a reason its proposer reads."""
    session = load_session_or_404(session_id)
    require(permissions.can_decide_proposal(current_user, session))
    form = DeclineForm()
    if form.validate_on_submit():
        proposals.decline(session, current_user, form.reason.data)
        db.session.commit()
        flash(_("The proposal is declined; its proposer is told why."), "success")
        return redirect(url_for("learning_sessions.proposals.waiting"))
    return render_template("learning_sessions/reason.html", form=form, session=session,
                           heading=_("Decline the proposal"))


@bp.route("/sessions/proposals")
@login_required
def waiting():
    """Proposals waiting for a decision: those this person decides on, and their own."""
    return render_template("learning_sessions/proposals.html", proposals=proposals.pending(current_user))


@bp.route("/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@login_required
def attended(session_id):
    """After the start, the organiser and the facilitators tick who came, saved in one go."""
    session = load_session_or_404(session_id)
    require(permissions.can_mark_attendance(current_user, session))
    if not session.has_started():
        flash(_("Attendance can be marked once the session has started."), "error")
        return _to(session)
    rows, form = attendance.sheet(session), AttendanceForm()
    if form.validate_on_submit():
        came = attendance.mark(session, current_user, [r.id for r in rows if str(r.id) in
                                                       request.form.getlist("attended")])
        db.session.commit()
        flash(_("Attendance is saved: %(came)d of %(registered)d came.", came=came, registered=len(rows)),
              "success")
        return _to(session)
    return render_template("learning_sessions/attendance.html", form=form, session=session, rows=rows)
