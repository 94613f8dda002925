"""`flask --app hub doctor`: fails on the demo's development settings, passes on a production one."""

import secrets

import pytest
from aiosmtpd.controller import Controller
from flask_migrate import upgrade

from hub import create_app
from hub.extensions import db
from hub.jobs import services as jobs
from hub.search import indexing
from tests.conftest import fresh_database
from tests.notifications.conftest import Collector, free_port


def hub_with(tmp_path, url, **settings):
    """A hub configured as an operator would (not TESTING), on a migrated database of its own."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, **settings}, instance_path=str(tmp_path / "instance"))
    with app.app_context():
        upgrade()
    return app


def doctor(app, *args):
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["doctor", *args])
        db.session.remove()
        db.engine.dispose()
    return result


@pytest.fixture
def database(tmp_path):
    with fresh_database(tmp_path, "doctor") as url:
        yield url


def test_the_demos_development_settings_fail(tmp_path, database):
    # What `make run` writes to instance/config.py: a random key, cookies over plain HTTP, nothing else.
    app = hub_with(tmp_path, database, SECRET_KEY=secrets.token_hex(32), SESSION_COOKIE_SECURE=False)
    result = doctor(app)
    assert result.exit_code == 1
    problems = [line for line in result.output.splitlines() if line.startswith("PROBLEM")]
    assert [line.split(":")[0].split("  ")[-1] for line in problems] == [
        "BASE_URL", "debug and cookies", "mail", "search index", "job runner"]
    assert "flask --app hub jobs run" in result.output and "https://" in result.output
    assert "problem(s) to fix" in result.output


def test_several_workers_need_redis_for_rate_limits(tmp_path, database):
    app = hub_with(tmp_path, database, SECRET_KEY=secrets.token_hex(32))
    result = doctor(app, "--workers", "4")
    assert "PROBLEM  rate limits: 4 workers" in result.output and "redis://" in result.output
    app.config["RATELIMIT_STORAGE_URI"] = "redis://127.0.0.1:1"  # nothing listens there
    assert "PROBLEM  rate limits: Redis at redis://127.0.0.1:1 does not answer" in doctor(app, "--workers", "4").output


def test_a_production_configuration_passes(tmp_path, database):
    smtp = Controller(Collector(), hostname="127.0.0.1", port=free_port())
    smtp.start()
    library = tmp_path / "library"
    try:
        app = hub_with(tmp_path, database, SECRET_KEY=secrets.token_hex(32), BASE_URL="https://hub.example.org",
                       MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379",
                       LIBRARY_STORAGE=str(library), SEARCH_INDEX_PATH=str(tmp_path / "index"))
        with app.app_context():
            indexing.reindex()  # as `flask --app hub search reindex` after the first deployment
            jobs.run(once=True)  # a real runner's pass: it says it is alive
        result = doctor(app, "--workers", "4")
    finally:
        smtp.stop()
    assert result.exit_code == 0, result.output
    assert "PROBLEM" not in result.output and result.output.strip().endswith("Ready for production.")
