"""All mail goes through one outbox: recorded in the caller's transaction, sent after commit.

A message is rendered in its recipient's language when queued and stored as bytes with what it is
about (a list of [kind, id]). Sending claims a row (queued → sending, committed) before talking to
the SMTP server, so two senders never send the same message, and first asks the hub whether the
recipient may still see everything the message is about: a person removed from a private community
while the mail server was down receives nothing about it (the row becomes 'dropped', and
`signals.mail_dropped` lets the feature that queued it react). A refused recipient is retried with
backoff, then marked failed; a server that cannot be reached leaves the message queued.

Mail queued with `at_once` (links a person is waiting for) is sent right after the request's commit;
everything else, and anything that could not go at once, is sent by the job runner ('mail.send').
With no MAIL_SERVER configured, each message is written as an .eml file under instance/mail/.
"""

import email
import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid, parseaddr
from pathlib import Path

import sqlalchemy as sa
from flask import current_app, render_template
from flask_babel import force_locale
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from hub import signals
from hub.db import utcnow
from hub.extensions import db
from hub.jobs.services import enqueue, handler

#: Outbox states: queued → sending → sent; failed after too many refusals; cancelled when withdrawn;
#: dropped when, at send time, the recipient may no longer see what the message is about.
QUEUED, SENDING, SENT, FAILED, CANCELLED, DROPPED = "queued", "sending", "sent", "failed", "cancelled", "dropped"
#: CRLF line endings for SMTP; lines up to RFC 5322's hard limit, so a long List-Unsubscribe URL stays
#: one raw <URL> (folded at 78 it would become an encoded word that mail clients cannot use).
SMTP_POLICY = SMTP.clone(max_line_length=998)


