"""Sessions proposed by members where the community allows it: proposed, changed or withdrawn by their
proposer, approved (announced like any session) or declined by a facilitator.

A proposal is a LearningSession with status 'proposed' (or 'declined'): permissions.can_view_session and
readable_sessions show it only to its proposer and the community's facilitators, so no list, feed,
calendar, search or mail reaches anyone else before it is announced. Services flush, views commit.
"""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from hub import audit, permissions, signals
from hub.db import utcnow
from hub.extensions import db
from hub.learning_sessions import notices, services
from hub.learning_sessions.models import DECLINED, PROPOSED, SCHEDULED, LearningSession


def propose(community, proposer, data: dict, form_token: str | None = None) -> LearningSession:
    """A member's proposal (the same fields as a session; checked by the form); flushes."""
    return services.new_session(community, proposer, data, PROPOSED, form_token)


def change(session, data: dict) -> None:
    """The proposer changes their pending proposal; flushes."""
    services.apply_fields(session, data)
    db.session.flush()


def withdraw(session) -> None:
    """The proposer takes back their pending proposal: it is deleted (softly); flushes."""
    session.deleted_at = utcnow()
    db.session.flush()


def approve(session, actor) -> None:
    """A facilitator announces a proposal: it becomes a scheduled session, audited and reminded like one
    they announced themselves; the proposer is told in-app and by email."""
    session.status = SCHEDULED
    db.session.flush()
    services.announce(session, "approve_session_proposal")
    _tell(session, "approved", actor)


def decline(session, actor, reason: str) -> None:
    """A facilitator turns a proposal down with a reason the proposer reads; audited."""
    session.status, session.decline_reason = DECLINED, reason
    db.session.flush()
    audit.record("decline_session_proposal", session, reason=reason)
    _tell(session, "declined", actor, reason=reason)


def _tell(session, decision: str, actor, **context) -> None:
    proposer = session.created_by
    if proposer is None:
        return
    signals.session_proposal_decided.send(session, person=proposer, decision=decision, actor=actor)
    notices.tell(session, [proposer], decision, **context)


def pending(user) -> list[LearningSession]:
    """Pending proposals this person decides on (the communities they facilitate) or made, oldest first."""
    query = (sa.select(LearningSession).options(joinedload(LearningSession.community),
                                                joinedload(LearningSession.created_by))
             .where(LearningSession.status == PROPOSED, LearningSession.deleted_at.is_(None),
                    permissions.readable_sessions(user, LearningSession))
             .order_by(LearningSession.created_at, LearningSession.id))
    return list(db.session.scalars(query.limit(200)))

