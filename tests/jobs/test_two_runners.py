"""Two runners claiming at the same moment never take the same job (PostgreSQL: FOR UPDATE SKIP LOCKED;
SQLite: one writer at a time, and the claim's UPDATE only matches a job still queued)."""

import threading
import time

import pytest
import sqlalchemy as sa

from hub.extensions import db
from hub.jobs import services
from hub.jobs.models import QUEUED, RUNNING, Job
from tests.jobs.handlers import record  # noqa: F401  (registers the test.record kind)

JOBS = 60


def test_two_runners_claiming_at_once_never_share_a_job(app, tmp_path):
    for n in range(JOBS):
        services.enqueue("test.record", {"folder": str(tmp_path), "n": n})
    db.session.commit()
    gate, claimed = threading.Barrier(2), {"a": [], "b": []}

    def runner(name):
        with app.app_context():
            gate.wait()
            while (job := services.claim(f"runner-{name}")) is not None:
                claimed[name].append(job.id)
            db.session.remove()
    threads = [threading.Thread(target=runner, args=(name,)) for name in claimed]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert set(claimed["a"]).isdisjoint(claimed["b"])
    assert len(claimed["a"]) + len(claimed["b"]) == JOBS
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).where(Job.status == RUNNING)) == JOBS
    assert db.session.scalar(sa.select(sa.func.max(Job.attempts))) == 1


def test_a_runner_never_takes_the_job_another_runner_is_claiming(app, tmp_path):
    """Runner A is in the middle of claiming the first job; runner B takes the second. PostgreSQL: A holds
    the row lock and B skips the row without waiting. SQLite: A holds the write lock; B waits for it, then
    its guarded UPDATE sees the first job taken."""
    first, second = (services.enqueue("test.record", {"folder": str(tmp_path), "n": n}) for n in range(2))
    db.session.commit()
    first_id, second_id = first.id, second.id
    postgresql = db.engine.dialect.name == "postgresql"
    holding, released, engine = threading.Event(), threading.Event(), db.engine

    def runner_a():
        with engine.connect() as other:
            with other.begin():
                if postgresql:  # the row lock of its candidate read, released without claiming
                    other.execute(sa.select(Job.id).where(Job.id == first_id).with_for_update())
                else:  # its claim's write, committed a moment later
                    other.execute(sa.update(Job).where(Job.id == first_id).values(status=RUNNING, locked_by="a"))
                holding.set()
                released.wait(timeout=1 if not postgresql else 30)
    thread = threading.Thread(target=runner_a)
    thread.start()
    assert holding.wait(timeout=30)
    started = time.monotonic()
    job = services.claim("runner-b")
    waited = time.monotonic() - started
    released.set()
    thread.join(timeout=30)
    assert job.id == second_id and job.locked_by == "runner-b"
    if postgresql:
        assert waited < 2  # no waiting behind the other runner's lock
    db.session.expire_all()
    assert db.session.get(Job, first_id).status == (QUEUED if postgresql else RUNNING)
