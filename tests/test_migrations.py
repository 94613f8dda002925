"""The migrations build exactly the schema the models describe, on SQLite and PostgreSQL."""

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from hub import create_app
from hub.extensions import db
from tests.conftest import fresh_database


@pytest.fixture
def empty_database(tmp_path):
    with fresh_database(tmp_path, prefix="hub_migrate") as url:
        yield url


def test_upgrade_matches_models_and_downgrades_cleanly(empty_database, tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database},
                     instance_path=str(tmp_path / "instance"))
    with app.app_context():
        upgrade()
        with db.engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            differences = compare_metadata(context, db.metadata)
        assert differences == [], "models changed without a migration: run `flask db migrate`"
        downgrade(revision="base")
        with db.engine.connect() as conn:
            assert sa.inspect(conn).get_table_names() == ["alembic_version"]
        db.engine.dispose()


def test_old_audit_entries_and_waiting_search_changes_take_the_kinds_words(empty_database, tmp_path):
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": empty_database},
                     instance_path=str(tmp_path / "instance"))
    entry = sa.text("INSERT INTO audit_entry (action, object_type, object_id, reason, ip_address, created_at, details)"
                    " VALUES ('hide', :type, 1, '', '', CURRENT_TIMESTAMP, '{}')")
    with app.app_context():
        upgrade(revision="4a7d2c9e1b53")
        with db.engine.begin() as conn:
            for old in ("library_item", "user_account", "survey_introduction", "organisation"):
                conn.execute(entry, {"type": old})
            conn.execute(sa.text("INSERT INTO search_change (kind, object_id, op, created_at)"
                                 " VALUES ('library', 7, 'upsert', CURRENT_TIMESTAMP)"))
        upgrade()
        with db.engine.connect() as conn:
            stored = conn.execute(sa.text("SELECT object_type FROM audit_entry ORDER BY id")).scalars().all()
            waiting = conn.execute(sa.text("SELECT kind FROM search_change")).scalars().all()
        assert stored == ["item", "person", "introduction", "organisation"]
        assert waiting == ["item"]
        db.engine.dispose()
