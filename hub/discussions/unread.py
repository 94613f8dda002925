"""Unread tracking: how far each person has read each discussion, "3 new" in lists, and the first unread reply.

A read mark moves forward only, and is written only when it moves (a reload costs one small read)."""

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from hub import permissions, signals
from hub.db import utcnow
from hub.discussions.models import ReadMark, Reply
from hub.extensions import db


def counted_replies(viewer):
    """SQL condition: the replies that count as new for this reader — published, not hidden, not deleted
    (pending and rejected replies are hidden too), and not their own."""
    return sa.and_(Reply.deleted_at.is_(None), Reply.hidden_at.is_(None), Reply.author_id != viewer.id)


def mark_read(viewer, discussion, shown_reply_ids) -> bool:
    """Remember that the reader was shown the discussion up to the newest of these replies. True when
    that moved the mark (the view then commits); nothing is written when it did not."""
    if not permissions.is_signed_in(viewer):
        return False
    upto = max(shown_reply_ids, default=0)
    known = db.session.scalar(sa.select(ReadMark.last_reply_id).where(
        ReadMark.user_id == viewer.id, ReadMark.discussion_id == discussion.id))
    if known is not None and known >= upto:
        return False
    dialect = {"postgresql": postgresql, "sqlite": sqlite}[db.session.get_bind().dialect.name]
    now = utcnow()
    statement = dialect.insert(ReadMark).values(user_id=viewer.id, discussion_id=discussion.id,
                                                last_reply_id=upto, read_at=now)
    # Two tabs at once: whichever is further along wins, never moving the mark back.
    db.session.execute(statement.on_conflict_do_update(
        index_elements=["user_id", "discussion_id"], set_={"last_reply_id": upto, "read_at": now},
        where=ReadMark.last_reply_id < upto))
    signals.discussion_read.send(discussion, reader=viewer, upto=upto)  # its reply notices are read too
    return True


def unread_in(viewer, discussion_ids) -> dict:
    """{discussion id: (number of new replies, id of the first one)} for discussions this reader has opened
    before and that have replies they have not seen since; one query for a whole list."""
    if not permissions.is_signed_in(viewer) or not discussion_ids:
        return {}
    rows = db.session.execute(
        sa.select(Reply.discussion_id, sa.func.count(Reply.id), sa.func.min(Reply.id))
        .join(ReadMark, sa.and_(ReadMark.discussion_id == Reply.discussion_id, ReadMark.user_id == viewer.id))
        .where(Reply.discussion_id.in_(list(discussion_ids)), Reply.id > ReadMark.last_reply_id,
               counted_replies(viewer))
        .group_by(Reply.discussion_id))
    return {discussion_id: (count, first) for discussion_id, count, first in rows}
