"""Configuration layers, refusing the development key, and the SQLite pragmas."""

import pytest
import sqlalchemy as sa

from hub import create_app
from hub.accounts.models import User
from hub.config import DEV_SECRET_KEY
from hub.extensions import db


@pytest.fixture
def clean_env(monkeypatch):
    """No HUB_* or FLASK_DEBUG from the machine running the tests."""
    import os
    for name in list(os.environ):
        if name.startswith("HUB_") or name == "FLASK_DEBUG":
            monkeypatch.delenv(name)
    return monkeypatch


def test_layers_defaults_then_instance_file_then_environment(tmp_path, clean_env):
    instance = tmp_path / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(
        "SECRET_KEY = 'from-the-instance-file-0123456789'\nPER_PAGE = 12\nBASE_URL = 'https://file.example.org'\n")
    clean_env.setenv("HUB_BASE_URL", "https://env.example.org")
    clean_env.setenv("HUB_MAIL_PORT", "587")
    clean_env.setenv("HUB_MAIL_USE_TLS", "true")
    app = create_app(None, instance_path=str(instance))
    assert app.config["MAIL_SERVER"] == ""                                   # default
    assert app.config["PER_PAGE"] == 12                                       # instance/config.py
    assert app.config["SECRET_KEY"] == "from-the-instance-file-0123456789"    # instance/config.py
    assert app.config["BASE_URL"] == "https://env.example.org"                # env beats the file
    assert app.config["MAIL_PORT"] == 587 and app.config["MAIL_USE_TLS"] is True  # parsed as JSON
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///" + str(instance / "hub.sqlite3")


def test_database_url_from_the_environment(tmp_path, clean_env):
    clean_env.setenv("HUB_SECRET_KEY", "a-real-secret-key-for-production-use")
    clean_env.setenv("HUB_DATABASE_URL", "postgresql+psycopg://hub@db.example.org/hub")
    app = create_app(None, instance_path=str(tmp_path / "instance"))
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://hub@db.example.org/hub"


@pytest.mark.parametrize("secret", [None, DEV_SECRET_KEY, ""])
def test_refuses_to_start_in_production_with_the_development_key(tmp_path, clean_env, secret):
    if secret is not None:
        clean_env.setenv("HUB_SECRET_KEY", secret)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(None, instance_path=str(tmp_path / "instance"))


def test_development_key_is_fine_in_debug_and_tests(tmp_path, clean_env):
    clean_env.setenv("FLASK_DEBUG", "1")
    assert create_app(None, instance_path=str(tmp_path / "a")).debug
    clean_env.delenv("FLASK_DEBUG")
    assert create_app({"TESTING": True}, instance_path=str(tmp_path / "b")).testing


def test_production_cookies_are_secure(tmp_path, clean_env):
    clean_env.setenv("HUB_SECRET_KEY", "a-real-secret-key-for-production-use")
    app = create_app(None, instance_path=str(tmp_path / "instance"))
    assert not app.debug and not app.testing
    assert app.config["SESSION_COOKIE_SECURE"] is True and app.config["REMEMBER_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_sqlite_has_foreign_keys_and_wal(tmp_path):
    """Always checked on SQLite, whichever database the rest of the suite uses."""
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite:///" + str(tmp_path / "hub.sqlite3")},
                     instance_path=str(tmp_path / "instance"))
    with app.app_context():
        assert db.session.execute(sa.text("PRAGMA foreign_keys")).scalar() == 1
        assert db.session.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"
        db.session.remove()
        db.engine.dispose()


def test_foreign_keys_are_enforced(app):
    """On either database, a person cannot point at an organisation that does not exist."""
    db.session.add(User(email="ghost@example.org", name="Ghost", password_hash="x", organisation_id=987654))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()