class EmailOutbox(db.Model):
    """A rendered message waiting to be sent, with what it is about and its retries."""

    __tablename__ = "email_outbox"
    __table_args__ = (sa.Index("ix_email_outbox_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    notification_id: Mapped[int | None] = mapped_column(sa.ForeignKey("notification.id"), index=True)
    #: The templates/email/ name, for logs and for the feature that reacts to a dropped message.
    template: Mapped[str] = mapped_column(sa.String(60), default="")
    #: [[kind, id], …]: what the recipient must still be allowed to see when the message is sent.
    about: Mapped[list | None] = mapped_column(sa.JSON, default=None)
    message: Mapped[bytes] = mapped_column(sa.LargeBinary)
    status: Mapped[str] = mapped_column(sa.String(10), default=QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    locked_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


def init_app(app, may_see, unsubscribe=None) -> None:
    """Wire the access check asked at send time — may_see(user_id, [[kind, id], …]) → bool —, the
    notifications' unsubscribe links — unsubscribe(user_id, kind) → (link, headers), or None when the
    person stopped that kind of email — and the sending of at-once mail after each request's commit."""
    app.extensions["hub.mail.may_see"] = may_see
    app.extensions["hub.mail.unsubscribe"] = unsubscribe
    app.after_request(_send_committed)
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_rollback)


# --- Rendering and queueing ----------------------------------------------------------------------

def absolute_url(endpoint: str, **values) -> str:
    """A full link to a hub page, usable in an email sent from a request or from a job."""
    adapter = current_app.url_map.bind("hub.invalid", url_scheme="https")
    return current_app.config["BASE_URL"].rstrip("/") + adapter.build(endpoint, values)


def build_message(to: str, template: str, locale: str | None, headers=None, **context) -> EmailMessage:
    """Render templates/email/<template>.{subject,txt,html} in the given language."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        # One line: a reason typed over several lines must not break the header (or the request).
        subject = " ".join(render_template(f"email/{template}.subject.txt", **context).split())
        text = render_template(f"email/{template}.txt", **context)
        html = render_template(f"email/{template}.html", subject=subject, **context)
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = current_app.config["MAIL_DEFAULT_SENDER"]
    message["To"] = to
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(domain="learninghub")
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    # After the body: set_content() drops every Content-* header set before it.
    message["Content-Language"] = locale or current_app.config["BABEL_DEFAULT_LOCALE"]
    return message


def queue(to: str, template: str, locale: str | None = None, *, user_id: int | None = None, about=(),
          headers=None, notification_id: int | None = None, at_once: bool = False, unsubscribe: str | None = None,
          **context) -> EmailOutbox | None:
    """Render one message into the outbox (flushed: it commits with the caller's change or not at all).
    With `unsubscribe` (a notification kind), the message carries that kind's one-click unsubscribe link
    and headers, and is not queued (None) when the person stopped that kind of email."""
    if unsubscribe is not None:
        found = current_app.extensions["hub.mail.unsubscribe"](user_id, unsubscribe)
        if found is None:
            return None
        context["unsubscribe_link"], more = found
        headers = {**(headers or {}), **more}
    message = build_message(to, template, locale, headers=headers, **context)
    row = EmailOutbox(recipient=to, user_id=user_id, notification_id=notification_id, template=template,
                      about=[[kind, object_id] for kind, object_id in about] or None,
                      message=message.as_bytes(policy=SMTP_POLICY), status=QUEUED, attempts=0,
                      next_attempt_at=utcnow())
    db.session.add(row)
    db.session.flush()
    enqueue("mail.send", unique=True)
    if at_once:
        db.session.info.setdefault("mail_at_once", []).append(row.id)
    return row


def send_email(to: str, template: str, locale: str | None = None, **context) -> EmailOutbox:
    """A message someone waits for (a link): queued, then sent as soon as the request commits."""
    return queue(to, template, locale, at_once=True, **context)


def _after_commit(session) -> None:
    if session.info.get("mail_at_once"):
        session.info.setdefault("mail_committed", []).extend(session.info.pop("mail_at_once"))


def _after_rollback(session, previous_transaction=None) -> None:
    session.info.pop("mail_at_once", None)


def _send_committed(response):
    """After a request: send its committed at-once mail (what fails waits for the job runner)."""
    ids = db.session.info.pop("mail_committed", None)
    if ids:
        send_due(ids)
    return response


# --- Sending -------------------------------------------------------------------------------------

def deliver(message: EmailMessage) -> None:
    """Write an .eml file (no SMTP server configured)."""
    folder = Path(current_app.instance_path) / "mail"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{utcnow():%Y%m%d-%H%M%S-%f}-{message['To'].replace('@', '_at_')}.eml"
    (folder / name).write_bytes(bytes(message))


class Connection:
    """One SMTP session for a batch, opened on first use (or .eml files when no server is set)."""

    def __init__(self):
        self.smtp = None

    def send(self, recipient: str, message: bytes) -> None:
        cfg = current_app.config
        if not cfg["MAIL_SERVER"]:
            deliver(email.message_from_bytes(message, policy=email.policy.default))
            return
        if self.smtp is None:
            smtp_class = smtplib.SMTP_SSL if cfg["MAIL_USE_SSL"] else smtplib.SMTP
            self.smtp = smtp_class(cfg["MAIL_SERVER"], int(cfg["MAIL_PORT"]), timeout=cfg["MAIL_TIMEOUT"])
            if cfg["MAIL_USE_TLS"]:
                self.smtp.starttls(context=ssl.create_default_context())
            if cfg["MAIL_USERNAME"]:
                self.smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        sender = parseaddr(cfg["MAIL_DEFAULT_SENDER"])[1]
        self.smtp.sendmail(sender, [recipient], message)

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


def _still_allowed(row: EmailOutbox) -> bool:
    """Whether the recipient may still see everything the message is about (asked at send time)."""
    if not row.about:
        return True
    return bool(row.user_id) and current_app.extensions["hub.mail.may_see"](row.user_id, row.about)


def _drop(row: EmailOutbox) -> None:
    row.status, row.locked_at = DROPPED, None
    signals.mail_dropped.send(row)
    db.session.commit()


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


def send_due(ids=None) -> dict:
    """Send the queued messages that are due (or these ids), within the rate limit. Counts by outcome."""
    release_stale()
    counts = {"sent": 0, "refused": 0, "delayed": 0, "dropped": 0}
    query = sa.select(EmailOutbox.id).where(EmailOutbox.status == QUEUED, EmailOutbox.next_attempt_at <= utcnow())
    query = query.where(EmailOutbox.id.in_(ids)) if ids else query.limit(_budget())
    connection = Connection()
    try:
        for row_id in db.session.scalars(query.order_by(EmailOutbox.id)).all():
            if not _claim(row_id):
                continue  # another sender has it
            row = db.session.get(EmailOutbox, row_id)
            if not _still_allowed(row):
                _drop(row)
                counts["dropped"] += 1
                continue
            recipient, message, template = row.recipient, row.message, row.template
            db.session.commit()  # no transaction stays open while the SMTP server is talked to
            try:
                connection.send(recipient, message)
            except REFUSALS as error:
                _record(row_id, error, refused=True)
                counts["refused"] += 1
            except (smtplib.SMTPException, OSError) as error:
                current_app.logger.warning("Could not send %r to %s, it waits in the outbox: %s",
                                           template, recipient, error)
                _record(row_id, error, refused=False)
                counts["delayed"] += 1
                break
            else:
                _record(row_id, None, refused=False)
                counts["sent"] += 1
    finally:
        connection.close()
    return counts


@handler("mail.send")
def send_job(payload: dict) -> None:
    """Job: send what is due in the outbox."""
    send_due()
