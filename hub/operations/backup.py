"""`flask --app hub backup create|verify`: a consistent snapshot of a running hub, and its check.

A backup folder holds the database (SQLite's online backup API, or `pg_dump -Fc` on PostgreSQL), the
library files the snapshot refers to (files/), optionally the search index (index/), and manifest.json:
the schema revision, per-table counts and a sha256 per file. The manifest is written last, and the
folder is built under a temporary name and renamed at the end, so a failed backup never looks complete.

Consistency: the list of library files is read from the snapshot itself (the SQLite copy, or the same
PostgreSQL transaction whose snapshot pg_dump uses), so every file an item in the backup names is
copied; a file added after the snapshot belongs to a row the backup does not hold, and an unfinished
upload is no item at all.
"""

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import uuid
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from hub.db import utcnow
from hub.extensions import db
from hub.library import storage
from hub.search.index import index_path

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE, PG_FILE = "database.sqlite3", "database.dump"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """What went wrong, said for the operator."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_atomically(source: Path, destination: Path) -> tuple[str, int]:
    """Copy to a temporary name beside `destination`, fsync, rename; returns (sha256, size)."""
    temp = destination.with_name(f".{destination.name}.{uuid.uuid4().hex}.part")
    digest, size = hashlib.sha256(), 0
    try:
        with open(source, "rb") as src, open(temp, "wb") as out:
            while chunk := src.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp, destination)
    finally:
        temp.unlink(missing_ok=True)
    return digest.hexdigest(), size


def libpq_target(url: sa.engine.URL) -> tuple[str, dict]:
    """A libpq connection string for pg_dump/pg_restore without the password (that goes in PGPASSWORD)."""
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def run_tool(args: list[str], env: dict) -> None:
    tool = shutil.which(args[0])
    if tool is None:
        raise BackupError(f"{args[0]} is not installed (Debian: apt-get install postgresql-client).")
    result = subprocess.run([tool, *args[1:]], env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(f"{args[0]} failed: {result.stderr.strip()[:2000]}")


def read_snapshot(connection) -> dict:
    """Schema revision, per-table counts and the library files named, as `connection` sees them."""
    tables = sorted(sa.inspect(connection).get_table_names())
    counts = {name: connection.execute(sa.select(sa.func.count()).select_from(sa.table(name))).scalar_one()
              for name in tables}
    revision = None
    if "alembic_version" in tables:
        revision = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()
    names = []
    if "library_file" in tables:
        names = connection.execute(sa.text("SELECT storage_name FROM library_file ORDER BY id")).scalars().all()
    return {"revision": revision, "counts": counts, "library_files": names}


def snapshot_sqlite(url: sa.engine.URL, folder: Path) -> dict:
    """Copy the live database with SQLite's online backup API (pages copied under a read lock)."""
    source = sqlite3.connect(url.database, timeout=30)
    target = sqlite3.connect(folder / SQLITE_FILE)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    engine = sa.create_engine(f"sqlite:///{folder / SQLITE_FILE}")
    try:
        with engine.connect() as connection:
            seen = read_snapshot(connection)
    finally:
        engine.dispose()
    single_file(folder / SQLITE_FILE)
    return seen


