"""Joining, leaving, requests, invitations, facilitators and following. Services flush; views commit.

Refusals raise CommunityError with a translated message the view shows.
"""

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from hub import permissions, signals
from hub.accounts.models import User
from hub.communities.models import (DECLINED, INVITED, LEFT, MEMBER, REMOVED, REQUESTED, Community, Follow,
                                    Membership)
from hub.communities.services import CommunityError
from hub.db import insert_once, utcnow
from hub.audit import record
from hub.extensions import db


def get_membership(community: Community, user_id: int) -> Membership | None:
    """The row for this person in this community, or None."""
    return db.session.scalar(sa.select(Membership).where(
        Membership.community_id == community.id, Membership.user_id == user_id))


def _row(community: Community, user: User) -> Membership:
    membership = get_membership(community, user.id)
    if membership is None:  # (or an identical request made it a moment ago)
        insert_once(db.session, Membership, community_id=community.id, user_id=user.id, status=LEFT, joined_at=None)
        membership = get_membership(community, user.id)
    return membership


def _become_member(membership: Membership) -> None:
    membership.status, membership.joined_at = MEMBER, utcnow()
    membership.last_visit_at = membership.previous_visit_at = None
    db.session.flush()
    follow(membership.user, membership.community)
    permissions.forget_memberships(membership.user)


def enrol(community: Community, person: User, facilitator: bool = False) -> Membership:
    """Make a person a member (or facilitator) at once, as the demo and test fixtures set a hub up: nobody
    decided it in the hub, so nothing is asked, notified or audited. Flushes."""
    membership = _row(community, person)
    membership.message, membership.is_facilitator = "", facilitator
    _become_member(membership)
    return membership


def join(community: Community, user: User, message: str = "") -> Membership:
    """Join an open community at once, or ask to join one on request (facilitators decide)."""
    membership = _row(community, user)
    if community.join_policy == "open":
        membership.message = ""
        _become_member(membership)
    else:
        membership.status, membership.message = REQUESTED, message.strip()
        db.session.flush()
        signals.join_requested.send(membership)
        permissions.forget_memberships(user)
    return membership


def is_last_facilitator(membership: Membership) -> bool:
    """Whether this person is the community's only facilitator."""
    if not (membership.is_facilitator and membership.status == MEMBER):
        return False
    others = db.session.scalar(sa.select(sa.func.count()).select_from(Membership).where(
        Membership.community_id == membership.community_id, Membership.status == MEMBER,
        Membership.is_facilitator, Membership.id != membership.id))
    return not others


def _check_not_last_facilitator(membership: Membership, actor: User) -> None:
    if is_last_facilitator(membership) and not permissions.is_secretariat(actor):
        raise CommunityError(_("A community needs a facilitator: name another facilitator first."))


def leave(community: Community, user: User) -> None:
    """Leave the community (refused to its last facilitator, unless the secretariat) and stop following it."""
    membership = get_membership(community, user.id)
    if membership is None or membership.status not in (MEMBER, REQUESTED):
        raise CommunityError(_("You are not a member of this community."))
    _check_not_last_facilitator(membership, user)
    membership.status, membership.is_facilitator = LEFT, False
    unfollow(user, community)
    db.session.flush()
    permissions.forget_memberships(user)


def pending(community: Community, status: str) -> list[Membership]:
    """Requests (or invitations) waiting in this community, oldest first, with the people."""
    return db.session.scalars(sa.select(Membership).where(
        Membership.community_id == community.id, Membership.status == status)
        .options(joinedload(Membership.user).joinedload(User.organisation)).order_by(Membership.updated_at)).all()


def decide_request(membership: Membership, approve: bool, message: str = "") -> None:
    """A facilitator approves or declines a request to join, with an optional message."""
    if membership.status != REQUESTED:
        raise CommunityError(_("This request has already been decided."))
    membership.message = message.strip()
    if approve:
        _become_member(membership)
    else:
        membership.status = DECLINED
        db.session.flush()
    _audit("approve_join" if approve else "decline_join", membership, membership.message)
    signals.join_decided.send(membership, actor=None)


def find_person(text: str) -> User | None:
    """An active hub member by email address or @handle."""
    text = (text or "").strip()
    if not text:
        return None
    if "@" in text[1:]:
        condition = sa.func.lower(User.email) == text.lower()
    else:
        condition = User.handle == text.lstrip("@")
    person = db.session.scalar(sa.select(User).where(condition, User.deleted_at.is_(None)))
    return person if person is not None and person.is_active else None


def invite(community: Community, person: User, message: str = "") -> Membership:
    """A facilitator invites a hub member; the person accepts or declines."""
    membership = _row(community, person)
    if membership.status == MEMBER:
        raise CommunityError(_("%(name)s is already a member.", name=person.name))
    membership.status, membership.message, membership.is_facilitator = INVITED, message.strip(), False
    db.session.flush()
    _audit("invite_member", membership, membership.message)
    permissions.forget_memberships(person)
    return membership


def invitations_of(user: User) -> list[Membership]:
    """The person's open invitations, with their communities."""
    return db.session.scalars(sa.select(Membership).join(Membership.community).where(
        Membership.user_id == user.id, Membership.status == INVITED, Community.deleted_at.is_(None))
        .options(joinedload(Membership.community)).order_by(Membership.updated_at)).all()


def answer_invitation(membership: Membership, accept: bool) -> None:
    """The invitee accepts (becomes a member and follows) or declines."""
    if accept:
        membership.message = ""
        _become_member(membership)
    else:
        membership.status = DECLINED
        db.session.flush()
        permissions.forget_memberships(membership.user)


def set_facilitator(membership: Membership, value: bool, actor: User) -> None:
    """Name a member facilitator, or end that role (never leaving the community without one)."""
    if membership.status != MEMBER:
        raise CommunityError(_("Only members can be facilitators."))
    if not value:
        _check_not_last_facilitator(membership, actor)
    membership.is_facilitator = value
    db.session.flush()
    _audit("make_facilitator" if value else "remove_facilitator", membership, actor=actor)
    permissions.forget_memberships(membership.user)


def remove_member(membership: Membership, actor: User) -> None:
    """A facilitator removes a member: the person can no longer read a private community nor rejoin alone."""
    if membership.status != MEMBER:
        raise CommunityError(_("This person is not a member."))
    if membership.user_id == actor.id:
        raise CommunityError(_("To leave the community, use Leave."))
    _check_not_last_facilitator(membership, actor)
    membership.status, membership.is_facilitator = REMOVED, False
    unfollow(membership.user, membership.community)
    db.session.flush()
    _audit("remove_member", membership, actor=actor)
    permissions.forget_memberships(membership.user)


def is_following(user: User, community: Community) -> bool:
    """Whether the person follows the community."""
    return permissions.is_signed_in(user) and db.session.scalar(sa.select(Follow.id).where(
        Follow.user_id == user.id, Follow.community_id == community.id)) is not None


def follow(user: User, community: Community) -> None:
    """Follow a community (nothing happens when already following)."""
    if not is_following(user, community):
        insert_once(db.session, Follow, user_id=user.id, community_id=community.id)


def unfollow(user: User, community: Community) -> None:
    """Stop following a community."""
    db.session.execute(sa.delete(Follow).where(Follow.user_id == user.id, Follow.community_id == community.id))


def _audit(action: str, membership: Membership, reason: str = "", actor=None) -> None:
    """A facilitator's decision about a person's membership, in the audit log (about the person)."""
    record(action, membership.user, reason, {"community": membership.community_id, "membership": membership.id},
           actor=actor)
