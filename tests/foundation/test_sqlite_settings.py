"""The default deployment's SQLite: WAL, a busy timeout and synchronous=NORMAL on every connection."""

import sqlalchemy as sa

from hub import create_app
from hub.extensions import db


def test_default_sqlite_database_is_set_up_for_a_server_and_a_job_runner(tmp_path):
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret"}, instance_path=str(tmp_path / "instance"))
    with app.app_context():
        assert db.engine.url.get_backend_name() == "sqlite"
        with db.engine.connect() as connection:
            pragma = {name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()
                      for name in ("journal_mode", "busy_timeout", "synchronous", "foreign_keys")}
        db.engine.dispose()
    assert pragma == {"journal_mode": "wal", "busy_timeout": 10000, "synchronous": 1, "foreign_keys": 1}
    assert (tmp_path / "instance" / "hub.sqlite3").exists()
