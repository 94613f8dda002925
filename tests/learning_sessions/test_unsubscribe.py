"""Session emails carry the notifications' one-click unsubscribe (a real SMTP server receives them)."""

from datetime import timedelta

import sqlalchemy as sa

from hub.db import utcnow
from hub.extensions import db
from hub.learning_sessions import reminders, services
from hub.mail import send_due
from hub.notifications.models import Notification
from tests.notifications.conftest import plain, smtp  # noqa: F401 (the aiosmtpd fixture)


def starting_soon(make_session, person, title):
    session = make_session(days=1, title=title)
    session.starts_at = utcnow() + timedelta(minutes=50)
    session.ends_at = session.starts_at + timedelta(hours=1)
    services.register(session, person)
    db.session.commit()
    return session


def test_a_reminder_s_unsubscribe_link_works_signed_out_and_stops_the_next_reminder_email(
        client, people, make_session, smtp):
    member = people["member"]
    starting_soon(make_session, member, "First budget clinic")
    assert reminders.send_due() == 1
    send_due()
    [message] = smtp.messages(to=member.email)
    link = message["List-Unsubscribe"].strip("<>")
    assert "/notifications/unsubscribe/" in link and link in plain(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    path = "/" + link.split("/", 3)[3]
    assert client.get(path).status_code == 200  # a confirmation page: mail scanners open links
    assert client.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200  # no session, no CSRF
    second = starting_soon(make_session, member, "Second budget clinic")
    assert reminders.send_due() == 1
    send_due()
    assert len(smtp.messages(to=member.email)) == 1  # no second reminder email…
    kinds = db.session.scalars(sa.select(Notification.kind).where(Notification.recipient_id == member.id)).all()
    assert kinds == ["session_reminder", "session_reminder"]  # …but the in-app notice stays
    services.cancel(second, people["facilitator"], "Speaker ill")
    db.session.commit()
    send_due()
    cancelled = smtp.messages(to=member.email)[-1]  # other session emails still come, each with its own link
    assert "Second budget clinic" in cancelled["Subject"] and cancelled["List-Unsubscribe"] != message["List-Unsubscribe"]
