"""Questions nobody has answered yet that concern a person: in their communities, or on a theme of their
expertise in any community they may read. The home page shows the newest few; /questions/unanswered all
of them, paged."""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from hub import permissions
from hub.communities.models import MEMBER, Community, Membership
from hub.discussions.models import Discussion
from hub.themes import THEMES


def expertise_themes(user) -> list[str]:
    """The themes a person's expertise speaks of: those whose key words are in what they wrote
    ("teacher training" → teachers, "education financing" → financing)."""
    text = " ".join((getattr(user, "expertise", "") or "").casefold().split())
    return [key for key in THEMES if text and key.replace("_", " ").rstrip("s") in text]


def _on_theme(keys):
    # Themes are a JSON list: its text holds each key in quotes, on SQLite and PostgreSQL alike.
    return sa.or_(*(sa.cast(Discussion.themes, sa.Text).like(f'%"{key}"%') for key in keys))


def unanswered_for(user):
    """A select() of questions without a reply, not the person's own, newest first: in a community they
    are a member of, or on one of their expertise's themes in a community they may read."""
    mine = sa.select(Membership.community_id).where(Membership.user_id == user.id, Membership.status == MEMBER)
    concerns = Discussion.community_id.in_(mine)
    themes = expertise_themes(user)
    if themes:
        concerns = sa.or_(concerns, _on_theme(themes))
    readable = sa.select(Community.id).where(permissions.readable_communities(user))
    return (sa.select(Discussion).options(joinedload(Discussion.community))
            .where(Discussion.kind == "question", Discussion.reply_count == 0, Discussion.deleted_at.is_(None),
                   Discussion.hidden_at.is_(None), Discussion.author_id != user.id, concerns,
                   Discussion.community_id.in_(readable))
            .order_by(Discussion.created_at.desc(), Discussion.id.desc()))
