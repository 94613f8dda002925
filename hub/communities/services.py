"""Community operations: create, propose, edit, list, visits. Services flush; the calling view commits once.

Joining, leaving, invitations and following live in hub/communities/membership.py.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import url_for
from sqlalchemy.orm import joinedload

from hub import markdown, permissions
from hub.accounts import export
from hub.accounts.models import User
from hub.audit import record
from hub.communities.models import ACTIVE, MEMBER, PROPOSED, Community, Follow, Membership
from hub.db import utcnow
from hub.extensions import db
from hub.pagination import paginate
from hub.slugs import rename, unique_slug

#: Words the communities' own URLs use: never a community's slug.
RESERVED_SLUGS = {"new", "proposed", "invitations"}
EDITABLE = ("title", "description", "languages", "themes", "region", "visibility", "join_policy",
            "reviews_every_post", "members_propose_sessions")
#: "Last visit" moves at most once an hour: no database write on every page view (STYLE.md).
VISIT_GAP = timedelta(hours=1)


class CommunityError(Exception):
    """A refused operation; str(error) is a translated message for the person."""


def get_by_slug(slug: str) -> Community | None:
    """The community with this slug (whatever its state), or None."""
    return db.session.scalar(sa.select(Community).where(Community.slug == slug))


def slug_taken(slug: str, community: Community | None = None) -> bool:
    """Whether another community already uses this slug (or it is one of the reserved words)."""
    if slug in RESERVED_SLUGS:
        return True
    query = sa.select(Community.id).where(Community.slug == slug)
    if community is not None and community.id is not None:
        query = query.where(Community.id != community.id)
    return db.session.scalar(query) is not None


def mention_url(handle: str):
    """A profile link for @handle in a description, or None when nobody has that handle."""
    user_id = db.session.scalar(sa.select(User.id).where(User.handle == handle, User.deleted_at.is_(None)))
    return url_for("accounts_people.profile", user_id=user_id) if user_id else None


def render_description(community: Community) -> None:
    """Render the Markdown description once, when it is saved."""
    community.description_html = markdown.render(community.description or "", mention_url)


def create_community(data: dict, creator: User, status: str = ACTIVE) -> Community:
    """A new community (active, or proposed by a member); its creator becomes its first facilitator."""
    slug = data.get("slug") or ""
    if not slug:
        slug = unique_slug(Community, data["title"])
        if slug in RESERVED_SLUGS:
            slug = unique_slug(Community, f"{slug}-community")
    community = Community(slug=slug, status=status, created_by=creator, form_token=data.get("form_token") or None,
                          discoverable=bool(data.get("discoverable")))
    update_community(community, data)
    db.session.add(community)
    db.session.add(Membership(community=community, user=creator, status=MEMBER, is_facilitator=True,
                              joined_at=utcnow()))
    db.session.flush()
    db.session.add(Follow(user_id=creator.id, community_id=community.id))
    db.session.flush()
    permissions.forget_memberships(creator)
    return community


def update_community(community: Community, data: dict) -> None:
    """Apply the edited fields (slug and discoverable only when the form offered them)."""
    for key in EDITABLE:
        if key in data:
            setattr(community, key, data[key])
    community.title = (community.title or "").strip()
    community.region = community.region or None
    if data.get("slug"):
        rename(community, data["slug"])
    if "discoverable" in data:
        community.discoverable = bool(data["discoverable"])
    render_description(community)
    db.session.flush()
    if community.id is not None:  # (a new community is not an edit: its creator made it)
        record("edit_community", community, details={"fields": sorted(key for key in data if key in EDITABLE)})


def approve_proposal(community: Community) -> None:
    """The secretariat accepts a proposed community: it opens."""
    community.status = ACTIVE
    db.session.flush()
    record("approve_community", community)


def decline_proposal(community: Community) -> None:
    """The secretariat declines a proposal: it is deleted (softly, so it can be restored)."""
    community.deleted_at = utcnow()
    db.session.flush()
    record("decline_community", community)


def proposals():
    """Communities proposed by members, waiting for the secretariat, oldest first."""
    return db.session.scalars(sa.select(Community).where(
        Community.status == PROPOSED, Community.deleted_at.is_(None))
        .options(joinedload(Community.created_by)).order_by(Community.created_at)).all()


def proposals_of(user) -> list[Community]:
    """The person's own proposals still waiting."""
    if not permissions.is_signed_in(user):
        return []
    return db.session.scalars(sa.select(Community).where(
        Community.status == PROPOSED, Community.deleted_at.is_(None), Community.created_by_id == user.id)
        .order_by(Community.created_at)).all()


