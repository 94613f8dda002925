"""Sessions and seats: scheduling, changing, cancelling, registering with a waitlist, and listing.

Services flush, views commit. Every registration change first bumps the session's `seat_version` with
an UPDATE: that takes the session row's write lock (a row lock on PostgreSQL, the database's write lock on
SQLite) before seats are counted, so two people taking the last seat, or a withdrawal and a registration
at once, are decided one after the other and the waitlist moves up exactly once.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from hub import audit, permissions, signals
from hub.accounts.models import User
from hub.db import utcnow
from hub.discussions import services as discussions
from hub.extensions import db
from hub.learning_sessions import notices, reminders
from hub.learning_sessions.models import (CANCELLED, PROPOSALS, REGISTERED, SCHEDULED, WAITLISTED, WITHDRAWN,
                                          LearningSession, Registration, Reminder, SessionSettings)
from hub.markdown import render
from hub.pagination import paginate

#: What a change to these fields means for calendars and registrants.
TIME_FIELDS = ("starts_at", "ends_at", "timezone")
WHERE_FIELDS = ("online_url", "place")
EDITABLE = ("title", "description", "starts_at", "ends_at", "timezone", "online_url", "place", "languages",
            "interpretation", "capacity", "themes", "capacity_areas")


class SeatError(Exception):
    """A registration that cannot be made (the message is shown to the person)."""


def get_session(session_id: int) -> LearningSession | None:
    return db.session.get(LearningSession, session_id)


# --- Scheduling ------------------------------------------------------------------------------------

def schedule(community, organiser, data: dict) -> LearningSession:
    """A new session in a community (data checked by the form); audited; flushes."""
    session = new_session(community, organiser, data, SCHEDULED)
    announce(session, "schedule_session")
    return session


def new_session(community, person, data: dict, status: str, form_token: str | None = None) -> LearningSession:
    """A session row, announced or proposed (not audited: the caller says what it was); flushes."""
    session = LearningSession(community=community, created_by=person, status=status, sequence=0,
                              form_token=form_token or None)
    apply_fields(session, data)
    db.session.add(session)
    db.session.flush()
    return session


def announce(session, action: str) -> None:
    """A session others may now see and register for (scheduled, or a proposal approved): audited."""
    audit.record(action, session, details={"community": session.community.slug})
    reminders.schedule_tick()


def apply_fields(session, data: dict) -> None:
    """Copy the form's fields onto the session (the description rendered once)."""
    for name in EDITABLE:
        if name in data:
            setattr(session, name, data[name])
    session.description_html = render(session.description or "")


def update(session, data: dict, actor) -> list[str]:
    """Change a session; a change of time or place bumps the calendar SEQUENCE and tells every
    registrant. Returns what changed ('time', 'place', 'details')."""
    before = {name: getattr(session, name) for name in EDITABLE}
    apply_fields(session, data)
    changed = [name for name in EDITABLE if getattr(session, name) != before[name]]
    what = []
    if any(name in changed for name in TIME_FIELDS):
        what.append("time")
        # Reminders are about a start time: a moved session is reminded again at the new one.
        db.session.execute(sa.delete(Reminder).where(Reminder.session_id == session.id)
                           .execution_options(synchronize_session=False))
    if any(name in changed for name in WHERE_FIELDS):
        what.append("place")
    if changed and not what:
        what.append("details")
    if changed:
        session.sequence += 1
        db.session.flush()
        audit.record("edit_session", session, details={"changed": changed})
    if "capacity" in changed:
        _fill_free_seats(session)
    if "time" in what or "place" in what:
        _tell_change(session, "time" if "time" in what else "place", actor)
    return what


def cancel(session, actor, reason: str = "") -> None:
    """Call a session off (before it starts): it stays, marked cancelled; everyone registered is told."""
    session.status, session.cancelled_at = CANCELLED, utcnow()
    session.sequence += 1
    db.session.flush()
    audit.record("cancel_session", session, reason=reason)
    _tell_change(session, "cancelled", actor, reason=reason)


