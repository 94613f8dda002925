"""Enqueue jobs, claim them safely from several runners, run them with retries and backoff.

Features register a handler per kind (`@handler("search.apply")` at import of their services).
A job is claimed with `UPDATE … WHERE status = 'queued'` and a check of the row count, which is
safe on SQLite (one writer at a time) and PostgreSQL (the loser's UPDATE re-reads the row and
matches nothing). Services flush; enqueue() too, so the job commits with the caller's change.

The rule for every handler: no transaction spans slow work (a subprocess such as ffmpeg, the
network, reading or writing files, writing the search index). On SQLite a write lock held through
it stops every page that writes ("database is locked"); on PostgreSQL its row locks make pages
wait and an idle transaction ties up a connection. So a handler
  1. reads what it needs, then ends its transaction (`db.session.rollback()`, or commits);
  2. does the slow work outside any transaction;
  3. writes its results in a short transaction that first re-reads the object and checks it still
     exists and is unchanged (else it throws the results away); the runner commits it.
hub/library/processing.py is the example. Writes that must never wait or fail a page (counters,
the runners' heartbeats) go through hub.db.side_write: their own connection, committed at once.

Liveness: a runner heartbeats the job it runs. A job whose runner is gone (its process died on
this host, or no heartbeat for JOBS_HEARTBEAT_TIMEOUT seconds) is queued again by any runner, and
a runner whose job was taken back does not record its outcome over the new runner's.
"""

import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.dialects import postgresql, sqlite

from hub.db import side_write, utcnow
from hub.extensions import db
from hub.jobs.models import DONE, FAILED, QUEUED, RUNNING, Job, JobRunner

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Handler:
    function: Callable[[dict], None]
    max_attempts: int = 5


#: Seconds between a runner's looks for jobs whose runner is gone.
RELEASE_EVERY = 5

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


def _runner_gone(worker: str | None, last_sign, limit, host: str) -> bool:
    """Whether the runner `worker` ("host:pid") is gone: a dead process here, or silent since `limit`."""
    if last_sign is None or last_sign < limit:
        return True
    name, _, pid = (worker or "").rpartition(":")
    if name != host or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # alive, though not ours to signal
        return False
    return False


def release_stale_locks() -> int:
    """Jobs whose runner is gone go back to the queue (see the module's docstring). Returns how many."""
    limit = utcnow() - timedelta(seconds=current_app.config["JOBS_HEARTBEAT_TIMEOUT"])
    host, released = socket.gethostname(), 0
    running = db.session.execute(sa.select(Job.id, Job.locked_by, Job.heartbeat_at, Job.locked_at)
                                 .where(Job.status == RUNNING)).all()
    for job_id, worker, heartbeat_at, locked_at in running:
        if _runner_gone(worker, heartbeat_at or locked_at, limit, host):
            result = db.session.execute(  # only if that runner still holds it: it may have finished meanwhile
                sa.update(Job).where(Job.id == job_id, Job.status == RUNNING, Job.locked_by == worker)
                .values(status=QUEUED, locked_by=None, locked_at=None, heartbeat_at=None)
                .execution_options(synchronize_session=False))
            released += result.rowcount
            if result.rowcount:
                log.warning("job %s: runner %s is gone, queued again", job_id, worker)
    # Runners that stopped a day ago are forgotten (each start is a new "host:pid").
    db.session.execute(sa.delete(JobRunner).where(JobRunner.beat_at < utcnow() - timedelta(days=1)))
    db.session.commit()
    return released


def heartbeat(engine: sa.Engine, job_id: int, worker: str) -> None:
    """Say that `worker` still runs `job_id` (its own short transaction; a miss is only logged)."""
    side_write(engine, sa.update(Job).where(Job.id == job_id, Job.status == RUNNING, Job.locked_by == worker)
               .values(heartbeat_at=utcnow()))


