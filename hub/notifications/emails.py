"""Notification mail: signed unsubscribe links, rendering into the outbox, and sending what is due.

Every message is rendered in its recipient's language when queued and stored as bytes; sending
claims a row (queued → sending, committed) before talking to the SMTP server, so two senders never
send the same message. A refused recipient is retried with backoff, then marked failed; a server
that cannot be reached leaves the message queued (no attempt used up), so mail waits but is not lost.
"""

import email
import smtplib
import ssl
from datetime import timedelta
from email.policy import SMTP
from email.utils import parseaddr

import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from hub.db import utcnow
from hub.extensions import db
from hub.jobs.services import enqueue
from hub.mail import absolute_url, build_message, deliver
from hub.notifications.models import CANCELLED, FAILED, QUEUED, SENDING, SENT, EmailOutbox

#: CRLF line endings for SMTP; lines up to RFC 5322's hard limit, so a long List-Unsubscribe URL stays
#: one raw <URL> (folded at 78 it would become an encoded word that mail clients cannot use).
SMTP_POLICY = SMTP.clone(max_line_length=998)
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

def queue(user, template: str, what: str, notification_id: int | None = None, **context) -> EmailOutbox:
    """Render a message in the person's language, with unsubscribe links, into the outbox; flushes."""
    link, headers = unsubscribe_headers(user.id, what)
    message = build_message(user.email, template, user.locale, headers=headers, user=user,
                            unsubscribe_link=link, settings_link=absolute_url("notifications.settings"),
                            **context)
    row = EmailOutbox(recipient=user.email, user_id=user.id, notification_id=notification_id,
                      message=message.as_bytes(policy=SMTP_POLICY), status=QUEUED, attempts=0, next_attempt_at=utcnow())
    db.session.add(row)
    db.session.flush()
    enqueue("notifications.send", unique=True)
    return row


def queue_notification(notification) -> EmailOutbox:
    """One notification, emailed at once."""
    notification.emailed_at = utcnow()
    return queue(notification.recipient, "notification", notification.kind, notification.id,
                 notification=notification,
                 link=current_app.config["BASE_URL"].rstrip("/") + notification.link)


def cancel_for(notification_ids) -> None:
    """Unsent mail about withdrawn notifications is never sent."""
    db.session.execute(sa.update(EmailOutbox).where(
        EmailOutbox.notification_id.in_(list(notification_ids)), EmailOutbox.status == QUEUED)
        .values(status=CANCELLED).execution_options(synchronize_session=False))


# --- Sending -------------------------------------------------------------------------------------

class Connection:
    """One SMTP session for a batch, opened on first use (or .eml files when no server is set)."""

    def __init__(self):
        self.smtp = None

    def send(self, row: EmailOutbox) -> None:
        cfg = current_app.config
        if not cfg["MAIL_SERVER"]:
            deliver(email.message_from_bytes(row.message, policy=email.policy.default))
            return
        if self.smtp is None:
            smtp_class = smtplib.SMTP_SSL if cfg["MAIL_USE_SSL"] else smtplib.SMTP
            self.smtp = smtp_class(cfg["MAIL_SERVER"], int(cfg["MAIL_PORT"]), timeout=cfg["MAIL_TIMEOUT"])
            if cfg["MAIL_USE_TLS"]:
                self.smtp.starttls(context=ssl.create_default_context())
            if cfg["MAIL_USERNAME"]:
                self.smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        sender = parseaddr(cfg["MAIL_DEFAULT_SENDER"])[1]
        self.smtp.sendmail(sender, [row.recipient], row.message)

    def close(self) -> None:
        if self.smtp is not None:
            try:
                self.smtp.quit()
            except (smtplib.SMTPException, OSError):
                pass


#: The server refused this message or recipient: count an attempt. Anything else is the server's trouble.
REFUSALS = (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused, smtplib.SMTPDataError)


def retry_delay(attempts: int) -> timedelta:
    """Wait before the next try: MAIL_RETRY_DELAY, doubling with each attempt, at most six hours."""
    return timedelta(seconds=min(current_app.config["MAIL_RETRY_DELAY"] * 2 ** max(attempts - 1, 0), 6 * 3600))


def release_stale(minutes: int = 15) -> None:
    """Rows left 'sending' by a sender that died go back to the queue (the one case a copy may repeat)."""
    db.session.execute(sa.update(EmailOutbox).where(
        EmailOutbox.status == SENDING, EmailOutbox.locked_at < utcnow() - timedelta(minutes=minutes))
        .values(status=QUEUED, locked_at=None).execution_options(synchronize_session=False))
    db.session.commit()


def _claim(row_id: int) -> bool:
    result = db.session.execute(sa.update(EmailOutbox).where(EmailOutbox.id == row_id, EmailOutbox.status == QUEUED)
                                .values(status=SENDING, locked_at=utcnow())
                                .execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount == 1


def _budget() -> int:
    """How many more messages the rate limit allows this minute."""
    recent = db.session.scalar(sa.select(sa.func.count(EmailOutbox.id)).where(
        EmailOutbox.status == SENT, EmailOutbox.sent_at > utcnow() - timedelta(minutes=1)))
    return max(current_app.config["MAIL_RATE_PER_MINUTE"] - recent, 0)


def _record(row_id: int, error: Exception | None, refused: bool) -> None:
    row = db.session.get(EmailOutbox, row_id, populate_existing=True)
    row.locked_at = None
    if error is None:
        row.status, row.sent_at = SENT, utcnow()
    else:
        row.last_error = f"{type(error).__name__}: {error}"[:2000]
        row.attempts += 1 if refused else 0
        if refused and row.attempts >= current_app.config["MAIL_MAX_ATTEMPTS"]:
            row.status = FAILED
        else:
            row.status, row.next_attempt_at = QUEUED, utcnow() + retry_delay(max(row.attempts, 1))
    db.session.commit()


def send_due() -> dict:
    """Send the queued messages that are due, within the rate limit. Returns counts by outcome."""
    release_stale()
    counts = {"sent": 0, "refused": 0, "delayed": 0}
    ids = db.session.scalars(sa.select(EmailOutbox.id).where(
        EmailOutbox.status == QUEUED, EmailOutbox.next_attempt_at <= utcnow())
        .order_by(EmailOutbox.id).limit(_budget())).all()
    connection = Connection()
    try:
        for row_id in ids:
            if not _claim(row_id):
                continue  # another sender has it
            try:
                connection.send(db.session.get(EmailOutbox, row_id))
            except REFUSALS as error:
                _record(row_id, error, refused=True)
                counts["refused"] += 1
            except (smtplib.SMTPException, OSError) as error:
                current_app.logger.warning("Mail server unavailable, mail waits: %s", error)
                _record(row_id, error, refused=False)
                counts["delayed"] += 1
                break
            else:
                _record(row_id, None, refused=False)
                counts["sent"] += 1
    finally:
        connection.close()
    return counts
