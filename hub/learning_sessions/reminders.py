"""Reminders before a session, sent by the job runner exactly once per person, session and lead time.

The periodic job 'learning_sessions.remind' (it queues its own next run) finds registrations whose lead
time has come. Each reminder is a row inserted with hub.db.insert_once in the same transaction as its
in-app notice and its email: a runner killed before commit leaves nothing, so the next run sends it; a
runner that committed left the row, so no run sends it again — across restarts and several runners.
"""

from datetime import timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from hub import permissions, signals
from hub.db import insert_once, utcnow
from hub.extensions import db
from hub.jobs.services import enqueue, handler
from hub.learning_sessions import notices
from hub.learning_sessions.models import (DEFAULT_LEADS, LEAD_TIMES, REGISTERED, SCHEDULED, LearningSession,
                                          Registration, Reminder, SessionSettings)

JOB = "learning_sessions.remind"
TICK_SECONDS = 60
LONGEST_LEAD = max(LEAD_TIMES)


def lead_times_of(user_id: int) -> list[int]:
    """The person's chosen lead times in minutes (the default: one day and one hour)."""
    saved = db.session.scalar(sa.select(SessionSettings.lead_minutes).where(SessionSettings.user_id == user_id))
    return sorted({m for m in (saved if saved is not None else DEFAULT_LEADS) if m in LEAD_TIMES}, reverse=True)


def due(now=None) -> list[tuple]:
    """(session, registration, [lead times whose moment has come]) for sessions starting within the longest lead."""
    now = now or utcnow()
    rows = db.session.execute(
        sa.select(LearningSession, Registration).join(Registration, Registration.session_id == LearningSession.id)
        .options(joinedload(Registration.user), joinedload(LearningSession.community))
        .where(LearningSession.status == SCHEDULED, LearningSession.deleted_at.is_(None),
               LearningSession.starts_at > now,
               LearningSession.starts_at <= now + timedelta(minutes=LONGEST_LEAD),
               Registration.status == REGISTERED)
        .order_by(LearningSession.starts_at, Registration.id)).all()
    found = []
    for session, registration in rows:
        leads = [m for m in lead_times_of(registration.user_id) if session.starts_at - timedelta(minutes=m) <= now]
        if leads:
            found.append((session, registration, leads))
    return found


def send_due(now=None) -> int:
    """Send each reminder whose time has come and that was not sent yet; commits after each. Returns how many."""
    now, sent = now or utcnow(), 0
    for session, registration, leads in due(now):
        person = registration.user
        # Only the nearest lead is worth telling: a person who registers an hour before the start is
        # not told "tomorrow"; the longer leads are recorded as done without a message.
        nearest = min(leads)
        fresh = [m for m in leads if insert_once(db.session, Reminder, session_id=session.id, user_id=person.id,
                                                 lead_minutes=m, starts_at=session.starts_at, sent_at=now)]
        if nearest in fresh and person.is_active and permissions.can_view_session(person, session):
            signals.session_reminder.send(session, person=person, lead_minutes=nearest)
            notices.tell(session, [person], "reminder", lead=LEAD_TIMES[nearest])
            sent += 1
        db.session.commit()
    return sent


@handler(JOB, max_attempts=1)  # a failed tick is not retried: the next one is queued first
def remind_job(payload: dict) -> None:
    """Periodic job: queue the next run, then send the reminders that are due."""
    schedule_tick(delay=TICK_SECONDS)
    db.session.commit()
    send_due()


def schedule_tick(delay: int = 0) -> None:
    """Queue the periodic reminder job (once: an already queued one is kept); flushes."""
    enqueue(JOB, run_after=utcnow() + timedelta(seconds=delay), unique=True)
