"""Membership pages, nested in the communities blueprint: members, joining, leaving, requests, invitations."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from hub import audit, permissions
from hub.communities import membership as memberships
from hub.communities import services
from hub.communities.access import load_community_or_404, load_listed_community_or_404, require
from hub.communities.forms import DecisionForm, InvitationAnswerForm, InviteForm, JoinForm
from hub.communities.models import INVITED, MEMBER, REMOVED, REQUESTED
from hub.communities.services import CommunityError
from hub.extensions import db
from hub.mail import absolute_url, send_email
from hub.pagination import page_arg

bp = Blueprint("membership", __name__)


def _back(community):
    return redirect(url_for("communities.show", slug=community.slug))


def _commit_or_flash(action, *args) -> bool:
    """Run a membership service and commit; a refusal becomes a flashed message (nothing is saved)."""
    try:
        action(*args)
    except CommunityError as error:
        db.session.rollback()
        flash(str(error), "error")
        return False
    db.session.commit()
    return True


def _member_row(community, user_id):
    membership = memberships.get_membership(community, user_id)
    if membership is None or membership.status != MEMBER:
        abort(404)
    return membership


@bp.route("/<slug>/members")
def members(slug):
    """The members, with their organisation and country."""
    community = load_community_or_404(slug)
    return render_template("communities/members.html", community=community,
                           members=services.members(community, page_arg()),
                           can_facilitate=permissions.can_facilitate(current_user, community))


@bp.route("/<slug>/join", methods=["GET", "POST"])
@login_required
@audit.exempt("a person joining or asking to join a community themselves")
def join(slug):
    """Join an open community, or ask to join one on request."""
    community = load_listed_community_or_404(slug)
    membership = permissions.membership_of(current_user, community)
    status = membership.status if membership is not None else None
    form = JoinForm()
    can_join = permissions.can_join_community(current_user, community)
    if can_join and form.validate_on_submit():
        memberships.join(community, current_user, form.message.data or "")
        db.session.commit()
        if community.join_policy == "open":
            flash(_("Welcome: you are a member of this community."), "success")
            return _back(community)
        flash(_("Your request is sent: a facilitator will answer it."), "success")
        return redirect(url_for("communities.membership.join", slug=community.slug))
    if request.method == "POST" and not form.errors:
        # Already a member, removed, or a community by invitation: nothing to do here.
        abort(403)
    return render_template("communities/join.html", community=community, form=form, status=status,
                           membership=membership, can_join=can_join, removed=status == REMOVED)


@bp.route("/<slug>/leave", methods=["POST"])
@login_required
@audit.exempt("a member leaves a community themselves")
def leave(slug):
    """Leave the community (or withdraw a request)."""
    community = load_listed_community_or_404(slug)
    membership = permissions.membership_of(current_user, community)
    require(membership is not None and membership.status in (MEMBER, REQUESTED))
    if _commit_or_flash(memberships.leave, community, current_user):
        flash(_("You have left this community."), "success")
    if permissions.can_view_community(current_user, community):
        return _back(community)
    return redirect(url_for("communities.index"))


@bp.route("/<slug>/requests")
@login_required
def requests(slug):
    """Facilitators: requests to join waiting for a decision, invitations sent, and inviting someone."""
    community = load_community_or_404(slug)
    require(permissions.can_facilitate(current_user, community))
    return _requests_page(community, InviteForm())


def _requests_page(community, invite_form):
    return render_template("communities/requests.html", community=community, invite_form=invite_form,
                           decision_form=DecisionForm(), waiting=memberships.pending(community, REQUESTED),
                           invited=memberships.pending(community, INVITED))


@bp.route("/<slug>/requests/<int:membership_id>", methods=["POST"])
@login_required
def decide_request(slug, membership_id):
    """A facilitator approves or declines a request to join, with a message."""
    community = load_community_or_404(slug)
    require(permissions.can_facilitate(current_user, community))
    membership = db.session.get(memberships.Membership, membership_id)
    if membership is None or membership.community_id != community.id:
        abort(404)
    form = DecisionForm()
    if form.validate_on_submit():
        approve = form.decision.data == "approve"
        if _commit_or_flash(memberships.decide_request, membership, approve, form.message.data or ""):
            endpoint = "communities.show" if approve else "communities.membership.join"
            send_email(membership.user.email, "community_request_decided", membership.user.locale,
                       user=membership.user, community=community, approved=approve, message=membership.message,
                       link=absolute_url(endpoint, slug=community.slug))
            db.session.commit()  # the mail goes out after this commit
            flash(_("%(name)s is now a member.", name=membership.user.name) if approve else
                  _("The request of %(name)s is declined.", name=membership.user.name), "success")
    else:
        flash(" ".join(str(e) for errors in form.errors.values() for e in errors), "error")
    return redirect(url_for("communities.membership.requests", slug=community.slug))


@bp.route("/<slug>/invite", methods=["POST"])
@login_required
def invite(slug):
    """A facilitator invites a hub member by email address or @handle."""
    community = load_community_or_404(slug)
    require(permissions.can_facilitate(current_user, community))
    form = InviteForm()
    if form.validate_on_submit():
        person = memberships.find_person(form.person.data)
        if person is None:
            form.person.errors.append(_("No hub member has this email address or handle."))
        elif _commit_or_flash(memberships.invite, community, person, form.message.data or ""):
            send_email(person.email, "community_invitation", person.locale, user=person, inviter=current_user,
                       community=community, message=form.message.data or "",
                       link=absolute_url("communities.membership.invitations"))
            db.session.commit()  # the mail goes out after this commit
            flash(_("%(name)s is invited.", name=person.name), "success")
            return redirect(url_for("communities.membership.requests", slug=community.slug))
    return _requests_page(community, form)


@bp.route("/invitations")
@login_required
def invitations():
    """The person's invitations to join communities."""
    return render_template("communities/invitations.html", invitations=memberships.invitations_of(current_user),
                           form=InvitationAnswerForm())


