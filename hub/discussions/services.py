"""Discussion operations: start, reply, edit, delete and restore, react, answer, pin, lock, move, follow.

Services flush, never commit: the view commits once, then redirects.
"""

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import joinedload

from hub import permissions, signals
from hub.accounts import export
from hub.accounts.models import User
from hub.audit import record, record_unless_own
from hub.communities.models import Community, Follow
from hub.db import PENDING, insert_once, utcnow
from hub.discussions import unread
from hub.discussions.models import Discussion, Reaction, ReadMark, Reply, Revision, Submission
from hub.extensions import db
from hub.markdown import mentioned_handles, render
from hub.pagination import paginate

DISCUSSIONS_PER_PAGE = 20


def render_body(source: str) -> str:
    """Safe HTML for a post, with @handle mentions linked to the people's profiles."""
    handles = mentioned_handles(source)
    people = dict(db.session.execute(sa.select(User.handle, User.id).where(
        User.handle.in_(handles), User.deleted_at.is_(None))).all()) if handles else {}
    # Built without a request, so the demo loader and background jobs render the same links.
    urls = current_app.url_map.bind("hub.invalid")
    return render(source, lambda handle: urls.build("accounts_people.profile", {"user_id": people[handle]})
                  if handle in people else None)


# --- Reading -------------------------------------------------------------------------------

def get_discussion(discussion_id: int):
    """The discussion with its community and author loaded, or None."""
    return db.session.scalar(sa.select(Discussion).options(
        joinedload(Discussion.community), joinedload(Discussion.author).joinedload(User.organisation))
        .where(Discussion.id == discussion_id))


def get_reply(discussion, reply_id: int):
    """A reply of this discussion, or None."""
    return db.session.scalar(sa.select(Reply).where(Reply.id == reply_id, Reply.discussion_id == discussion.id))


def community_discussions(community, page: int = 1, per_page: int = DISCUSSIONS_PER_PAGE, viewer=None):
    """A page of the community's discussions, pinned first, then by last activity (and the viewer's own pending)."""
    shown = Discussion.hidden_at.is_(None)
    if permissions.is_signed_in(viewer):
        shown = sa.or_(shown, sa.and_(Discussion.review_status == PENDING, Discussion.author_id == viewer.id))
    query = (sa.select(Discussion).options(joinedload(Discussion.author))
             .where(Discussion.community_id == community.id, Discussion.deleted_at.is_(None), shown)
             .order_by(Discussion.is_pinned.desc(), Discussion.last_activity_at.desc(), Discussion.id.desc()))
    pagination = paginate(query, page, per_page)
    pagination.unread = unread.unread_in(viewer, [d.id for d in pagination.items])  # "3 new" on each row
    return pagination


def listed_replies(discussion, viewer):
    """SQL condition: the replies that take a place in the discussion for this reader."""
    # Deleted and hidden ones keep theirs (so permalinks stay put); replies never published (waiting for
    # review, rejected) are there only for their author and the community's moderators.
    mine = Reply.discussion_id == discussion.id
    if permissions.can_moderate(viewer, discussion.community):
        return mine
    own = Reply.author_id == viewer.id if permissions.is_signed_in(viewer) else sa.false()
    return sa.and_(mine, sa.or_(Reply.ever_published(), own))


def replies_page(discussion, page: int, viewer):
    """A page of replies, oldest first."""
    query = (sa.select(Reply).options(joinedload(Reply.author).joinedload(User.organisation))
             .where(listed_replies(discussion, viewer)).order_by(Reply.id))
    return paginate(query, page)  # PER_PAGE replies


