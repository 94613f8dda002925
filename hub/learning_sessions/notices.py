"""Emails about sessions, each in its recipient's language and time zone, through hub/mail.py's outbox.

Every message is about the session ([learning_session, id]): the outbox drops it at send time when the
recipient may no longer see the session (moved to a private community they are not in, say)."""

from flask import current_app

from hub import mail
from hub.learning_sessions.times import reader_zone, when, zone_label, zone_or_none, UTC
from hub.mail import absolute_url

#: What happened (a new time or place, a cancellation, the recording online, a seat from the waitlist, a
#: reminder, a proposal announced or declined) → the notification kind whose email choice and one-click
#: unsubscribe link the message follows (hub/notifications: a person who stops it keeps the in-app notice).
WHAT = {"time": "session_changed", "place": "session_changed", "cancelled": "session_changed",
        "material": "session_material", "seat": "session_seat", "reminder": "session_reminder",
        "approved": "session_proposal", "declined": "session_proposal"}


def times_for(session, person) -> dict:
    """The session's start and end in the person's zone and language, with the organiser's alongside."""
    zone, locale = reader_zone(person), person.locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    organiser = zone_or_none(session.timezone) or UTC
    return {"starts": when(session.starts_at, zone, locale), "ends": when(session.ends_at, zone, locale, long=False),
            "zone": zone_label(zone, session.starts_at),
            "organiser_starts": when(session.starts_at, organiser, locale),
            "organiser_zone": zone_label(organiser, session.starts_at)}


def tell(session, people, what: str, **context) -> int:
    """Queue one message per person (active accounts that did not stop this kind of email); returns how
    many were queued."""
    assert what in WHAT, what
    context.setdefault("reason", "")
    context.setdefault("lead", "")
    queued = 0
    for person in people:
        if not person.is_active:
            continue
        queued += mail.queue(person.email, "session_message", person.locale, user_id=person.id,
                             about=[("learning_session", session.id)], unsubscribe=WHAT[what], user=person,
                             session=session, what=what, settings_link=absolute_url("notifications.settings"),
                             link=absolute_url("learning_sessions.show", session_id=session.id),
                             **times_for(session, person), **context) is not None
    return queued