@bp.route("/<slug>/invitation", methods=["POST"])
@login_required
@audit.exempt("the invited person accepting or declining themselves")
def answer_invitation(slug):
    """The invitee accepts or declines (only someone invited gets past the 404)."""
    community = services.get_by_slug(slug)
    membership = permissions.membership_of(current_user, community) if community else None
    if membership is None or membership.status != INVITED or not community.is_open:
        abort(404)
    form = InvitationAnswerForm()
    if form.validate_on_submit():
        accept = form.answer.data == "accept"
        memberships.answer_invitation(membership, accept)
        db.session.commit()
        if accept:
            flash(_("Welcome: you are a member of this community."), "success")
            return _back(community)
        flash(_("You declined the invitation."), "success")
    return redirect(url_for("communities.membership.invitations"))


@bp.route("/<slug>/members/<int:user_id>/facilitator", methods=["POST"])
@login_required
def set_facilitator(slug, user_id):
    """Name a member facilitator (facilitator=1) or end the role (facilitator=0)."""
    community = load_community_or_404(slug)
    require(permissions.can_facilitate(current_user, community))
    membership = _member_row(community, user_id)
    value = request.form.get("facilitator") == "1"
    if _commit_or_flash(memberships.set_facilitator, membership, value, current_user):
        flash(_("%(name)s is now a facilitator.", name=membership.user.name) if value else
              _("%(name)s is no longer a facilitator.", name=membership.user.name), "success")
    return redirect(url_for("communities.membership.members", slug=community.slug))


@bp.route("/<slug>/members/<int:user_id>/remove", methods=["POST"])
@login_required
def remove_member(slug, user_id):
    """A facilitator removes a member."""
    community = load_community_or_404(slug)
    require(permissions.can_facilitate(current_user, community))
    membership = _member_row(community, user_id)
    if _commit_or_flash(memberships.remove_member, membership, current_user):
        flash(_("%(name)s was removed from the community.", name=membership.user.name), "success")
    return redirect(url_for("communities.membership.members", slug=community.slug))
