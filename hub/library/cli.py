"""`flask --app hub library clean`: remove expired resumable uploads and stray temporary files."""

import click
from flask.cli import AppGroup

from hub.extensions import db
from hub.library import tus

library_cli = AppGroup("library", help="The library's files.")


@library_cli.command("clean")
def clean_command():
    """Remove unfinished uploads past their expiry, and temporary files nobody owns."""
    removed = tus.clean()
    db.session.commit()
    click.echo(f"{removed} expired upload(s) removed.")
