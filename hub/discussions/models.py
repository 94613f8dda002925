"""Discussions in a community: the opening post, flat replies, earlier versions and "helpful" reactions."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db import HideableMixin, SoftDeleteMixin, TimestampMixin, utcnow
from hub.extensions import db

KINDS = {"discussion": _l("Discussion"), "question": _l("Question")}
TITLE_MAX, BODY_MAX, SUMMARY_MAX = 200, 50_000, 500


class Discussion(TimestampMixin, SoftDeleteMixin, HideableMixin, db.Model):
    __tablename__ = "discussion"
    __table_args__ = (sa.Index("ix_discussion_listing", "community_id", "is_pinned", "last_activity_at"),
                      # The home page's news: a community's discussions active since a date, wherever pinned.
                      sa.Index("ix_discussion_activity", "community_id", "last_activity_at"),
                      # The home page's unanswered questions and recent best practices, newest first, without
                      # reading every discussion that is neither.
                      sa.Index("ix_discussion_unanswered", "kind", "reply_count", "created_at"),
                      sa.Index("ix_discussion_best_practice", "community_id", "best_practice_at"),
                      # What waits for review in a community (the desk's count, the facilitators' home block).
                      sa.Index("ix_discussion_pending", "community_id", "review_status"))

    id: Mapped[int] = mapped_column(primary_key=True)
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("community.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    body: Mapped[str] = mapped_column(sa.Text, default="")
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    #: The language the post is written in (a code of hub.accounts.forms.SPOKEN_LANGUAGES).
    language: Mapped[str] = mapped_column(sa.String(8), default="en")
    themes: Mapped[list] = mapped_column(sa.JSON, default=list)
    kind: Mapped[str] = mapped_column(sa.String(12), default="discussion")
    is_pinned: Mapped[bool] = mapped_column(default=False)
    is_locked: Mapped[bool] = mapped_column(default=False)
    edited_at: Mapped[datetime | None]
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Replies not deleted, kept up to date by the services (lists show it without counting).
    reply_count: Mapped[int] = mapped_column(default=0)
    helpful_count: Mapped[int] = mapped_column(default=0)
    best_practice_summary: Mapped[str | None] = mapped_column(sa.String(SUMMARY_MAX))
    best_practice_at: Mapped[datetime | None]
    best_practice_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    community = relationship("Community")
    author = relationship("User", foreign_keys=[author_id])

    @property
    def is_question(self) -> bool:
        return self.kind == "question"

    @property
    def is_best_practice(self) -> bool:
        return self.best_practice_at is not None


class Reply(TimestampMixin, SoftDeleteMixin, HideableMixin, db.Model):
    __tablename__ = "reply"
    # The home page's news: a discussion's replies written since a date, without reading the older ones.
    __table_args__ = (sa.Index("ix_reply_discussion_created", "discussion_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    discussion_id: Mapped[int] = mapped_column(sa.ForeignKey("discussion.id"), index=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    body: Mapped[str] = mapped_column(sa.Text, default="")
    body_html: Mapped[str] = mapped_column(sa.Text, default="")
    edited_at: Mapped[datetime | None]
    #: On a question: the reply the author or a facilitator marked as the answer.
    is_answer: Mapped[bool] = mapped_column(default=False)
    helpful_count: Mapped[int] = mapped_column(default=0)

    discussion = relationship("Discussion")
    author = relationship("User", foreign_keys=[author_id])


class Revision(db.Model):
    """An earlier version of a discussion's opening post or of a reply, kept when it is edited."""

    __tablename__ = "post_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    discussion_id: Mapped[int] = mapped_column(sa.ForeignKey("discussion.id"), index=True)
    reply_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reply.id"), index=True)
    title: Mapped[str | None] = mapped_column(sa.String(TITLE_MAX))
    body: Mapped[str] = mapped_column(sa.Text)
    body_html: Mapped[str] = mapped_column(sa.Text)
    #: When this version was written (the post's creation or its previous edit).
    written_at: Mapped[datetime]
    replaced_at: Mapped[datetime] = mapped_column(default=utcnow)


class Reaction(db.Model):
    """One "helpful" per person per post (the opening post or one reply)."""

    __tablename__ = "reaction"
    __table_args__ = (sa.UniqueConstraint("user_id", "discussion_id", "reply_id", name="uq_reaction_post"),
                      # NULLs are distinct in the constraint above: this one holds for the opening post.
                      sa.Index("uq_reaction_opening_post", "user_id", "discussion_id", unique=True,
                               sqlite_where=sa.text("reply_id IS NULL"),
                               postgresql_where=sa.text("reply_id IS NULL")))

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    discussion_id: Mapped[int] = mapped_column(sa.ForeignKey("discussion.id"), index=True)
    #: None when the reaction is to the opening post.
    reply_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reply.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Submission(db.Model):
    """A form's one-time token, used once: a second submission of the same form goes to the first post."""

    __tablename__ = "form_submission"

    token: Mapped[str] = mapped_column(sa.String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"))
    discussion_id: Mapped[int] = mapped_column(sa.ForeignKey("discussion.id"))
    reply_id: Mapped[int | None] = mapped_column(sa.ForeignKey("reply.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ReadMark(db.Model):
    """How far a person has read a discussion: the newest reply they were shown (0: only the opening post).

    One row per person and discussion, written only when it moves forward (hub/discussions/unread.py)."""

    __tablename__ = "read_mark"
    __table_args__ = (sa.UniqueConstraint("user_id", "discussion_id", name="uq_read_mark_person_discussion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    discussion_id: Mapped[int] = mapped_column(sa.ForeignKey("discussion.id", ondelete="CASCADE"), index=True)
    last_reply_id: Mapped[int] = mapped_column(default=0)
    read_at: Mapped[datetime] = mapped_column(default=utcnow)
