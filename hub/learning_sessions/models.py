"""A learning session (webinar, peer exchange, meeting session), who registered, which reminders went out,
and each person's calendar feed and reminder lead times."""

import uuid
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db import SoftDeleteMixin, TimestampMixin, utcnow
from hub.extensions import db

#: A session's states: announced ('scheduled') or called off ('cancelled'; it stays, marked, for the calendars);
#: a member's proposal waits ('proposed') until a facilitator announces it or turns it down ('declined').
SCHEDULED, CANCELLED, PROPOSED, DECLINED = "scheduled", "cancelled", "proposed", "declined"
#: The states only the proposer and the community's facilitators see (permissions.can_view_session).
PROPOSALS = (PROPOSED, DECLINED)
#: A registration's states.
REGISTERED, WAITLISTED, WITHDRAWN = "registered", "waitlisted", "withdrawn"
TITLE_MAX, URL_MAX, PLACE_MAX = 200, 2000, 300
#: Reminder lead times a person may choose, in minutes (the default: one day and one hour before).
LEAD_TIMES = {10080: _l("One week before"), 1440: _l("One day before"), 180: _l("Three hours before"),
              60: _l("One hour before"), 15: _l("15 minutes before")}
DEFAULT_LEADS = [1440, 60]


def new_uid() -> str:
    return f"{uuid.uuid4()}@learninghub"


class LearningSession(TimestampMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "learning_session"
    __table_args__ = (sa.CheckConstraint("ends_at > starts_at", name="ends_after_start"),
                      sa.CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
                      sa.Index("ix_learning_session_listing", "community_id", "starts_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The calendar UID: never changes, so calendar applications update the same event.
    uid: Mapped[str] = mapped_column(sa.String(80), unique=True, default=new_uid)
    #: RFC 5545 SEQUENCE: one more on every change a calendar should show (time, place, cancellation).
    sequence: Mapped[int] = mapped_column(default=0)
    community_id: Mapped[int] = mapped_column(sa.ForeignKey("community.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    title: Mapped[str] = mapped_column(sa.String(TITLE_MAX))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    description_html: Mapped[str] = mapped_column(sa.Text, default="")
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    #: The organiser's IANA time zone: the session's times are shown in it beside the reader's.
    timezone: Mapped[str] = mapped_column(sa.String(64), default="UTC")
    online_url: Mapped[str] = mapped_column(sa.String(URL_MAX), default="")
    place: Mapped[str] = mapped_column(sa.String(PLACE_MAX), default="")
    languages: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: Languages into which the session is interpreted.
    interpretation: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: Seats; None: no limit.
    capacity: Mapped[int | None]
    themes: Mapped[list] = mapped_column(sa.JSON, default=list)
    #: Keys of hub.survey.questionnaire.CAPACITIES the session addresses.
    capacity_areas: Mapped[list] = mapped_column(sa.JSON, default=list)
    status: Mapped[str] = mapped_column(sa.String(10), default=SCHEDULED)
    cancelled_at: Mapped[datetime | None]
    #: Bumped under a row lock by every registration change: serialises seats (see services.register).
    seat_version: Mapped[int] = mapped_column(default=0)
    # After the session
    recording_id: Mapped[int | None] = mapped_column(sa.ForeignKey("library_item.id"))
    slides_id: Mapped[int | None] = mapped_column(sa.ForeignKey("library_item.id"))
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    notes_html: Mapped[str] = mapped_column(sa.Text, default="")
    #: "What we learned".
    summary: Mapped[str] = mapped_column(sa.Text, default="")
    summary_html: Mapped[str] = mapped_column(sa.Text, default="")
    discussion_id: Mapped[int | None] = mapped_column(sa.ForeignKey("discussion.id"))
    #: Why a facilitator turned a member's proposal down (told to the proposer).
    decline_reason: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    #: The proposal form's one-time token: the same form sent twice proposes one session.
    form_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    #: When the organisers last saved who attended: from then on, attendance counts the marks.
    attendance_marked_at: Mapped[datetime | None]

    community = relationship("Community")
    created_by = relationship("User", foreign_keys=[created_by_id])
    recording = relationship("LibraryItem", foreign_keys=[recording_id])
    slides = relationship("LibraryItem", foreign_keys=[slides_id])
    discussion = relationship("Discussion")

    @property
    def is_cancelled(self) -> bool:
        return self.status == CANCELLED

    @property
    def is_proposal(self) -> bool:
        return self.status in PROPOSALS

    def has_started(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) >= self.starts_at

    def is_over(self, now: datetime | None = None) -> bool:
        return (now or utcnow()) >= self.ends_at


class Registration(db.Model):
    """One person's place at one session: registered, on the waitlist, or withdrawn."""

    __tablename__ = "session_registration"
    __table_args__ = (sa.UniqueConstraint("session_id", "user_id", name="uq_session_registration_person"),
                      sa.Index("ix_session_registration_queue", "session_id", "status", "queued_at"))

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("learning_session.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(10), default=REGISTERED)
    #: When the person (last) asked for a seat: the waitlist's order.
    queued_at: Mapped[datetime] = mapped_column(default=utcnow)
    registered_at: Mapped[datetime | None]
    withdrawn_at: Mapped[datetime | None]
    #: Marked by the organisers after the start: True came, False did not, None not marked.
    attended: Mapped[bool | None]

    session = relationship("LearningSession")
    user = relationship("User")


class Reminder(db.Model):
    """A reminder that went out: one row per person, session and lead time, inserted once."""

    __tablename__ = "session_reminder"
    __table_args__ = (sa.UniqueConstraint("session_id", "user_id", "lead_minutes", name="uq_session_reminder_once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("learning_session.id"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    lead_minutes: Mapped[int]
    #: The start time the reminder was about: a moved session is reminded again.
    starts_at: Mapped[datetime]
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)


class SessionSettings(db.Model):
    """A person's reminder lead times and private calendar feed (only the token's hash is kept)."""

    __tablename__ = "session_settings"

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True)
    lead_minutes: Mapped[list] = mapped_column(sa.JSON, default=lambda: list(DEFAULT_LEADS))
    feed_token_hash: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    feed_created_at: Mapped[datetime | None]
