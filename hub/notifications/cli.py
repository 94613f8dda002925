"""`flask --app hub notifications send`: queue the digests that are due, then send the outbox.

The same work runs as the periodic job `notifications.tick` (it queues its own next run); `mail.send`
jobs (hub/mail.py) deliver messages queued in between.
"""

from datetime import timedelta

import click
from flask.cli import AppGroup

from hub import mail
from hub.db import utcnow
from hub.extensions import db
from hub.jobs.services import enqueue, handler
from hub.notifications import digest

notifications_cli = AppGroup("notifications", help="Notification email: digests and the outbox.")
TICK_SECONDS = 60


@handler("notifications.tick", max_attempts=1)  # a failed tick is not retried: the next one is queued
def tick_job(payload: dict) -> None:
    """Periodic job: schedule the next run first, then queue due digests and send the outbox."""
    schedule(delay=TICK_SECONDS)
    db.session.commit()
    digest.run_digests()
    mail.send_due()


def schedule(delay: int = 0) -> None:
    """Queue the periodic notifications job (once: an already queued one is kept)."""
    enqueue("notifications.tick", run_after=utcnow() + timedelta(seconds=delay), unique=True)


@notifications_cli.command("send")
def send_command():
    """Queue the digests that are due and send every message that is due."""
    queued = digest.run_digests()
    counts = mail.send_due()
    click.echo(f"{queued} digest(s) queued; {counts['sent']} sent, {counts['refused']} refused, "
               f"{counts['delayed']} delayed.")


@notifications_cli.command("schedule")
def schedule_command():
    """Start the periodic notifications job for the job runner (`flask --app hub jobs run`)."""
    schedule()
    db.session.commit()
    click.echo("The notifications job is queued.")
