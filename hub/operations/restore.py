"""`flask --app hub backup restore DIR`: a backup into an empty instance and database, then a new index.

SQLite into SQLite goes through the online backup API, PostgreSQL into PostgreSQL through pg_restore,
and SQLite into PostgreSQL (moving the demo to production) by `db upgrade` followed by a copy of each
table in foreign-key order through SQLAlchemy, then the sequences are moved past the copied ids.
"""

import shutil
import sqlite3
import tempfile
from pathlib import Path

import sqlalchemy as sa
from flask_migrate import upgrade

from hub.extensions import db
from hub.library import storage
from hub.library.models import Upload
from hub.operations.backup import (BackupError, copy_atomically, libpq_target, load_manifest, read_snapshot,
                                   run_tool, verify)
from hub.search import indexing
from hub.search.index import forget_searchers

BATCH = 500


def holds_data() -> list[str]:
    """What makes the target not empty: tables with rows, library files."""
    with db.engine.connect() as connection:
        counts = read_snapshot(connection)["counts"]
    found = [f"table {name} has {n} row(s)" for name, n in counts.items() if n and name != "alembic_version"]
    files = storage.root() / "files"
    if any(files.iterdir()):
        found.append(f"{files} holds files")
    return found


def restore(folder: Path, force: bool = False) -> dict:
    """Restore the backup in `folder`; returns the restored per-table counts and the indexed documents."""
    manifest = load_manifest(folder)
    problems = verify(folder)
    if problems:
        raise BackupError("The backup does not verify: " + "; ".join(problems))
    occupied = holds_data()
    if occupied and not force:
        raise BackupError("The target is not empty (" + "; ".join(occupied) + "): use --force to overwrite it.")
    source, target = manifest["database"]["dialect"], db.engine.url.get_backend_name()
    database = folder / manifest["database"]["file"]
    db.session.remove()
    if (source, target) == ("sqlite", "sqlite"):
        restore_sqlite(database)
    elif (source, target) == ("postgresql", "postgresql"):
        restore_postgresql(database)
    elif (source, target) == ("sqlite", "postgresql"):
        copy_tables(database, manifest["revision"])
    else:
        raise BackupError(f"Restoring a {source} backup into {target} is not supported.")
    restore_files(folder / "files", manifest["files"])
    counts = compare_counts(manifest["counts"])
    return {"counts": counts, "uploads_dropped": drop_unfinished_uploads(), "indexed": rebuild_index()}


def restore_sqlite(database: Path) -> None:
    db.engine.dispose()
    source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    target = sqlite3.connect(db.engine.url.database, timeout=30)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def restore_postgresql(database: Path) -> None:
    db.engine.dispose()
    target, env = libpq_target(db.engine.url)
    run_tool(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              "--dbname", target, str(database)], env)


def copy_tables(database: Path, revision: str | None) -> None:
    """Bring the target's schema to the code's head, then copy every table of the SQLite backup into it."""
    upgrade()
    with db.engine.connect() as connection:
        head = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    if revision is not None and revision != head:
        raise BackupError(f"The backup's schema is {revision}, this code's is {head}: restore it into SQLite, "
                          "run `flask --app hub db upgrade`, back it up again, then restore that.")
    scratch = tempfile.TemporaryDirectory()  # the hub's engines switch SQLite to WAL: never open the backup itself
    copy = Path(scratch.name) / database.name
    shutil.copyfile(database, copy)
    source = sa.create_engine(f"sqlite:///{copy}")
    tables = db.metadata.sorted_tables
    try:
        with source.connect() as reading, db.engine.begin() as writing:
            present = set(sa.inspect(reading).get_table_names())
            for table in reversed(tables):
                writing.execute(table.delete())
            for table in tables:
                if table.name in present:
                    copy_table(reading, writing, table)
            if writing.dialect.name == "postgresql":
                move_sequences(writing, tables)
    finally:
        source.dispose()
        scratch.cleanup()


def copy_table(reading, writing, table: sa.Table) -> None:
    rows = reading.execute(sa.select(table).order_by(*table.primary_key.columns))
    while batch := rows.mappings().fetchmany(BATCH):
        writing.execute(table.insert(), [dict(row) for row in batch])


def move_sequences(connection, tables) -> None:
    """Each serial/identity id's sequence continues after the highest copied id."""
    for table in tables:
        for column in table.primary_key.columns:
            if isinstance(column.type, sa.Integer):
                connection.execute(sa.text(
                    f'SELECT setval(pg_get_serial_sequence(:table, :column), '
                    f'COALESCE((SELECT MAX("{column.name}") FROM "{table.name}"), 0) + 1, false) '
                    f'WHERE pg_get_serial_sequence(:table, :column) IS NOT NULL'),
                    {"table": table.name, "column": column.name})


def restore_files(folder: Path, files: dict) -> None:
    """Copy each library file into place (temporary name, then rename), checking it on the way."""
    target = storage.root() / "files"
    for name, expected in files.items():
        digest, _ = copy_atomically(folder / name, target / name)
        if digest != expected["sha256"]:
            raise BackupError(f"library file {name} changed while it was restored")


def compare_counts(expected: dict) -> dict:
    """The restored per-table counts; a difference (other than the schema revision table) is an error."""
    with db.engine.connect() as connection:
        counts = read_snapshot(connection)["counts"]
    wrong = [f"{name}: {counts.get(name)} restored, {n} backed up" for name, n in expected.items()
             if name != "alembic_version" and counts.get(name) != n]
    if wrong:
        raise BackupError("The restored database differs from the backup: " + "; ".join(wrong))
    return counts


def drop_unfinished_uploads() -> int:
    """Resumable uploads whose bytes (in tmp/, never backed up) are not here: the uploader starts again."""
    gone = [upload for upload in db.session.scalars(sa.select(Upload))
            if not storage.temp_path(upload.id).exists()]
    for upload in gone:
        db.session.delete(upload)
    db.session.commit()
    return len(gone)


def rebuild_index() -> int:
    forget_searchers()
    return indexing.reindex(db.session)
