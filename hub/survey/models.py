"""Survey rounds, each organisation's answers to a round, and introductions between organisations."""

from datetime import date, datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship

from hub.db import TimestampMixin
from hub.extensions import db

#: Round states: answers are accepted while 'open' (and between its dates).
OPEN, CLOSED = "open", "closed"
#: Submission states.
DRAFT, SUBMITTED = "draft", "submitted"
#: What became of an introduction.
OUTCOMES = {
    "sent": _l("Introduced, no news yet"),
    "in_contact": _l("They are in contact"),
    "collaborating": _l("They are working together"),
    "no_follow_up": _l("No follow-up"),
}
#: Where an introduction stands: the secretariat's introductions start accepted; a focal point's request
#: waits for the other side (hub/survey/exchanges.py).
REQUESTED, ACCEPTED, DECLINED = "requested", "accepted", "declined"
EXCHANGE_STATES = {REQUESTED: _l("Waiting for an answer"), ACCEPTED: _l("Accepted"), DECLINED: _l("Declined")}


class SurveyRound(TimestampMixin, db.Model):
    __tablename__ = "survey_round"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    #: The questionnaire as it was when the round opened (ids only; texts come from questionnaire.py).
    questionnaire: Mapped[dict] = mapped_column(sa.JSON)
    questionnaire_version: Mapped[str] = mapped_column(sa.String(40))
    opens_on: Mapped[date | None] = mapped_column(sa.Date)
    closes_on: Mapped[date | None] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(sa.String(10), default=OPEN)
    closed_at: Mapped[datetime | None]
    opened_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))

    opened_by = relationship("User")

    def accepts_answers(self, today: date) -> bool:
        """Open, and today falls within its dates."""
        return (self.status == OPEN and (self.opens_on is None or self.opens_on <= today)
                and (self.closes_on is None or today <= self.closes_on))


class Submission(TimestampMixin, db.Model):
    """One organisation's answers to one round: a draft until submitted."""

    __tablename__ = "survey_submission"
    __table_args__ = (sa.UniqueConstraint("round_id", "organisation_id",
                                          name="uq_survey_submission_round_organisation"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_round.id"), index=True)
    organisation_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    answers: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(sa.String(10), default=DRAFT)
    submitted_at: Mapped[datetime | None]
    submitted_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    #: Optimistic locking: every save bumps it; a save based on an older version is refused.
    version: Mapped[int] = mapped_column(default=1)

    round = relationship("SurveyRound")
    organisation = relationship("Organisation")
    updated_by = relationship("User", foreign_keys=[updated_by_id])

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_submitted(self) -> bool:
        """True once the focal points submitted (until the secretariat reopens)."""
        return self.status == SUBMITTED


class Introduction(TimestampMixin, db.Model):
    """The secretariat put an organisation with a need in touch with one that can help."""

    __tablename__ = "survey_introduction"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(sa.ForeignKey("survey_round.id"), index=True)
    seeker_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    helper_id: Mapped[int] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    area: Mapped[str] = mapped_column(sa.String(40))
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    outcome: Mapped[str] = mapped_column(sa.String(20), default="sent")
    outcome_note: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    #: A peer exchange (hub/survey/exchanges.py): asked for by the seeker, answered by the helper.
    status: Mapped[str] = mapped_column(sa.String(12), default=ACCEPTED, server_default=ACCEPTED)
    requested_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    answered_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    answered_at: Mapped[datetime | None]
    answer_note: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    goals: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    sessions: Mapped[str] = mapped_column(sa.Text, default="", server_default="")
    resources: Mapped[str] = mapped_column(sa.Text, default="", server_default="")

    round = relationship("SurveyRound")
    seeker = relationship("Organisation", foreign_keys=[seeker_id])
    helper = relationship("Organisation", foreign_keys=[helper_id])

    @property
    def outcome_label(self) -> str:
        """The outcome in the reader's language."""
        return str(OUTCOMES.get(self.outcome, self.outcome))

    @property
    def status_label(self) -> str:
        """Where the exchange stands, in the reader's language."""
        return str(EXCHANGE_STATES.get(self.status, self.status))