def listed_communities(user, filters: dict) -> list[Community]:
    """Active communities the person may see listed, filtered by theme, language and region, by title."""
    communities = db.session.scalars(sa.select(Community).where(
        Community.status == ACTIVE, Community.deleted_at.is_(None))).all()
    permissions.preload_memberships(user, [c.id for c in communities])
    shown = [c for c in communities if permissions.can_list_community(user, c) and _matches(c, filters)]
    return sorted(shown, key=lambda c: c.title.casefold())


def _matches(community: Community, filters: dict) -> bool:
    if filters.get("theme") and filters["theme"] not in (community.themes or []):
        return False
    if filters.get("language") and filters["language"] not in (community.languages or []):
        return False
    return not filters.get("region") or community.region == filters["region"]


def member_counts(community_ids) -> dict[int, int]:
    """Active members per community, one query. Callers pass only communities the person may view."""
    if not community_ids:
        return {}
    rows = db.session.execute(sa.select(Membership.community_id, sa.func.count()).where(
        Membership.community_id.in_(community_ids), Membership.status == MEMBER)
        .group_by(Membership.community_id))
    return {community_id: number for community_id, number in rows}


def members(community: Community, page: int = 1, per_page: int = 50):
    """A page of active members with their organisation: facilitators first, then by name."""
    query = (sa.select(Membership).join(Membership.user).where(
        Membership.community_id == community.id, Membership.status == MEMBER)
        .options(joinedload(Membership.user).joinedload(User.organisation))
        .order_by(Membership.is_facilitator.desc(), User.name, Membership.id))
    return paginate(query, page, per_page)


def facilitators(community: Community) -> list[User]:
    """The community's facilitators, by name."""
    return db.session.scalars(sa.select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.community_id == community.id, Membership.status == MEMBER, Membership.is_facilitator)
        .order_by(User.name)).all()


def record_visit(membership: Membership | None):
    """Note a visit at most once an hour; returns when "new since your last visit" starts (or None)."""
    if membership is None or membership.status != MEMBER:
        return None
    now = utcnow()
    if membership.last_visit_at is None or now - membership.last_visit_at > VISIT_GAP:
        # On a first visit nothing is "new": everything is.
        membership.previous_visit_at = membership.last_visit_at
        membership.last_visit_at = now
        db.session.flush()
    return membership.previous_visit_at


def mark_seen(membership: Membership) -> None:
    """The person says they have seen everything: nothing is new any more."""
    membership.previous_visit_at = membership.last_visit_at = utcnow()
    db.session.flush()


def new_members_since(community: Community, since) -> int:
    """How many people joined since the given time."""
    if since is None:
        return 0
    return db.session.scalar(sa.select(sa.func.count()).select_from(Membership).where(
        Membership.community_id == community.id, Membership.status == MEMBER, Membership.joined_at > since)) or 0


def pending_count(community: Community, status: str) -> int:
    """How many requests (or invitations) wait in this community."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(Membership).where(
        Membership.community_id == community.id, Membership.status == status)) or 0



def personal_data(user) -> dict:
    """This person's memberships, follows and proposed communities, for their data export (hub/accounts/export.py)."""
    return {"memberships": export.rows(Membership, Membership.user_id == user.id,
                                       ("community_id", "status", "is_facilitator", "joined_at", "message")),
            "follows": export.rows(Follow, Follow.user_id == user.id, ("community_id", "discussion_id", "created_at")),
            "communities_proposed": export.rows(Community, Community.created_by_id == user.id,
                                                ("id", "slug", "status", "created_at"))}


#: The references to a person whose rows personal_data() exports.
PERSONAL_DATA_COVERS = ("membership.user_id", "follow.user_id", "community.created_by_id")