def _tell_change(session, change: str, actor, **context) -> None:
    """Everyone registered or waiting hears of a new time or place, or a cancellation: in-app and by email."""
    people = registrants(session, (REGISTERED, WAITLISTED))
    signals.session_changed.send(session, change=change, people=people, actor=actor)
    notices.tell(session, people, change, **context)


def move(session, community, actor) -> None:
    """Move a session to another community: its visibility (pages, feeds, search) follows the new one."""
    before = session.community.slug
    session.community = community
    session.sequence += 1
    db.session.flush()
    audit.record("move_session", session, details={"from": before, "to": community.slug})


def delete(session, actor) -> None:
    """Soft-delete a session (it leaves every list, feed and search)."""
    session.deleted_at = utcnow()
    session.sequence += 1
    db.session.flush()
    audit.record("delete_session", session)


# --- After the session ---------------------------------------------------------------------------

def attach_material(session, actor, recording=None, slides=None, notes: str | None = None,
                    summary: str | None = None) -> bool:
    """Attach the recording and slides (library items), notes and "what we learned"; when a recording or
    slides are new, registrants are told. Returns whether they were told."""
    news = (recording is not None and recording.id != session.recording_id) or \
           (slides is not None and slides.id != session.slides_id)
    if recording is not None:
        session.recording = recording
    if slides is not None:
        session.slides = slides
    if notes is not None:
        session.notes, session.notes_html = notes, render(notes)
    if summary is not None:
        session.summary, session.summary_html = summary, render(summary)
    db.session.flush()
    audit.record("attach_session_material", session,
                 details={"recording": session.recording_id, "slides": session.slides_id})
    if news:
        people = registrants(session, (REGISTERED,))
        signals.session_material_added.send(session, people=people, actor=actor)
        notices.tell(session, people, "material")
    return news


def open_discussion(session, actor):
    """The session's discussion thread (started once, in its community)."""
    if session.discussion is not None:
        return session.discussion
    discussion = discussions.start_discussion(session.community, actor, {
        "title": session.title[:200], "body": session.summary or session.description or session.title,
        "language": (session.languages or ["en"])[0], "themes": session.themes}, review=False)
    session.discussion = discussion
    db.session.flush()
    audit.record("open_session_discussion", session, details={"discussion": discussion.id})
    return discussion


def summary_to_best_practice(session, actor, summary: str) -> None:
    """The "what we learned" summary becomes a best practice: of the session's discussion."""
    discussion = open_discussion(session, actor)
    discussions.mark_best_practice(discussion, actor, summary[:500])
    audit.record("session_best_practice", session, details={"discussion": discussion.id})


# --- Seats ----------------------------------------------------------------------------------------

def _lock(session) -> LearningSession:
    """Take the session's seat lock (see the module docstring) and read it afresh."""
    db.session.execute(sa.update(LearningSession).where(LearningSession.id == session.id)
                       .values(seat_version=LearningSession.seat_version + 1)
                       .execution_options(synchronize_session=False))
    return db.session.scalar(sa.select(LearningSession).where(LearningSession.id == session.id)
                             .with_for_update().execution_options(populate_existing=True))


def seats_taken(session_id: int) -> int:
    return db.session.scalar(sa.select(sa.func.count(Registration.id)).where(
        Registration.session_id == session_id, Registration.status == REGISTERED)) or 0


def registration_of(user, session) -> Registration | None:
    if not permissions.is_signed_in(user):
        return None
    return db.session.scalar(sa.select(Registration).where(Registration.session_id == session.id,
                                                           Registration.user_id == user.id))


