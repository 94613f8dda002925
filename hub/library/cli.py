"""`flask --app hub library clean`: expired uploads, stray temporary files, files of long-deleted items."""

import click
from flask import current_app
from flask.cli import AppGroup

from hub.extensions import db
from hub.library import services, tus

library_cli = AppGroup("library", help="The library's files.")


@library_cli.command("clean")
def clean_command():
    """Remove unfinished uploads past their expiry, temporary files nobody owns, and the files of
    items deleted more than LIBRARY_PURGE_AFTER_DAYS ago."""
    removed = tus.clean()
    purged = services.purge_deleted(current_app.config["LIBRARY_PURGE_AFTER_DAYS"])
    db.session.commit()
    click.echo(f"{removed} expired upload(s) removed; {purged} file(s) of deleted items removed.")
