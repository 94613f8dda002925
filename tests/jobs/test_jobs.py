"""The job mechanism: recorded in the database, claimed by one runner, retried with backoff."""

import multiprocessing
import threading
import time
from datetime import timedelta

import sqlalchemy as sa

from hub.db import utcnow
from hub.extensions import db
from hub.jobs import services
from hub.jobs.models import DONE, FAILED, QUEUED, RUNNING, Job
from tests.jobs.handlers import run_jobs, run_jobs_until_stopped


def test_enqueued_job_is_recorded_with_the_callers_transaction(app, tmp_path):
    services.enqueue("test.record", {"folder": str(tmp_path), "n": 1})
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Job)) == 0
    job = services.enqueue("test.record", {"folder": str(tmp_path), "n": 1})
    assert job.id is not None and job.status == QUEUED
    db.session.commit()
    assert services.run(once=True) == 1
    assert (tmp_path / "1").read_text() == "ran"
    job = db.session.get(Job, job.id, populate_existing=True)
    assert job.status == DONE and job.attempts == 1 and job.finished_at is not None and job.locked_by is None


def test_a_failing_job_is_retried_later_then_marked_failed_and_can_be_retried(app):
    job = services.enqueue("test.fail", {"message": "disk full"})
    db.session.commit()
    assert services.run(once=True) == 1
    job = db.session.get(Job, job.id, populate_existing=True)
    assert job.status == QUEUED and job.attempts == 1 and job.last_error == "Boom: disk full"
    assert job.run_after > utcnow() + timedelta(seconds=20)
    assert services.run(once=True) == 0  # not due yet
    for _ in range(2):
        job.run_after = utcnow()
        db.session.commit()
        services.run(once=True)
        job = db.session.get(Job, job.id, populate_existing=True)
    assert job.status == FAILED and job.attempts == 3
    services.retry(job)
    db.session.commit()
    assert job.status == QUEUED and job.attempts == 0


def test_backoff_doubles_and_is_capped(app):
    assert [services.backoff(n).total_seconds() for n in (1, 2, 3)] == [30, 60, 120]
    assert services.backoff(30).total_seconds() == 3600


def test_a_claimed_job_is_not_claimed_again(app, tmp_path):
    services.enqueue("test.record", {"folder": str(tmp_path), "n": 1})
    db.session.commit()
    first = services.claim("runner-a")
    assert first is not None and first.status == RUNNING and first.locked_by == "runner-a"
    assert services.claim("runner-b") is None


def test_jobs_of_unknown_kinds_are_left_for_a_runner_that_knows_them(app):
    db.session.add(Job(kind="library.transcode", payload={}))
    db.session.commit()
    assert services.run(once=True) == 0
    assert db.session.scalar(sa.select(Job.status)) == QUEUED


def test_jobs_left_running_by_a_dead_runner_are_taken_back(app, tmp_path):
    db.session.add(Job(kind="test.record", payload={"folder": str(tmp_path), "n": 7}, status=RUNNING,
                       locked_by="dead:1", locked_at=utcnow() - timedelta(hours=1), attempts=1))
    db.session.commit()
    assert services.run(once=True) == 1
    assert (tmp_path / "7").exists()
    assert db.session.scalar(sa.select(Job.status)) == DONE


def test_the_cli_runs_due_jobs_once(app, runner, tmp_path):
    services.enqueue("test.record", {"folder": str(tmp_path), "n": 3})
    db.session.commit()
    result = runner.invoke(args=["jobs", "run", "--once"])
    assert result.exit_code == 0 and "1 job(s) run." in result.output
    assert (tmp_path / "3").exists()
    listing = runner.invoke(args=["jobs", "list"])
    assert "0 job(s) not done." in listing.output


def test_several_runner_processes_run_each_job_exactly_once(app, tmp_path, database_url):
    folder = tmp_path / "ran"
    folder.mkdir()
    for n in range(40):
        services.enqueue("test.record", {"folder": str(folder), "n": n})
    db.session.commit()
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(3)
    runners = [context.Process(target=run_jobs, args=(database_url, app.instance_path, barrier)) for _ in range(3)]
    for process in runners:
        process.start()
    for process in runners:
        process.join(timeout=300)
    assert [process.exitcode for process in runners] == [0, 0, 0]
    assert sorted(int(p.name) for p in folder.iterdir()) == list(range(40))
    statuses = db.session.scalars(sa.select(Job.status)).all()
    assert statuses == [DONE] * 40
    assert db.session.scalar(sa.select(sa.func.max(Job.attempts))) == 1


def test_a_job_whose_runner_stopped_beating_is_queued_again_but_a_beating_one_is_left(app, tmp_path):
    app.config["JOBS_HEARTBEAT_TIMEOUT"] = 0.8  # beats every 0.2 s
    db.session.add(Job(kind="test.record", payload={"folder": str(tmp_path), "n": 1}, status=RUNNING,
                       locked_by="elsewhere:1", locked_at=utcnow(), heartbeat_at=utcnow() - timedelta(seconds=2)))
    slow = services.enqueue("test.slow", {"folder": str(tmp_path), "seconds": 2})
    db.session.commit()
    slow_id = slow.id

    def runner():
        with app.app_context():
            services.run_one("busy-runner")
    thread = threading.Thread(target=runner)
    thread.start()
    released = []
    for _ in range(15):  # 3 s: the slow job runs the whole time, heartbeating
        released.append(services.release_stale_locks())
        time.sleep(0.2)
    thread.join(timeout=30)
    assert released[0] == 1 and sum(released) == 1  # only the silent runner's job
    db.session.expire_all()
    assert db.session.get(Job, slow_id).status == DONE and db.session.get(Job, slow_id).attempts == 1
    assert services.run(once=True) == 1 and (tmp_path / "1").exists()


def test_a_killed_runners_job_is_run_by_another_runner_within_seconds(app, tmp_path, database_url):
    job = services.enqueue("test.slow", {"folder": str(tmp_path), "seconds": 600})
    db.session.commit()
    context = multiprocessing.get_context("spawn")
    first = context.Process(target=run_jobs_until_stopped, args=(database_url, app.instance_path))
    first.start()
    _wait(lambda: list(tmp_path.glob("started-*")))
    first.kill()  # kill -9: no chance to record anything
    first.join(timeout=30)
    killed = time.monotonic()
    second = context.Process(target=run_jobs_until_stopped, args=(database_url, app.instance_path))
    second.start()
    try:
        _wait(lambda: list(tmp_path.glob("done-*")))
        assert time.monotonic() - killed < 60
        _wait(lambda: db.session.get(Job, job.id, populate_existing=True).status == DONE)
    finally:
        second.kill()
        second.join(timeout=30)
    assert [p.name for p in tmp_path.glob("done-*")] == [f"done-{second.pid}"]
    assert db.session.get(Job, job.id, populate_existing=True).attempts == 2


def _wait(condition, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.1)
        db.session.rollback()
