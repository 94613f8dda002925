"""Job handlers for the tests, registered when this module is imported (also in child processes)."""

from pathlib import Path

from hub.jobs.services import handler


class Boom(Exception):
    pass


@handler("test.record")
def record(payload: dict) -> None:
    """Create one file per job; a second run of the same job fails (the file exists)."""
    with open(Path(payload["folder"]) / str(payload["n"]), "x") as handle:
        handle.write("ran")


@handler("test.fail", max_attempts=3)
def fail(payload: dict) -> None:
    raise Boom(payload.get("message", "it broke"))


def run_jobs(database_url: str, instance_path: str, barrier) -> None:
    """A job runner in its own process: run due jobs until none is left."""
    from hub import create_app
    from hub.extensions import db
    from hub.jobs.services import run
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": database_url},
                     instance_path=instance_path)
    with app.app_context():
        barrier.wait(timeout=60)
        run(once=True)
        db.session.remove()
        db.engine.dispose()


@handler("test.slow")
def slow(payload: dict) -> None:
    """Mark the start (one file per attempt), sleep on the first attempt only, then mark the end."""
    import os
    import time
    folder = Path(payload["folder"])
    first = not any(folder.glob("started-*"))
    (folder / f"started-{os.getpid()}").write_text("")
    if first:
        time.sleep(payload.get("seconds", 60))
    (folder / f"done-{os.getpid()}").write_text("")


def run_jobs_until_stopped(database_url: str, instance_path: str) -> None:
    """A job runner in its own process, polling for ever (the test kills it)."""
    from hub import create_app
    from hub.jobs.services import run
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": database_url},
                     instance_path=instance_path)
    with app.app_context():
        run(poll=0.1)