class _Heartbeat(threading.Thread):
    """Beats for one job every `every` seconds until stopped."""

    def __init__(self, engine: sa.Engine, job_id: int, worker: str, every: float):
        super().__init__(name=f"heartbeat-{job_id}", daemon=True)
        self.engine, self.job_id, self.worker, self.every = engine, job_id, worker, every
        self.stopped = threading.Event()

    def run(self):
        while not self.stopped.wait(self.every):
            heartbeat(self.engine, self.job_id, self.worker)
            runner_heartbeat(self.engine, self.worker)  # a long job must not make the runner look dead

    def stop(self):
        self.stopped.set()
        self.join(timeout=10)


def runner_heartbeat(engine: sa.Engine, worker: str) -> None:
    """Say that the runner `worker` is alive (one row per runner; `doctor` and /metrics read it)."""
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[engine.dialect.name]
    now = utcnow()
    side_write(engine, insert(JobRunner).values(name=worker, started_at=now, beat_at=now)
               .on_conflict_do_update(index_elements=["name"], set_={"beat_at": now}))


def claim(worker: str) -> Job | None:
    """Take the next due job of a known kind for this runner, or None; at most one runner wins it.

    On PostgreSQL the candidates are read `FOR UPDATE SKIP LOCKED`: two runners looking at once get
    different rows instead of queueing behind each other's lock. The guarded UPDATE below is what makes
    a double claim impossible on both databases (on SQLite, one writer at a time)."""
    now = utcnow()
    candidates = sa.select(Job.id).where(Job.status == QUEUED, Job.run_after <= now,
                                         Job.kind.in_(list(HANDLERS))).order_by(Job.run_after, Job.id).limit(10)
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    candidates = db.session.scalars(candidates).all()
    for job_id in candidates:
        result = db.session.execute(
            sa.update(Job).where(Job.id == job_id, Job.status == QUEUED)
            .values(status=RUNNING, locked_by=worker, locked_at=now, heartbeat_at=now, attempts=Job.attempts + 1)
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


def _finish(job_id: int, worker: str, error: Exception | None) -> None:
    job = db.session.get(Job, job_id, populate_existing=True)
    if job is None or job.status != RUNNING or job.locked_by != worker:
        db.session.rollback()  # taken back as stale, maybe run again: that runner records the outcome
        log.warning("job %s: no longer held by %s, outcome not recorded", job_id, worker)
        return
    job.locked_by = job.locked_at = job.heartbeat_at = None
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
    """Claim and run one due job, heartbeating; False when there was none. A failing job is retried later."""
    worker = worker or worker_name()
    job = claim(worker)
    if job is None:
        return False
    job_id, kind, payload = job.id, job.kind, dict(job.payload or {})
    beat = _Heartbeat(db.engine, job_id, worker, current_app.config["JOBS_HEARTBEAT_TIMEOUT"] / 4)
    beat.start()
    try:
        HANDLERS[kind].function(payload)
        db.session.commit()
    except Exception as error:  # a job's failure is recorded, never fatal to the runner
        db.session.rollback()
        log.exception("job %s (%s) failed", job_id, kind)
        beat.stop()
        _finish(job_id, worker, error)
        return True
    beat.stop()
    _finish(job_id, worker, None)
    return True


def run(once: bool = False, poll: float | None = None, should_stop: Callable[[], bool] = lambda: False) -> int:
    """Run due jobs; with `once`, stop when none is due, else poll for ever. Returns how many ran."""
    worker, ran, looked, beaten = worker_name(), 0, 0.0, 0.0
    poll = current_app.config["JOBS_POLL_INTERVAL"] if poll is None else poll
    beat_every = current_app.config["JOBS_HEARTBEAT_TIMEOUT"] / 4
    while not should_stop():
        if time.monotonic() - beaten >= beat_every:
            beaten = time.monotonic()
            runner_heartbeat(db.engine, worker)
        try:
            if time.monotonic() - looked >= RELEASE_EVERY:  # a gone runner's job is queued again promptly
                looked = time.monotonic()
                release_stale_locks()
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
