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


def test_a_runner_skips_a_job_another_runner_is_claiming(app, tmp_path):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite has one writer at a time")
    first, second = (services.enqueue("test.record", {"folder": str(tmp_path), "n": n}) for n in range(2))
    db.session.commit()
    first_id, second_id = first.id, second.id
    with db.engine.connect() as other:  # another runner, in the middle of its claim: row locked
        with other.begin():
            other.execute(sa.select(Job.id).where(Job.id == first_id).with_for_update())
            started = time.monotonic()
            job = services.claim("runner-b")
            assert time.monotonic() - started < 2  # no waiting behind the other runner's lock
            assert job.id == second_id
    db.session.expire_all()
    assert db.session.get(Job, first_id).status == QUEUED
