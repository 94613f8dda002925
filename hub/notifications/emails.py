"""Notification mail: signed unsubscribe links, and notices and digests queued in hub/mail.py's outbox.

Each message records what it is about, so the outbox drops it at send time when the recipient may
no longer see it (hub.kinds.may_see); hub/mail.py sends.
"""

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from hub import mail
from hub.db import utcnow
from hub.extensions import db
from hub.mail import CANCELLED, QUEUED, EmailOutbox, absolute_url
from hub.notifications.models import NAMED

#: Unsubscribe targets besides the notification kinds.
DIGEST = "digest"


# --- Unsubscribe tokens --------------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="notifications-unsubscribe")


def unsubscribe_token(user_id: int, what: str) -> str:
    """A signed token that stops one kind of email (or the digest) for one person."""
    return _serializer().dumps({"u": user_id, "k": what})


def read_unsubscribe_token(token: str):
    """(user id, what) from a valid token; 'expired' or 'invalid' otherwise."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["UNSUBSCRIBE_TOKEN_MAX_AGE"])
    except SignatureExpired:
        return "expired"
    except BadSignature:
        return "invalid"
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("k"), str):
        return "invalid"
    return data["u"], data["k"]


def unsubscribe_headers(user_id: int, what: str) -> tuple[str, dict]:
    """The unsubscribe link and the RFC 8058 one-click headers for a message."""
    link = absolute_url("notifications.unsubscribe", token=unsubscribe_token(user_id, what))
    return link, {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


# --- Queueing ------------------------------------------------------------------------------------

def queue(user, template: str, what: str, about=(), notification_id: int | None = None, **context) -> EmailOutbox:
    """Render a message in the person's language, with unsubscribe links, into the outbox; flushes."""
    link, headers = unsubscribe_headers(user.id, what)
    return mail.queue(user.email, template, user.locale, user_id=user.id, about=about, headers=headers,
                      notification_id=notification_id, user=user, unsubscribe_link=link,
                      settings_link=absolute_url("notifications.settings"), **context)


def about(notifications) -> list[tuple[str, int]]:
    """What the recipient must still see when mail about these notifications goes out (personal
    notices and review requests name their recipient: nothing to re-check)."""
    return [(n.object_type, n.object_id) for n in notifications if n.kind not in NAMED]


def queue_notification(notification) -> EmailOutbox:
    """One notification, emailed at once."""
    notification.emailed_at = utcnow()
    return queue(notification.recipient, "notification", notification.kind, about([notification]),
                 notification.id, notification=notification,
                 link=current_app.config["BASE_URL"].rstrip("/") + notification.link)


def cancel_for(notification_ids) -> None:
    """Unsent mail about withdrawn notifications is never sent."""
    db.session.execute(sa.update(EmailOutbox).where(
        EmailOutbox.notification_id.in_(list(notification_ids)), EmailOutbox.status == QUEUED)
        .values(status=CANCELLED).execution_options(synchronize_session=False))