def single_file(path: Path) -> None:
    """Leave the copy in rollback-journal mode: one self-contained file, no -wal beside it to lose."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()


def snapshot_postgresql(url: sa.engine.URL, folder: Path) -> dict:
    """pg_dump in custom format from an exported snapshot, read in the same repeatable-read transaction."""
    target, env = libpq_target(url)
    engine = sa.create_engine(url, poolclass=sa.pool.NullPool)
    try:
        with engine.connect().execution_options(isolation_level="REPEATABLE READ") as connection:
            with connection.begin():
                snapshot_id = connection.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
                seen = read_snapshot(connection)
                run_tool(["pg_dump", "-Fc", "--no-owner", f"--snapshot={snapshot_id}",
                          "-f", str(folder / PG_FILE), "--dbname", target], env)
    finally:
        engine.dispose()
    return seen


@contextmanager
def building(destination: Path):
    """A temporary folder beside `destination`, renamed to it on success and removed on failure."""
    if destination.exists() and any(destination.iterdir()):
        raise BackupError(f"{destination} exists and is not empty: choose a new folder.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f".{destination.name}.partial-{uuid.uuid4().hex[:8]}")
    partial.mkdir()
    try:
        yield partial
        if destination.exists():
            destination.rmdir()
        os.replace(partial, destination)
    finally:
        shutil.rmtree(partial, ignore_errors=True)


def create(destination: Path, with_index: bool = False) -> dict:
    """Make a backup folder at `destination`; returns its manifest."""
    url = db.engine.url
    started = utcnow()
    with building(destination) as folder:
        if url.get_backend_name() == "sqlite":
            seen, database_file = snapshot_sqlite(url, folder), SQLITE_FILE
        elif url.get_backend_name() == "postgresql":
            seen, database_file = snapshot_postgresql(url, folder), PG_FILE
        else:
            raise BackupError(f"No backup method for {url.get_backend_name()}.")
        files, missing = copy_library_files(seen["library_files"], folder / "files")
        index = copy_index(folder / "index") if with_index else None
        manifest = {
            "format": FORMAT, "started_at": started.isoformat(), "finished_at": utcnow().isoformat(),
            "database": {"dialect": url.get_backend_name(), "file": database_file,
                         "sha256": sha256_of(folder / database_file)},
            "revision": seen["revision"], "counts": seen["counts"], "files": files,
            "missing_files": missing, "index": index}
        write_json(folder / MANIFEST, manifest)  # last: its presence says the backup is complete
    return manifest


def copy_library_files(names: list[str], folder: Path) -> tuple[dict, list[str]]:
    """Copy the named library files; a file deleted since the snapshot (a purge) is listed as missing."""
    folder.mkdir()
    files, missing = {}, []
    for name in names:
        source = storage.path_of(name)
        try:
            digest, size = copy_atomically(source, folder / name)
        except FileNotFoundError:
            missing.append(name)
            continue
        files[name] = {"sha256": digest, "size": size}
    return files, missing


def copy_index(folder: Path) -> dict | None:
    """The search index's files (optional: a restore rebuilds the index from the database anyway)."""
    source = index_path()
    if not source.is_dir():
        return None
    folder.mkdir()
    files = {}
    for path in sorted(source.iterdir()):
        if path.is_file() and not path.name.endswith(".lock"):
            files[path.name] = {"sha256": copy_atomically(path, folder / path.name)[0]}
    return {"files": files}


def write_json(path: Path, data: dict) -> None:
    temp = path.with_name(path.name + ".part")
    with open(temp, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=1, sort_keys=True)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temp, path)


def load_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    if not path.is_file():
        raise BackupError(f"{folder} has no {MANIFEST}: it is not a complete backup.")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    return manifest


def verify(folder: Path) -> list[str]:
    """Problems found in a backup folder (empty when it is sound): checksums, sizes, the database itself."""
    manifest = load_manifest(folder)
    problems = []
    database = folder / manifest["database"]["file"]
    if not database.is_file() or sha256_of(database) != manifest["database"]["sha256"]:
        problems.append(f"database file {database.name} is missing or its checksum differs")
    elif manifest["database"]["dialect"] == "sqlite":
        problems += check_sqlite_copy(database, manifest["counts"])
    else:
        try:
            run_tool(["pg_restore", "--list", str(database)], dict(os.environ))
        except BackupError as error:
            problems.append(str(error))
    for name, expected in manifest["files"].items():
        path = folder / "files" / name
        if not path.is_file():
            problems.append(f"library file {name} is missing")
        elif path.stat().st_size != expected["size"] or sha256_of(path) != expected["sha256"]:
            problems.append(f"library file {name} does not match its checksum")
    for name, expected in ((manifest.get("index") or {}).get("files") or {}).items():
        path = folder / "index" / name
        if not path.is_file() or sha256_of(path) != expected["sha256"]:
            problems.append(f"search index file {name} is missing or differs")
    return problems


def check_sqlite_copy(path: Path, counts: dict) -> list[str]:
    """PRAGMA integrity_check and the recorded per-table counts, on a read-only connection."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        result = connection.execute("PRAGMA integrity_check").fetchone()[0]
        problems = [] if result == "ok" else [f"database integrity check: {result}"]
        for table, expected in counts.items():
            found = connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
            if found != expected:
                problems.append(f"table {table}: {found} rows, the manifest says {expected}")
        return problems
    finally:
        connection.close()