def register(session, user) -> Registration:
    """Take a seat, or a place on the waitlist when the session is full. Registering twice changes
    nothing (SeatError says so). Flushes."""
    session = _lock(session)
    if session.is_cancelled or session.has_started():
        raise SeatError("closed")
    row = db.session.scalar(sa.select(Registration).where(
        Registration.session_id == session.id, Registration.user_id == user.id)
        .execution_options(populate_existing=True))
    if row is not None and row.status in (REGISTERED, WAITLISTED):
        raise SeatError(row.status)
    full = session.capacity is not None and seats_taken(session.id) >= session.capacity
    if row is None:
        row = Registration(session_id=session.id, user_id=user.id)
        db.session.add(row)
    row.status, row.queued_at, row.withdrawn_at = (WAITLISTED if full else REGISTERED), utcnow(), None
    row.registered_at = None if full else utcnow()
    db.session.flush()
    return row


def withdraw(session, user) -> Registration | None:
    """Give up one's seat (or waitlist place) before the start; the first on the waitlist moves up. Flushes."""
    session = _lock(session)
    if session.has_started():
        raise SeatError("started")
    row = db.session.scalar(sa.select(Registration).where(
        Registration.session_id == session.id, Registration.user_id == user.id,
        Registration.status.in_((REGISTERED, WAITLISTED))).execution_options(populate_existing=True))
    if row is None:
        raise SeatError("none")
    row.status, row.withdrawn_at = WITHDRAWN, utcnow()
    db.session.flush()
    return _fill_free_seats(session)


def _fill_free_seats(session) -> Registration | None:
    """Move people up from the waitlist while seats are free (under the seat lock); each is told once."""
    promoted = None
    while True:
        if session.capacity is not None and seats_taken(session.id) >= session.capacity:
            return promoted
        nxt = db.session.scalar(sa.select(Registration).where(
            Registration.session_id == session.id, Registration.status == WAITLISTED)
            .order_by(Registration.queued_at, Registration.id).limit(1))
        if nxt is None:
            return promoted
        nxt.status, nxt.registered_at = REGISTERED, utcnow()
        db.session.flush()
        signals.seat_offered.send(session, person=nxt.user)
        notices.tell(session, [nxt.user], "seat")
        promoted = nxt


def registrants(session, statuses=(REGISTERED,)) -> list[User]:
    """The people with one of these registration states, in the order they asked."""
    return list(db.session.scalars(sa.select(User).join(Registration, Registration.user_id == User.id).where(
        Registration.session_id == session.id, Registration.status.in_(statuses))
        .order_by(Registration.queued_at, Registration.id)))


def registration_list(session) -> list[Registration]:
    """Every registration of a session, for its organisers (with people and organisations)."""
    return list(db.session.scalars(sa.select(Registration).options(joinedload(Registration.user).joinedload(
        User.organisation)).where(Registration.session_id == session.id)
        .order_by(Registration.status, Registration.queued_at, Registration.id)))


# --- Finding -------------------------------------------------------------------------------------

def _visible(user):
    return sa.and_(permissions.readable_sessions(user, LearningSession), LearningSession.deleted_at.is_(None))


def upcoming(user, limit: int = 5, community=None) -> list[LearningSession]:
    """The next sessions this person (or visitor) may see, soonest first (cancelled ones left out)."""
    query = (sa.select(LearningSession).options(joinedload(LearningSession.community))
             .where(_visible(user), LearningSession.ends_at > utcnow(), LearningSession.status == SCHEDULED)
             .order_by(LearningSession.starts_at, LearningSession.id).limit(limit))
    if community is not None:
        query = query.where(LearningSession.community_id == community.id)
    return list(db.session.scalars(query))


