"""The database itself keeps the audit log append-only: a raw UPDATE or DELETE fails on SQLite and PostgreSQL,
whether the schema came from the migrations or from the models; anonymising a person still works."""

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from hub import create_app
from hub.audit import AuditEntry, AuditRewrite, record
from hub.extensions import db
from tests.conftest import fresh_database

RAW_CHANGES = ["UPDATE audit_entry SET reason = 'nothing happened'",
               "UPDATE audit_entry SET action = 'approve', reason = reason",
               "DELETE FROM audit_entry"]


def refused(statement) -> bool:
    """Whether the database refuses the statement (the transaction is rolled back either way)."""
    try:
        with db.engine.begin() as conn:
            conn.exec_driver_sql(statement)
    except sa.exc.DBAPIError as error:
        assert "audit entries cannot be changed or deleted" in str(error)
        return True
    return False


def an_entry(actor=None):
    entry = record("hide", actor, reason="spam", details={"kind": "profile"}, actor=actor)
    db.session.commit()
    return entry.id


@pytest.mark.parametrize("statement", RAW_CHANGES)
def test_raw_update_or_delete_fails_on_the_models_schema(app, create_user, statement):
    entry_id = an_entry(create_user())
    assert refused(statement)
    db.session.expire_all()
    assert db.session.get(AuditEntry, entry_id).reason == "spam"


def test_a_permit_allows_rewriting_words_never_who_what_or_deleting(app, create_user):
    entry_id = an_entry(create_user())
    with db.engine.begin() as conn:  # as hub/desk/erasure.py does, inside one transaction
        conn.execute(sa.insert(AuditRewrite).values(reason="test"))
        conn.execute(sa.update(AuditEntry.__table__).values(reason="scrubbed", ip_address=""))
        with pytest.raises(sa.exc.DBAPIError):
            with conn.begin_nested():
                conn.execute(sa.update(AuditEntry.__table__).values(actor_id=None))
        with pytest.raises(sa.exc.DBAPIError):
            with conn.begin_nested():
                conn.execute(sa.delete(AuditEntry.__table__))
        conn.execute(sa.delete(AuditRewrite))
    db.session.expire_all()
    entry = db.session.get(AuditEntry, entry_id)
    assert (entry.reason, entry.actor_id is not None) == ("scrubbed", True)
    assert refused("UPDATE audit_entry SET reason = 'again'")


def test_raw_update_or_delete_fails_after_the_migrations(tmp_path):
    with fresh_database(tmp_path, prefix="hub_append_only") as url:
        app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url}, instance_path=str(tmp_path / "i"))
        with app.app_context():
            upgrade()
            with db.engine.begin() as conn:
                conn.execute(sa.insert(AuditEntry.__table__).values(
                    action="hide", object_type="discussion", object_id=1, reason="spam", ip_address="",
                    details={}, created_at=sa.func.now()))
            for statement in RAW_CHANGES:
                assert refused(statement), statement
            with db.engine.connect() as conn:
                assert conn.execute(sa.text("SELECT reason FROM audit_entry")).scalar_one() == "spam"
            db.session.remove()
            db.engine.dispose()