def last_page(discussion, viewer) -> int:
    """The number of the discussion's last page of replies (1 when there are none)."""
    total = db.session.scalar(sa.select(sa.func.count(Reply.id)).where(listed_replies(discussion, viewer)))
    per_page = current_app.config["PER_PAGE"]
    return max((total + per_page - 1) // per_page, 1)


def page_of_reply(reply, viewer) -> int:
    """Which page of its discussion a reply is on."""
    before = db.session.scalar(sa.select(sa.func.count(Reply.id)).where(
        listed_replies(reply.discussion, viewer), Reply.id < reply.id))
    return before // current_app.config["PER_PAGE"] + 1


def accepted_answer(discussion):
    """The reply marked as the answer to a question, or None."""
    if not discussion.is_question:
        return None
    return db.session.scalar(sa.select(Reply).options(joinedload(Reply.author)).where(
        Reply.discussion_id == discussion.id, Reply.is_answer.is_(True), Reply.deleted_at.is_(None),
        Reply.hidden_at.is_(None)))


def helpful_marks(user, discussion, reply_ids) -> set:
    """Which of these posts the person found helpful: reply ids, and None for the opening post."""
    if not user.is_authenticated:
        return set()
    rows = db.session.scalars(sa.select(Reaction.reply_id).where(
        Reaction.user_id == user.id, Reaction.discussion_id == discussion.id,
        sa.or_(Reaction.reply_id.is_(None), Reaction.reply_id.in_(list(reply_ids) or [0]))))
    return set(rows)


def revisions(discussion, reply=None):
    """Earlier versions of the opening post (reply=None) or of a reply, newest first."""
    query = sa.select(Revision).where(Revision.discussion_id == discussion.id)
    query = query.where(Revision.reply_id == reply.id) if reply else query.where(Revision.reply_id.is_(None))
    return list(db.session.scalars(query.order_by(Revision.id.desc())))


# --- Writing -------------------------------------------------------------------------------

def find_submission(user, token: str):
    """The post already made with this form token, or None."""
    if not token:
        return None
    return db.session.scalar(sa.select(Submission).where(Submission.token == token, Submission.user_id == user.id))


def start_discussion(community, author, data: dict, token: str = "", review: bool | None = None) -> Discussion:
    """A new discussion; its author follows it. It may wait for review (permissions.needs_review)."""
    discussion = Discussion(community=community, author=author, title=data["title"], body=data["body"],
                            body_html=render_body(data["body"]), language=data["language"],
                            themes=list(data.get("themes") or []), kind=data.get("kind") or "discussion",
                            last_activity_at=utcnow())
    if permissions.needs_review(author, community, review):
        discussion.hold_for_review()
    db.session.add(discussion)
    db.session.flush()
    if token:
        db.session.add(Submission(token=token, user_id=author.id, discussion_id=discussion.id))
    follow(author, discussion)
    if discussion.is_pending:
        signals.review_requested.send(discussion, author=author, community=community)
    else:
        publish(discussion)
    return discussion


def add_reply(discussion, author, body: str, token: str = "", review: bool | None = None) -> Reply:
    """A new reply at the end of the discussion; its author follows it. It may wait (permissions.needs_review)."""
    reply = Reply(discussion=discussion, author=author, body=body, body_html=render_body(body))
    if permissions.needs_review(author, discussion.community, review):
        reply.hold_for_review()
    db.session.add(reply)
    db.session.flush()
    if token:
        db.session.add(Submission(token=token, user_id=author.id, discussion_id=discussion.id, reply_id=reply.id))
    follow(author, discussion)
    if reply.is_pending:
        signals.review_requested.send(reply, author=author, community=discussion.community)
    else:
        publish(reply)
    return reply


def publish(post) -> None:
    """A post others can now see (posted, or approved): a reply counted, the discussion active, and
    announced (signals.post_published). A deleted reply approved later stays uncounted and unannounced."""
    discussion = post if isinstance(post, Discussion) else post.discussion
    if isinstance(post, Reply):
        if post.deleted_at is not None:
            return
        _count(post, +1)
    discussion.last_activity_at = utcnow()
    db.session.flush()
    signals.post_published.send(post)


def _count(reply, change: int) -> None:
    """The one place a discussion's reply count changes: in SQL, so two requests at once both count."""
    db.session.execute(sa.update(Discussion).where(Discussion.id == reply.discussion_id)
                       .values(reply_count=Discussion.reply_count + change))


def hidden(post) -> None:
    """Moderators hid a post (or kept one from being published): a reply leaves the count, and what was
    said about the post is withdrawn."""
    if isinstance(post, Reply) and post.deleted_at is None:
        _count(post, -1)
    signals.post_withdrawn.send(post)


def unhidden(post) -> None:
    """Moderators showed a hidden post again."""
    if isinstance(post, Reply) and post.deleted_at is None:
        _count(post, +1)
    signals.post_restored.send(post)


def purge(post) -> None:
    """Delete a post for good with every row that hangs on it (a discussion: its replies too)."""
    if isinstance(post, Reply):
        for model in (Reaction, Revision, Submission):
            db.session.execute(sa.delete(model).where(model.reply_id == post.id))
        db.session.delete(post)
        db.session.flush()
        return
    for model in (Reaction, Revision, Submission):
        db.session.execute(sa.delete(model).where(model.discussion_id == post.id))
    db.session.execute(sa.delete(Follow).where(Follow.discussion_id == post.id))
    for reply in db.session.scalars(sa.select(Reply).where(Reply.discussion_id == post.id)).all():
        db.session.delete(reply)
    db.session.flush()
    db.session.delete(post)
    db.session.flush()


def edit_post(post, body: str, title: str | None = None, **fields) -> None:
    """Change a post, keeping the previous version as a revision."""
    is_reply = isinstance(post, Reply)
    db.session.add(Revision(discussion_id=post.discussion_id if is_reply else post.id,
                            reply_id=post.id if is_reply else None,
                            title=None if is_reply else post.title, body=post.body, body_html=post.body_html,
                            written_at=post.edited_at or post.created_at))
    post.body, post.body_html, post.edited_at = body, render_body(body), utcnow()
    if title is not None:
        post.title = title
    for key, value in fields.items():
        setattr(post, key, value)
    db.session.flush()


def delete_post(post) -> None:
    """Soft-delete a discussion or a reply (undo with restore_post)."""
    if post.deleted_at is None:
        post.deleted_at = utcnow()
        if isinstance(post, Reply) and post.hidden_at is None:  # hidden replies are not counted
            _count(post, -1)
    db.session.flush()
    signals.post_withdrawn.send(post)


def restore_post(post) -> None:
    """Undo a soft delete."""
    if post.deleted_at is not None:
        post.deleted_at = None
        if isinstance(post, Reply) and post.hidden_at is None:
            _count(post, +1)
    db.session.flush()
    signals.post_restored.send(post)


def set_helpful(user, discussion, reply=None, marked: bool | None = None) -> bool:
    """Mark (True) or unmark (False) a post as helpful, or toggle (None); returns whether it is now marked.

    The form says which it wants, so a double click marks once instead of marking and unmarking."""
    post = reply or discussion
    reply_id = reply.id if reply else None
    same_post = (Reaction.discussion_id == discussion.id,
                 Reaction.reply_id.is_(None) if reply_id is None else Reaction.reply_id == reply_id)
    existing = db.session.scalar(sa.select(Reaction).where(Reaction.user_id == user.id, *same_post))
    if marked is None:
        marked = existing is None
    if existing and not marked:
        db.session.delete(existing)
    elif not existing and marked:
        insert_once(db.session, Reaction, user_id=user.id, discussion_id=discussion.id, reply_id=reply_id)
    db.session.flush()
    post.helpful_count = db.session.scalar(sa.select(sa.func.count(Reaction.id)).where(*same_post))
    db.session.flush()
    return marked


def toggle_answer(discussion, reply, actor=None) -> bool:
    """Mark a reply as the question's answer (replacing any other), or unmark it; returns the new state.
    A facilitator's choice is audited (the question's author choosing is their own business)."""
    marked = not reply.is_answer
    db.session.execute(sa.update(Reply).where(Reply.discussion_id == discussion.id).values(is_answer=False))
    reply.is_answer = marked
    db.session.flush()
    record_unless_own("mark_answer" if marked else "unmark_answer", reply, discussion.author_id, actor=actor)
    signals.answer_marked.send(reply, actor=actor)
    return marked


def move_discussion(discussion, community: Community, actor=None) -> None:
    """Move a discussion to another community (audited)."""
    origin = discussion.community_id
    discussion.community = community
    db.session.flush()
    record("move", discussion, details={"from": origin, "to": community.id}, actor=actor)


def mark_best_practice(discussion, user, summary: str | None) -> None:
    """Mark a discussion as a best practice with a summary, or unmark it (summary None); audited."""
    discussion.best_practice_summary = summary
    discussion.best_practice_at = utcnow() if summary else None
    discussion.best_practice_by_id = user.id if summary else None
    db.session.flush()
    record("mark_best_practice" if summary else "unmark_best_practice", discussion, summary or "", actor=user)


def set_pinned(discussion, pinned: bool, actor) -> bool:
    """Pin the discussion to the top of its list, or unpin it (audited); False when it already was."""
    return _set_flag(discussion, Discussion.is_pinned, pinned, "pin" if pinned else "unpin", actor, "")


def set_locked(discussion, locked: bool, actor, reason: str = "") -> bool:
    """Lock the discussion against new replies, or open it again (audited): the one path of the discussion
    page and of the desk; False when it already was (another moderator acted first)."""
    return _set_flag(discussion, Discussion.is_locked, locked, "lock" if locked else "unlock", actor, reason)


def _set_flag(discussion, column, value: bool, action: str, actor, reason: str) -> bool:
    changed = db.session.execute(sa.update(Discussion).where(Discussion.id == discussion.id, column.is_not(value))
                                 .values({column: value}).execution_options(synchronize_session=False)).rowcount
    if not changed:
        return False
    setattr(discussion, column.key, value)
    db.session.flush()
    record(action, discussion, reason, {"kind": "discussion"}, actor=actor)
    return True


# --- Following -----------------------------------------------------------------------------

def is_following(user, discussion) -> bool:
    """Whether the person follows the discussion."""
    return user.is_authenticated and db.session.scalar(sa.select(Follow.id).where(
        Follow.user_id == user.id, Follow.discussion_id == discussion.id)) is not None


def follow(user, discussion) -> None:
    """Follow a discussion (nothing happens when already following)."""
    if not is_following(user, discussion):
        insert_once(db.session, Follow, user_id=user.id, discussion_id=discussion.id)


def unfollow(user, discussion) -> None:
    """Stop following a discussion."""
    db.session.execute(sa.delete(Follow).where(Follow.user_id == user.id, Follow.discussion_id == discussion.id))


def personal_data(user) -> dict:
    """This person's discussions and replies, for their data export (hub/accounts/export.py)."""
    return {"discussions": export.rows(Discussion, Discussion.author_id == user.id,
                                       ("id", "community_id", "title", "body", "language", "created_at", "deleted_at")),
            "replies": export.rows(Reply, Reply.author_id == user.id,
                                   ("id", "discussion_id", "body", "created_at", "deleted_at")),
            "reactions": export.rows(Reaction, Reaction.user_id == user.id, ("discussion_id", "reply_id", "created_at")),
            "read_marks": export.rows(ReadMark, ReadMark.user_id == user.id,
                                      ("discussion_id", "last_reply_id", "read_at"))}


#: The references to a person whose rows personal_data() exports.
PERSONAL_DATA_COVERS = ("discussion.author_id", "reply.author_id", "reaction.user_id", "read_mark.user_id")
