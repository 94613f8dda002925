"""Reports: a signed-in person flags a discussion, reply, library item or profile for moderators."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db import TimestampMixin, utcnow
from hub.extensions import db

#: Report reasons; safety risk is urgent and shown first in the queue.
SAFETY = "safety"
REASONS = {
    "spam": _l("Spam"),
    "harassment": _l("Harassment or offensive"),
    SAFETY: _l("Safety risk: it exposes a person or organisation to danger"),
    "misinformation": _l("Misinformation"),
    "off_topic": _l("Off-topic"),
    "other": _l("Other"),
}
#: Report states: open until a moderator acts; then the outcome.
OPEN, DISMISSED, HIDDEN, LOCKED, DELETED = "open", "dismissed", "hidden", "locked", "deleted"
REVISION = "revision"
#: Report states as moderators read them in the case page.
STATUSES = {OPEN: _l("open"), DISMISSED: _l("dismissed"), HIDDEN: _l("content hidden"), LOCKED: _l("discussion locked"),
            DELETED: _l("content deleted"), REVISION: _l("revision requested")}
#: (What the reporter is told of each outcome: hub.notifications.models.REPORT_OUTCOMES.)


class Report(TimestampMixin, db.Model):
    """One person's report about one object (reporting it again updates this row)."""

    __tablename__ = "moderation_report"
    __table_args__ = (sa.UniqueConstraint("reporter_id", "kind", "object_id", name="uq_report_once"),
                      sa.Index("ix_moderation_report_target", "kind", "object_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    kind: Mapped[str] = mapped_column(sa.String(12))
    object_id: Mapped[int]
    #: The community the object lives in (None: outside communities, the secretariat's only).
    community_id: Mapped[int | None] = mapped_column(sa.ForeignKey("community.id"), index=True)
    #: Whose content it is (the profile's owner for a profile).
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    reason: Mapped[str] = mapped_column(sa.String(20))
    note: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(sa.String(12), default=OPEN, index=True)
    handled_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    handled_at: Mapped[datetime | None]

    reporter = relationship("User", foreign_keys=[reporter_id])
    author = relationship("User", foreign_keys=[author_id])
    community = relationship("Community")

    @property
    def reason_label(self) -> str:
        return str(REASONS.get(self.reason, self.reason))

    @property
    def status_label(self) -> str:
        return str(STATUSES.get(self.status, self.status))

    @property
    def is_urgent(self) -> bool:
        return self.reason == SAFETY


#: What a reply template is for: the desk offers it next to the reason of that kind of decision.
TEMPLATE_PURPOSES = {
    "hide": _l("Hide reason"),
    "revise": _l("Revise request"),
    "reject": _l("Rejected post"),
    "decline": _l("Declined registration"),
    "sanction": _l("Sanction reason"),
}
#: English is the fallback: a template needs its English text; other languages may be missing.
FALLBACK = "en"


class ReplyTemplate(TimestampMixin, db.Model):
    """A ready-made reason in the five languages; the author receives it in their own language."""

    __tablename__ = "reply_template"

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(sa.String(20), index=True)
    #: How moderators find it in the menu (the desk's language is the secretariat's business).
    name: Mapped[str] = mapped_column(sa.String(120))
    #: {language code: text}; a missing or empty language falls back to English.
    texts: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    #: Retired templates leave the menus; they stay for the record (deletion is soft).
    retired_at: Mapped[datetime | None]

    def text_in(self, locale: str | None) -> str:
        """The text in this language, or in English when it has none."""
        code = (locale or FALLBACK).split("_")[0]
        return (self.texts or {}).get(code) or (self.texts or {}).get(FALLBACK, "")

    def missing(self, languages) -> list[str]:
        """The languages this template has no text in (they receive English)."""
        return [code for code in languages if not (self.texts or {}).get(code)]

    @property
    def purpose_label(self) -> str:
        return str(TEMPLATE_PURPOSES.get(self.purpose, self.purpose))


class CaseClaim(db.Model):
    """Who is handling a case (a reported object, or a post waiting for review), so others leave it to them.

    One row per case, claimed with a conditional UPDATE (… WHERE claimed_by_id IS NULL), so two moderators
    claiming at once cannot both win, on PostgreSQL as on SQLite."""

    __tablename__ = "case_claim"
    __table_args__ = (sa.UniqueConstraint("kind", "object_id", name="uq_case_claim_case"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(12))
    object_id: Mapped[int]
    claimed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    claimed_at: Mapped[datetime | None]

    claimed_by = relationship("User")


#: What an internal note can be about: a case (a reportable kind) or a person.
PERSON = "person"


class ModerationNote(db.Model):
    """An internal note of the moderators on a case or on a person: never shown to the people concerned."""

    __tablename__ = "moderation_note"
    __table_args__ = (sa.Index("ix_moderation_note_subject", "subject", "subject_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: A reportable kind ("discussion", "reply", "item", "profile") or PERSON.
    subject: Mapped[str] = mapped_column(sa.String(12))
    subject_id: Mapped[int]
    #: The community of the case (None: a person, or content outside communities: the secretariat's).
    community_id: Mapped[int | None] = mapped_column(sa.ForeignKey("community.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author = relationship("User")
