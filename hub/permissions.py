"""Every "may this person do this to this object?" answered by one small, named predicate.

Views ask these, never the roles directly, so a test can walk every route against every role.
Anonymous visitors arrive as Flask-Login's AnonymousUserMixin: is_authenticated is False.
"""

import sqlalchemy as sa

from hub.communities.models import ACTIVE as COMMUNITY_ACTIVE
from hub.communities.models import MEMBER, Membership
from hub.extensions import db


def is_signed_in(user) -> bool:
    return bool(user and user.is_authenticated)


def is_secretariat(user) -> bool:
    return is_signed_in(user) and user.is_secretariat


def is_focal_point_of(user, organisation) -> bool:
    return (is_signed_in(user) and user.is_focal_point and organisation is not None
            and user.organisation_id == organisation.id)


def can_view_organisation(user, organisation) -> bool:
    """Listed organisations are public; proposed or deleted ones only for the secretariat."""
    return organisation.is_listed or is_secretariat(user)


def can_edit_organisation(user, organisation) -> bool:
    return is_secretariat(user) or is_focal_point_of(user, organisation)


def can_review_registrations(user) -> bool:
    """Focal points review their own organisation's registrations; the secretariat all of them."""
    return is_secretariat(user) or (is_signed_in(user) and user.is_focal_point)


def can_approve(user, applicant) -> bool:
    """Approve or decline a pending account."""
    if not is_signed_in(user) or applicant.id == user.id or not applicant.is_pending:
        return False
    if is_secretariat(user):
        return True
    return is_focal_point_of(user, applicant.organisation) and bool(
        applicant.organisation and applicant.organisation.is_listed)


def can_view_profile(user, person) -> bool:
    """Profiles of active people are visible to signed-in members; the secretariat sees everyone."""
    if is_secretariat(user) or (is_signed_in(user) and user.id == person.id):
        return True
    return is_signed_in(user) and person.is_active


# --- Communities -----------------------------------------------------------------------------

def membership_of(user, community):
    """The person's Membership row in a community, or None (cached on the user for the request)."""
    if not is_signed_in(user) or community is None:
        return None
    cache = user.__dict__.setdefault("_memberships", {})
    if community.id not in cache:
        cache[community.id] = db.session.scalar(sa.select(Membership).where(
            Membership.community_id == community.id, Membership.user_id == user.id))
    return cache[community.id]


def forget_memberships(user) -> None:
    """Call after changing someone's membership within the same request."""
    if is_signed_in(user):
        user.__dict__.pop("_memberships", None)


def is_community_member(user, community) -> bool:
    membership = membership_of(user, community)
    return membership is not None and membership.status == MEMBER


def is_facilitator(user, community) -> bool:
    membership = membership_of(user, community)
    return membership is not None and membership.status == MEMBER and membership.is_facilitator


def can_view_community(user, community) -> bool:
    """Read the community and its content: public to all, members-only to signed-in people,
    private to its members; proposed or deleted communities to the secretariat (and the proposer)."""
    if community.is_deleted:
        return is_secretariat(user)
    if community.status != COMMUNITY_ACTIVE:
        return is_secretariat(user) or (is_signed_in(user) and community.created_by_id == user.id)
    if is_secretariat(user):
        return True
    if community.visibility == "public":
        return True
    if community.visibility == "members":
        return is_signed_in(user)
    return is_community_member(user, community)


def can_list_community(user, community) -> bool:
    """Show the community's title in lists: a private one only if discoverable (never its content)."""
    if can_view_community(user, community):
        return True
    return (community.status == COMMUNITY_ACTIVE and not community.is_deleted and community.is_private
            and community.discoverable and is_signed_in(user))


def can_post_in(user, community) -> bool:
    """Start discussions and reply: active members of an active community, and the secretariat."""
    if not is_signed_in(user) or community.status != COMMUNITY_ACTIVE or community.is_deleted:
        return False
    return is_secretariat(user) or is_community_member(user, community)


def can_facilitate(user, community) -> bool:
    """Approve join requests, invite, pin, lock, move, mark best practices."""
    return is_secretariat(user) or is_facilitator(user, community)


def can_create_community(user) -> bool:
    return is_secretariat(user)


def can_propose_community(user) -> bool:
    return is_signed_in(user)
