"""`flask --app hub backup create|verify|restore` and `flask --app hub doctor`."""

import time
from contextlib import contextmanager
from pathlib import Path

import click
from flask.cli import AppGroup

from hub.operations import backup, doctor, restore

backup_cli = AppGroup("backup", help="Consistent backups of a running hub, and restores.")


@contextmanager
def said_plainly():
    """A backup problem is a message and exit status 1, not a traceback."""
    try:
        yield
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from error


def rows(counts: dict) -> int:
    return sum(n for name, n in counts.items() if name != "alembic_version")


@backup_cli.command("create")
@click.option("--to", "destination", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="A new (or empty) folder for the backup.")
@click.option("--with-index", is_flag=True, help="Copy the search index too (a restore rebuilds it anyway).")
def create_command(destination, with_index):
    """Back up the database, the library files (with checksums) and, if asked, the search index."""
    started = time.monotonic()
    with said_plainly():
        manifest = backup.create(destination, with_index=with_index)
    click.echo(f"Backed up {rows(manifest['counts'])} row(s) in {len(manifest['counts'])} table(s) and "
               f"{len(manifest['files'])} library file(s) to {destination} in {time.monotonic() - started:.1f} s.")
    if manifest["missing_files"]:
        click.echo(f"{len(manifest['missing_files'])} file(s) were deleted after the snapshot and are not in it.")


@backup_cli.command("verify")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def verify_command(folder):
    """Check a backup's checksums and database; exit status 1 on any problem."""
    with said_plainly():
        problems = backup.verify(folder)
    for problem in problems:
        click.echo(f"PROBLEM: {problem}")
    if problems:
        raise SystemExit(1)
    click.echo("The backup is complete and every checksum matches.")


@backup_cli.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite a database or library that already holds data.")
def restore_command(folder, force):
    """Restore a backup into this instance's (empty) database and library, then rebuild the search index."""
    started = time.monotonic()
    with said_plainly():
        result = restore.restore(folder, force=force)
    click.echo(f"Restored {rows(result['counts'])} row(s), dropped {result['uploads_dropped']} unfinished "
               f"upload(s) (their bytes are not in backups); indexed {result['indexed']} document(s) "
               f"in {time.monotonic() - started:.1f} s.")


@click.command("doctor")
@click.option("--workers", type=int, default=None,
              help="Web worker processes you run (default: WEB_CONCURRENCY, or 1).")
def doctor_command(workers):
    """Check this configuration for production; print what to fix; exit status 1 on any problem."""
    results = doctor.run_checks(workers)
    for result in results:
        click.echo(f"{'ok     ' if result.ok else 'PROBLEM'}  {result.name}: {result.message}")
    problems = [result for result in results if not result.ok]
    if problems:
        click.echo(f"{len(problems)} problem(s) to fix before going to production.")
        raise SystemExit(1)
    click.echo("Ready for production.")
