"""`flask --app hub doctor`: is this configuration fit for production? Each check says what to fix."""

import os
import shutil
import socket
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import redis
import sqlalchemy as sa
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import current_app

from hub.config import DEV_SECRET_KEY
from hub.db import utcnow
from hub.extensions import db
from hub.jobs.models import JobRunner
from hub.library import storage
from hub.search import indexing

#: Below this much free space where the database, library and index live, uploads soon fail.
MIN_FREE_BYTES = 2 * 1024 ** 3


@dataclass(frozen=True)
class Result:
    name: str
    ok: bool
    message: str


def run_checks(workers: int | None = None) -> list[Result]:
    """Every check, in the order an operator fixes them."""
    workers = workers or int(os.environ.get("WEB_CONCURRENCY", "1") or 1)
    checks = [check_secret_key, check_base_url, check_cookies, check_mail, lambda: check_rate_limits(workers),
              check_ffmpeg, check_disk, check_migrations, check_search_index, check_job_runner]
    return [check() for check in checks]


def check_secret_key() -> Result:
    key = current_app.config.get("SECRET_KEY") or ""
    if key == DEV_SECRET_KEY or len(str(key)) < 32:
        return Result("secret key", False, "set SECRET_KEY to a random value of at least 32 characters "
                      "(python -c 'import secrets; print(secrets.token_hex(32))').")
    return Result("secret key", True, "set, not the development key")


def check_base_url() -> Result:
    url = urlsplit(current_app.config["BASE_URL"])
    if url.scheme != "https" or url.hostname in (None, "localhost", "127.0.0.1"):
        return Result("BASE_URL", False, f"{current_app.config['BASE_URL']!r}: links in emails need the public "
                      "https:// address (BASE_URL = 'https://hub.example.org').")
    return Result("BASE_URL", True, current_app.config["BASE_URL"])


def check_cookies() -> Result:
    if current_app.debug or not current_app.config["SESSION_COOKIE_SECURE"]:
        return Result("debug and cookies", False, "turn debug off and leave SESSION_COOKIE_SECURE unset (or True).")
    return Result("debug and cookies", True, "debug off, cookies sent over HTTPS only")


def check_mail() -> Result:
    cfg = current_app.config
    if not cfg["MAIL_SERVER"]:
        return Result("mail", False, "MAIL_SERVER is empty: messages are only written to instance/mail/. "
                      "Set MAIL_SERVER, MAIL_PORT and, if needed, MAIL_USERNAME/MAIL_PASSWORD.")
    try:
        socket.create_connection((cfg["MAIL_SERVER"], int(cfg["MAIL_PORT"])), timeout=5).close()
    except OSError as error:
        return Result("mail", False, f"cannot reach {cfg['MAIL_SERVER']}:{cfg['MAIL_PORT']} ({error}).")
    return Result("mail", True, f"{cfg['MAIL_SERVER']}:{cfg['MAIL_PORT']} answers")


def check_rate_limits(workers: int) -> Result:
    uri = current_app.config["RATELIMIT_STORAGE_URI"]
    if uri.startswith("memory://"):
        if workers > 1:
            return Result("rate limits", False, f"{workers} workers each count sign-in attempts apart: set "
                          "RATELIMIT_STORAGE_URI = 'redis://127.0.0.1:6379'.")
        return Result("rate limits", True, "one worker, limits kept in memory")
    if uri.startswith(("redis://", "rediss://")):
        try:
            redis.Redis.from_url(uri, socket_timeout=5).ping()
        except redis.RedisError as error:
            return Result("rate limits", False, f"Redis at {uri} does not answer ({error}).")
    return Result("rate limits", True, f"shared storage {uri.split('@')[-1]}")


def check_ffmpeg() -> Result:
    missing = [name for name in ("FFMPEG", "FFPROBE") if not shutil.which(current_app.config[name])]
    if missing:
        return Result("ffmpeg", False, "ffmpeg/ffprobe not found: recordings are not processed "
                      "(Debian: apt-get install ffmpeg).")
    return Result("ffmpeg", True, "ffmpeg and ffprobe found")


def check_disk() -> Result:
    folders = {Path(current_app.instance_path), storage.root()}
    low = [f"{folder}: {shutil.disk_usage(folder).free // 1024 ** 2} MB free" for folder in sorted(folders)
           if shutil.disk_usage(folder).free < MIN_FREE_BYTES]
    if low:
        return Result("free disk", False, "; ".join(low) + f" (keep at least {MIN_FREE_BYTES // 1024 ** 3} GB).")
    return Result("free disk", True, f"at least {MIN_FREE_BYTES // 1024 ** 3} GB free")


def schema_heads() -> tuple[set, set]:
    """(revisions the database is at, revisions the code has)."""
    config = Config()
    config.set_main_option("script_location", current_app.extensions["migrate"].directory)
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current, set(ScriptDirectory.from_config(config).get_heads())


def check_migrations() -> Result:
    try:
        current, heads = schema_heads()
    except sa.exc.SQLAlchemyError as error:
        return Result("database", False, f"cannot read the schema revision ({error.__class__.__name__}).")
    if current != heads:
        return Result("database", False, f"schema at {sorted(current) or 'nothing'}, code at {sorted(heads)}: "
                      "run `flask --app hub db upgrade`.")
    return Result("database", True, f"{db.engine.url.get_backend_name()}, schema up to date")


def check_search_index() -> Result:
    report = indexing.check()
    if not report["usable"]:
        return Result("search index", False, f"not usable ({report['error']}): run `flask --app hub search reindex`.")
    drift = sum(len(row["missing"]) + len(row["extra"]) for row in report["kinds"].values())
    if drift > report["pending"]:
        return Result("search index", False, f"{drift} document(s) differ from the database: "
                      "run `flask --app hub search reindex`.")
    return Result("search index", True, f"usable, {report['pending']} change(s) waiting")


def check_job_runner() -> Result:
    since = utcnow() - timedelta(seconds=current_app.config["JOBS_HEARTBEAT_TIMEOUT"])
    alive = db.session.scalars(sa.select(JobRunner.name).where(JobRunner.beat_at >= since)).all()
    db.session.rollback()
    if not alive:
        return Result("job runner", False, "no runner has beaten in the last "
                      f"{current_app.config['JOBS_HEARTBEAT_TIMEOUT']} s: start `flask --app hub jobs run` "
                      "(deploy/hub-jobs.service); search, mail and media wait for it.")
    return Result("job runner", True, f"alive: {', '.join(alive)}")