def listing(user, filters: dict, past: bool, page: int):
    """A page of sessions with the filters (community id, language, theme, month 'YYYY-MM', recorded)."""
    now = utcnow()
    query = sa.select(LearningSession).options(joinedload(LearningSession.community)).where(
        _visible(user), LearningSession.status.not_in(PROPOSALS))  # proposals: a list of their own
    if past:
        query = query.where(LearningSession.ends_at <= now).order_by(LearningSession.starts_at.desc(),
                                                                      LearningSession.id.desc())
    else:
        query = query.where(LearningSession.ends_at > now).order_by(LearningSession.starts_at, LearningSession.id)
    if filters.get("community"):
        query = query.where(LearningSession.community_id == filters["community"])
    if filters.get("month"):
        start = filters["month"]
        end = (start + timedelta(days=32)).replace(day=1)
        query = query.where(LearningSession.starts_at >= start, LearningSession.starts_at < end)
    if filters.get("recorded"):
        query = query.where(LearningSession.recording_id.is_not(None))
    # Languages and themes are JSON lists: matched in Python on a bounded candidate list.
    wanted = [(key, filters[key]) for key in ("language", "theme") if filters.get(key)]
    if wanted:
        ids = [s.id for s in db.session.scalars(query.limit(2000))
               if all(value in (s.languages if key == "language" else s.themes) or
                      (key == "language" and value in (s.interpretation or [])) for key, value in wanted)]
        query = query.where(LearningSession.id.in_(ids))
    return paginate(query, page)


def sessions_of(user, since: datetime | None = None) -> list[LearningSession]:
    """The sessions a person registered for (or waits for) that they may still see: their calendar feed."""
    since = since or utcnow() - timedelta(days=90)
    return list(db.session.scalars(
        sa.select(LearningSession).join(Registration, Registration.session_id == LearningSession.id)
        .options(joinedload(LearningSession.community))
        .where(Registration.user_id == user.id, Registration.status.in_((REGISTERED, WAITLISTED)),
               _visible(user), LearningSession.ends_at > since).order_by(LearningSession.starts_at)))


def community_sessions(community, since: datetime | None = None) -> list[LearningSession]:
    """A community's sessions from `since` on (its public calendar)."""
    since = since or utcnow() - timedelta(days=90)
    return list(db.session.scalars(sa.select(LearningSession).where(
        LearningSession.community_id == community.id, LearningSession.deleted_at.is_(None),
        LearningSession.status.not_in(PROPOSALS), LearningSession.ends_at > since)
        .order_by(LearningSession.starts_at)))


PERSONAL_DATA_COVERS = ("session_registration.user_id", "session_reminder.user_id", "session_settings.user_id",
                        "learning_session.created_by_id")


def personal_data(user) -> dict:
    """A person's registrations, reminders, reminder settings and the sessions they scheduled, for their
    data export (the calendar feed's token is kept only as a hash, and left out)."""
    rows = db.session.execute(sa.select(LearningSession.title, Registration.status, Registration.queued_at,
                                        Registration.attended)
                              .join(LearningSession, LearningSession.id == Registration.session_id)
                              .where(Registration.user_id == user.id).order_by(Registration.id)).all()
    reminders = db.session.execute(sa.select(LearningSession.title, Reminder.lead_minutes, Reminder.sent_at)
                                   .join(LearningSession, LearningSession.id == Reminder.session_id)
                                   .where(Reminder.user_id == user.id).order_by(Reminder.id)).all()
    settings = db.session.get(SessionSettings, user.id)
    scheduled = db.session.execute(sa.select(LearningSession.title, LearningSession.status,
                                             LearningSession.decline_reason)
                                   .where(LearningSession.created_by_id == user.id).order_by(LearningSession.id)).all()
    return {"session_registrations": [{"session": t, "status": s, "asked_at": q.isoformat(), "attended": a}
                                      for t, s, q, a in rows],
            "session_reminders": [{"session": t, "minutes_before": m, "sent_at": at.isoformat()}
                                  for t, m, at in reminders],
            "session_settings": ({"reminder_minutes_before": settings.lead_minutes,
                                  "calendar_feed_since": settings.feed_created_at.isoformat()
                                  if settings.feed_created_at else None} if settings else {}),
            "sessions_scheduled": [{"session": t, "status": s, **({"declined_because": r} if r else {})}
                                   for t, s, r in scheduled]}
