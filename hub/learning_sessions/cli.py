"""`flask --app hub sessions remind` / `sessions schedule`: reminders outside or through the job runner."""

import click
from flask.cli import AppGroup

from hub.extensions import db
from hub.learning_sessions import reminders

sessions_cli = AppGroup("sessions", help="Learning sessions: reminders.")


@sessions_cli.command("remind")
def remind_command():
    """Send the session reminders that are due now (each at most once)."""
    click.echo(f"{reminders.send_due()} reminder(s) sent.")


@sessions_cli.command("schedule")
def schedule_command():
    """Start the periodic reminder job for the job runner (`flask --app hub jobs run`)."""
    reminders.schedule_tick()
    db.session.commit()
    click.echo("The session reminder job is queued.")
