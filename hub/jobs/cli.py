"""`flask --app hub jobs run [--once]`: the job runner (`make run` starts it next to the server)."""

import signal

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from hub.extensions import db
from hub.jobs import services
from hub.jobs.models import Job

jobs_cli = AppGroup("jobs", help="The job runner.")


@jobs_cli.command("run")
@click.option("--once", is_flag=True, help="Run the jobs that are due, then exit.")
def run_command(once):
    """Run queued jobs until stopped (Ctrl-C or SIGTERM finish the current job first)."""
    stopping = []

    def stop(signum, frame):
        stopping.append(signum)
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    ran = services.run(once=once, should_stop=lambda: bool(stopping))
    click.echo(f"{ran} job(s) run.")


@jobs_cli.command("list")
def list_command():
    """Show queued, running and failed jobs."""
    jobs = db.session.scalars(sa.select(Job).where(Job.status != "done").order_by(Job.id)).all()
    for job in jobs:
        click.echo(f"{job.id}\t{job.kind}\t{job.status}\tattempts={job.attempts}\t{job.last_error[:80]}")
    click.echo(f"{len(jobs)} job(s) not done.")
