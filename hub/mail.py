"""Email in the recipient's language, plain text plus HTML, through SMTP or into instance/mail/.

With no MAIL_SERVER configured, each message is written as an .eml file so that a person running
the demo can open it.
"""

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale

from hub.db import utcnow


def absolute_url(endpoint: str, **values) -> str:
    """A full link to a hub page, usable in an email sent from a request or from a job."""
    adapter = current_app.url_map.bind("hub.invalid", url_scheme="https")
    return current_app.config["BASE_URL"].rstrip("/") + adapter.build(endpoint, values)


def build_message(to: str, template: str, locale: str | None, headers=None, **context) -> EmailMessage:
    """Render templates/email/<template>.{subject,txt,html} in the given language."""
    with force_locale(locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = render_template(f"email/{template}.subject.txt", **context).strip()
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


def deliver(message: EmailMessage) -> None:
    """Send through SMTP, or write an .eml file when no SMTP server is configured."""
    cfg = current_app.config
    if not cfg["MAIL_SERVER"]:
        folder = Path(current_app.instance_path) / "mail"
        folder.mkdir(parents=True, exist_ok=True)
        name = f"{utcnow():%Y%m%d-%H%M%S-%f}-{message['To'].replace('@', '_at_')}.eml"
        (folder / name).write_bytes(bytes(message))
        return
    smtp_class = smtplib.SMTP_SSL if cfg["MAIL_USE_SSL"] else smtplib.SMTP
    with smtp_class(cfg["MAIL_SERVER"], int(cfg["MAIL_PORT"]), timeout=cfg["MAIL_TIMEOUT"]) as smtp:
        if cfg["MAIL_USE_TLS"]:
            smtp.starttls(context=ssl.create_default_context())
        if cfg["MAIL_USERNAME"]:
            smtp.login(cfg["MAIL_USERNAME"], cfg["MAIL_PASSWORD"])
        smtp.send_message(message)


def send_email(to: str, template: str, locale: str | None = None, **context) -> bool:
    """Render and deliver one message; False (and a logged error) when the mail server fails."""
    message = build_message(to, template, locale, **context)
    try:
        deliver(message)
    except (smtplib.SMTPException, OSError):
        # The request's work is already committed: the person can ask for the link again.
        current_app.logger.exception("Could not send %r to %s", template, to)
        return False
    return True
