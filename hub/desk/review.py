"""Pre-moderation: the posts waiting for review, approving and rejecting them. Services flush; views commit.

A pending post is hidden (see HideableMixin), so nothing else needs to know about it. Approving or
rejecting changes it only while it is still pending, so a second moderator changes nothing and is told.
"""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from hub import kinds, permissions, signals
from hub.db import APPROVED, PENDING, REJECTED
from hub.discussions import services as discussions
from hub.discussions.models import Discussion, Reply
from hub.extensions import db
from hub.library import services as library
from hub.library.models import LibraryItem
from hub.audit import record
from hub.desk.services import facilitated_ids, settle, tell_author


def waiting(user) -> list[dict]:
    """The posts waiting for review that this moderator may decide on, oldest first."""
    queries = {
        "discussion": sa.select(Discussion).options(joinedload(Discussion.author), joinedload(Discussion.community))
        .where(Discussion.review_status == PENDING, Discussion.deleted_at.is_(None)),
        "reply": sa.select(Reply).join(Discussion, Reply.discussion_id == Discussion.id)
        .options(joinedload(Reply.author), joinedload(Reply.discussion).joinedload(Discussion.community))
        .where(Reply.review_status == PENDING, Reply.deleted_at.is_(None), Discussion.deleted_at.is_(None)),
        "item": sa.select(LibraryItem).options(joinedload(LibraryItem.owner), joinedload(LibraryItem.community))
        .where(LibraryItem.review_status == PENDING, LibraryItem.deleted_at.is_(None)),
    }
    if not permissions.is_secretariat(user):
        mine = facilitated_ids(user) or [0]
        queries["discussion"] = queries["discussion"].where(Discussion.community_id.in_(mine))
        queries["reply"] = queries["reply"].where(Discussion.community_id.in_(mine))
        queries["item"] = queries["item"].where(LibraryItem.community_id.in_(mine))
    posts = []
    for kind, query in queries.items():
        for obj in db.session.scalars(query).unique():
            posts.append({"kind": kind, "object": obj, "title": kinds.KINDS[kind].title(obj),
                          "since": obj.created_at, "community": kinds.KINDS[kind].community(obj),
                          "author": obj.owner if kind == "item" else obj.author})
    return sorted(posts, key=lambda post: post["since"])


def approve(kind: str, obj, moderator, reason: str = "", bulk: bool = False) -> bool:
    """Publish a pending post: visible, counted and searchable at once, and the notifications posting
    would have sent go out; False when another moderator already decided."""
    if not settle(obj, type(obj).review_status == PENDING, review_status=APPROVED, hidden_at=None):
        return False
    signals.review_decided.send(obj)
    if kind == "item":
        library.publish(obj)
    else:
        discussions.publish(obj)
    record("approve", obj, reason, {"kind": kind}, actor=moderator)
    tell_author(kind, obj, "approve", reason, bulk)
    return True


def reject(kind: str, obj, moderator, reason: str, bulk: bool = False) -> bool:
    """Keep a pending post hidden for good, with the reason its author is told; False when already decided."""
    if not settle(obj, type(obj).review_status == PENDING, review_status=REJECTED, hidden_by_id=moderator.id,
                  hidden_reason=reason):
        return False
    signals.review_decided.send(obj)
    record("reject", obj, reason, {"kind": kind}, actor=moderator)
    tell_author(kind, obj, "reject", reason, bulk)
    return True
