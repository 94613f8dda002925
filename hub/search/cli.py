"""`flask --app hub search reindex|check|apply`: rebuild, compare with the database, catch up."""

import click
from flask.cli import AppGroup

from hub.search import indexing

search_cli = AppGroup("search", help="The search index.")


@search_cli.command("reindex")
def reindex_command():
    """Rebuild the index from the database (searches keep working on the old one meanwhile)."""
    count = indexing.reindex()
    click.echo(f"Indexed {count} document(s).")


@search_cli.command("apply")
def apply_command():
    """Apply pending changes now (the job runner normally does this)."""
    click.echo(f"Applied {indexing.apply_pending()} change(s).")


@search_cli.command("check")
def check_command():
    """Report drift between the database and the index; exit status 1 when there is any."""
    report = indexing.check()
    if not report["usable"]:
        click.echo(f"The index is not usable ({report['error']}): run `flask --app hub search reindex`.")
        raise SystemExit(1)
    drift = False
    for kind, row in report["kinds"].items():
        click.echo(f"{kind}: {row['database']} in the database, {row['index']} in the index, "
                   f"{len(row['missing'])} missing, {len(row['extra'])} extra")
        drift |= bool(row["missing"] or row["extra"])
    click.echo(f"{report['pending']} change(s) waiting to be applied.")
    if drift:
        click.echo("Drift found: run `flask --app hub search reindex`.")
        raise SystemExit(1)
    click.echo("The index matches the database.")
