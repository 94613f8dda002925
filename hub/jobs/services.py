"""Enqueue jobs, claim them safely from several runners, run them with retries and backoff.

Features register a handler per kind (`@handler("search.apply")` at import of their services).
A job is claimed with `UPDATE … WHERE status = 'queued'` and a check of the row count, which is
safe on SQLite (one writer at a time) and PostgreSQL (the loser's UPDATE re-reads the row and
matches nothing). Services flush; enqueue() too, so the job commits with the caller's change.
"""

import logging
import os
import socket
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

import sqlalchemy as sa
from flask import current_app

from hub.db import utcnow
from hub.extensions import db
from hub.jobs.models import DONE, FAILED, QUEUED, RUNNING, Job

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Handler:
    function: Callable[[dict], None]
    max_attempts: int = 5


#: kind → Handler. Filled by handler() when each feature's services module is imported.
HANDLERS: dict[str, Handler] = {}


def handler(kind: str, max_attempts: int = 5):
    """Register the decorated function (taking the payload dict) as the runner of `kind` jobs."""
    def register(function):
        HANDLERS[kind] = Handler(function, max_attempts)
        return function
    return register


def enqueue(kind: str, payload: dict | None = None, run_after=None, unique: bool = False) -> Job:
    """Record a job (flushed, committed with the caller's transaction); `unique` reuses a queued one."""
    if unique:
        queued = db.session.scalar(sa.select(Job).where(Job.kind == kind, Job.status == QUEUED).limit(1))
        if queued is not None and (queued.payload or {}) == (payload or {}):
            return queued
    spec = HANDLERS.get(kind)
    job = Job(kind=kind, payload=payload or {}, run_after=run_after or utcnow(),
              max_attempts=spec.max_attempts if spec else 5, status=QUEUED, attempts=0)
    db.session.add(job)
    db.session.flush()
    return job


def retry(job: Job) -> None:
    """Queue a failed job again, now, with fresh attempts."""
    job.status, job.attempts, job.run_after = QUEUED, 0, utcnow()
    job.locked_by = job.locked_at = job.finished_at = None
    db.session.flush()


def worker_name() -> str:
    """This runner's name in job locks: host and process id."""
    return f"{socket.gethostname()}:{os.getpid()}"


def release_stale_locks() -> int:
    """Jobs left running by a runner that died go back to the queue. Returns how many."""
    limit = utcnow() - timedelta(seconds=current_app.config["JOBS_LOCK_TIMEOUT"])
    result = db.session.execute(
        sa.update(Job).where(Job.status == RUNNING, Job.locked_at < limit)
        .values(status=QUEUED, locked_by=None, locked_at=None).execution_options(synchronize_session=False))
    db.session.commit()
    return result.rowcount


def claim(worker: str) -> Job | None:
    """Take the next due job of a known kind for this runner, or None; at most one runner wins it."""
    now = utcnow()
    candidates = db.session.scalars(
        sa.select(Job.id).where(Job.status == QUEUED, Job.run_after <= now, Job.kind.in_(list(HANDLERS)))
        .order_by(Job.run_after, Job.id).limit(10)).all()
    for job_id in candidates:
        result = db.session.execute(
            sa.update(Job).where(Job.id == job_id, Job.status == QUEUED)
            .values(status=RUNNING, locked_by=worker, locked_at=now, attempts=Job.attempts + 1)
            .execution_options(synchronize_session=False))
        if result.rowcount == 1:
            db.session.commit()
            return db.session.get(Job, job_id, populate_existing=True)
    db.session.rollback()
    return None


def backoff(attempts: int) -> timedelta:
    """How long to wait before attempt number `attempts + 1`: doubling, capped at an hour."""
    base = current_app.config["JOBS_RETRY_DELAY"]
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), 3600))


def _finish(job_id: int, error: Exception | None) -> None:
    job = db.session.get(Job, job_id, populate_existing=True)
    job.locked_by = job.locked_at = None
    if error is None:
        job.status, job.finished_at = DONE, utcnow()
    else:
        job.last_error = f"{type(error).__name__}: {error}"[:2000]
        if job.attempts >= job.max_attempts:
            job.status, job.finished_at = FAILED, utcnow()
        else:
            job.status, job.run_after = QUEUED, utcnow() + backoff(job.attempts)
    db.session.commit()


def run_one(worker: str | None = None) -> bool:
    """Claim and run one due job; False when there was none. A failing job is retried later."""
    job = claim(worker or worker_name())
    if job is None:
        return False
    job_id, kind, payload = job.id, job.kind, dict(job.payload or {})
    try:
        HANDLERS[kind].function(payload)
        db.session.commit()
    except Exception as error:  # a job's failure is recorded, never fatal to the runner
        db.session.rollback()
        log.exception("job %s (%s) failed", job_id, kind)
        _finish(job_id, error)
        return True
    _finish(job_id, None)
    return True


def run(once: bool = False, poll: float | None = None, should_stop: Callable[[], bool] = lambda: False) -> int:
    """Run due jobs; with `once`, stop when none is due, else poll for ever. Returns how many ran."""
    worker, ran = worker_name(), 0
    poll = current_app.config["JOBS_POLL_INTERVAL"] if poll is None else poll
    release_stale_locks()
    while not should_stop():
        try:
            did = run_one(worker)
        except sa.exc.SQLAlchemyError:
            db.session.rollback()
            log.exception("job runner: database error, waiting")
            did = False
        ran += did
        if not did:
            if once:
                break
            time.sleep(poll)
    return ran
