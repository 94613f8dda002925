"""Capacity-building plans (one per organisation per round, with actions) and notes on answers
(comments, evidence and confirmations by the organisation, a named peer or facilitator)."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db import TimestampMixin, utcnow
from hub.extensions import db

#: What support an action seeks.
SUPPORT = {"peer_exchange": _l("Peer exchange"), "training": _l("Training"), "resource": _l("A resource")}
#: Where an action stands.
PLANNED, IN_PROGRESS, DONE, DROPPED = "planned", "in_progress", "done", "dropped"
ACTION_STATES = {PLANNED: _l("Planned"), IN_PROGRESS: _l("In progress"), DONE: _l("Done"), DROPPED: _l("Dropped")}
#: States in which an action is still being worked on.
OPEN_STATES = (PLANNED, IN_PROGRESS)
#: What a note on an answer is.
COMMENT, CONFIRM, QUESTION = "comment", "confirm", "question"
NOTE_KINDS = {COMMENT: _l("Comment or evidence"), CONFIRM: _l("Confirms this answer"),
              QUESTION: _l("Questions this answer")}


class Plan(TimestampMixin, db.Model):
    """One organisation's capacity-building plan for one round: its chosen priorities and actions."""

    __tablename__ = "survey_plan"
    __table_args__ = (sa.UniqueConstraint("round_id", "organisation_id", name="uq_survey_plan_round_organisation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_round.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    #: The areas (needs) chosen as priorities, most important first.
    priorities: Mapped[list] = mapped_column(sa.JSON, default=list)

    round = relationship("SurveyRound")
    organisation = relationship("Organisation")
    #: Its actions, deleted ones left out (they stay restorable: plans.deleted_actions).
    actions = relationship("PlanAction", viewonly=True, order_by="(PlanAction.due_on, PlanAction.id)",
                           primaryjoin="and_(Plan.id == PlanAction.plan_id, PlanAction.deleted_at.is_(None))")


class PlanAction(TimestampMixin, db.Model):
    """What will be done about one need: by whom, by when, with which support."""

    __tablename__ = "survey_plan_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_plan.id"), index=True)
    area: Mapped[str] = mapped_column(sa.String(40))
    what: Mapped[str] = mapped_column(sa.Text)
    who: Mapped[str] = mapped_column(sa.String(200), default="")
    due_on: Mapped[date] = mapped_column(sa.Date, index=True)
    support: Mapped[str] = mapped_column(sa.String(20))
    status: Mapped[str] = mapped_column(sa.String(12), default=PLANNED, index=True)
    progress: Mapped[str] = mapped_column(sa.Text, default="")
    #: A suggested organisation whose offer the action relies on, and the exchange with it, if any.
    helper_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id"))
    introduction_id: Mapped[int | None] = mapped_column(sa.ForeignKey("survey_introduction.id"))
    #: Deleted by a focal point or the secretariat (softly: the plan page offers to restore it; audited).
    deleted_at: Mapped[datetime | None]

    plan = relationship("Plan")
    helper = relationship("Organisation")
    introduction = relationship("Introduction")

    @property
    def support_label(self) -> str:
        return str(SUPPORT.get(self.support, self.support))

    @property
    def status_label(self) -> str:
        return str(ACTION_STATES.get(self.status, self.status))

    def is_overdue(self, today: date) -> bool:
        """Still open after its date."""
        return self.status in OPEN_STATES and self.due_on < today


class AnswerNote(db.Model):
    """A comment, a piece of evidence or a confirmation about one answer of one organisation."""

    __tablename__ = "survey_answer_note"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_round.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    question_id: Mapped[str] = mapped_column(sa.String(120))
    kind: Mapped[str] = mapped_column(sa.String(12), default=COMMENT)
    text: Mapped[str] = mapped_column(sa.Text, default="")
    #: Evidence: a library item (shown only to those who may see it) or a document's address.
    item_id: Mapped[int | None] = mapped_column(sa.ForeignKey("library_item.id"))
    document_url: Mapped[str] = mapped_column(sa.String(500), default="")
    author_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    #: Whose voice: the organisation itself, a named peer organisation, a facilitator, the secretariat.
    role: Mapped[str] = mapped_column(sa.String(12), default="own")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]

    author = relationship("User")
    item = relationship("LibraryItem")

    @property
    def kind_label(self) -> str:
        return str(NOTE_KINDS.get(self.kind, self.kind))


class AnswerReviewer(db.Model):
    """A peer organisation or a facilitator the focal point asked to confirm or comment on its answers."""

    __tablename__ = "survey_answer_reviewer"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_round.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    reviewer_organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    reviewer_user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    named_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    round = relationship("SurveyRound")
    organisation = relationship("Organisation", foreign_keys=[organisation_id])
    reviewer_organisation = relationship("Organisation", foreign_keys=[reviewer_organisation_id])
    reviewer_user = relationship("User", foreign_keys=[reviewer_user_id])
