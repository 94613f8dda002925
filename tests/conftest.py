"""Few, obvious fixtures: app, client, runner, auth, factories, the mail outbox and a query counter.

Tests run against SQLite by default, or PostgreSQL when HUB_TEST_DATABASE_URL is set: a fresh
database is created for the session (so several runs can share one server) and dropped at the end.
"""

import email
import os
import re
import shutil
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path

import pyotp
import pytest
import sqlalchemy as sa
from flask import g
from werkzeug.serving import make_server

from hub import create_app
from hub.accounts import sessions
from hub.accounts.models import ACTIVE, User
from hub.audit import APPEND_ONLY
from hub.communities import membership as memberships
from hub.communities import services as communities
from hub.db import utcnow
from hub.extensions import db
from hub.organisations.services import create_organisation

PASSWORD = "correct horse battery staple"


@contextmanager
def fresh_database(sqlite_folder: Path, prefix: str = "hub_test"):
    """A database URL of its own: a new SQLite file, or a new PostgreSQL database (dropped after)."""
    base = os.environ.get("HUB_TEST_DATABASE_URL")
    if not base:
        yield "sqlite:///" + str(sqlite_folder / f"{prefix}.sqlite3")
        return
    url = sa.engine.make_url(base)
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    with fresh_database(tmp_path_factory.mktemp("db")) as url:
        yield url


_schema_ready = set()


@pytest.fixture
def app(database_url, tmp_path):
    app = create_app({
        "TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": database_url,
        "SERVER_NAME": None, "RATELIMIT_ENABLED": True, "BASE_URL": "http://localhost",
        "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",  # production cost (n=32768) takes ~0.5 s per hash here
        # New people post at once here; tests/desk/test_premoderation.py turns pre-moderation on.
        "PREMODERATION_FIRST_POSTS": 0,
        # Staff sign in with a password alone here; tests/accounts/test_two_factor.py turns the requirement on.
        "TWO_FACTOR_REQUIRED_FOR": [],
    }, instance_path=str(tmp_path / "instance"))
    app.teardown_request(_forget_request_globals)
    with app.app_context():
        if database_url not in _schema_ready:
            db.drop_all()
            db.create_all()
            _schema_ready.add(database_url)
        yield app
        db.session.remove()
        empty_tables()
        db.engine.dispose()  # each test's app has its own pool: close it, or PostgreSQL runs out of connections


def _forget_request_globals(error=None):
    """Each real request has its own `g`; here one app context spans the test, so empty it after each
    request (else Flask-Babel's cached locale and Flask-Login's user leak into the next request)."""
    for name in list(g):
        g.pop(name)


def empty_tables():
    tables = list(reversed(db.metadata.sorted_tables))
    with db.engine.begin() as conn:
        # The audit log's trigger refuses every DELETE (hub/audit.py): lift it for this transaction only.
        if conn.dialect.name == "postgresql":
            conn.execute(sa.text("SET LOCAL session_replication_role = replica"))
        else:
            conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_entry_no_delete")
        for table in tables:
            conn.execute(table.delete())
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(APPEND_ONLY["sqlite"][0])
        if conn.dialect.name == "postgresql":
            # DELETE + setval takes ~0.02 s here; TRUNCATE … RESTART IDENTITY took ~0.7 s per test.
            conn.execute(sa.text("SELECT setval(c.oid, 1, false) FROM pg_class c "
                                 "JOIN pg_namespace n ON n.oid = c.relnamespace "
                                 "WHERE c.relkind = 'S' AND n.nspname = current_schema()"))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def csrf_off(app):
    """Most tests post forms without fetching them first; CSRF has its own tests."""
    app.config["WTF_CSRF_ENABLED"] = False


@pytest.fixture
def create_org():
    counter = iter(range(1, 10_000))

    def make(name=None, country="KE", **fields):
        return create_organisation(name or f"Coalition {next(counter)}", country, **fields)
    return make


@pytest.fixture
def create_user(create_org):
    """An active, verified person (override any field); commits so the test client sees it."""
    counter = iter(range(1, 10_000))

    def make(email=None, name=None, password=PASSWORD, organisation=None, **fields):
        n = next(counter)
        user = User(email=email or f"person{n}@example.org", name=name or f"Person {n}",
                    organisation=organisation or create_org(), status=fields.pop("status", ACTIVE),
                    email_verified_at=fields.pop("email_verified_at", utcnow()), **fields)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        return user
    return make


def session_token(user) -> str:
    """A server-side session for `user` (committed): the value of `_user_id` in a session cookie."""
    sessions.start(user, remember=False)
    db.session.commit()
    return user.device_token


@pytest.fixture
def create_community(create_user):
    """A community made as the hub makes one (its creator, a new person unless given, is its first
    facilitator and follows it); `members` join through the membership service. Commits."""
    counter = iter(range(1, 100_000))

    def make(creator=None, visibility="public", join_policy="open", members=(), **fields):
        n = next(counter)
        data = {"title": f"Community {n}", "slug": f"community-{n}", "description": "About us.", "languages": ["en"],
                "themes": [], "region": None, "discoverable": False, **fields,
                "visibility": visibility, "join_policy": join_policy}
        community = communities.create_community(data, creator or create_user())
        for person in members:
            _join(community, person)
        db.session.commit()
        return community
    return make


def _join(community, person, facilitator=False):
    return memberships.enrol(community, person, facilitator)  # whatever the join policy; writes no audit entry


@pytest.fixture
def add_member(app):
    """Make a person a member (optionally a facilitator) who follows the community, through the
    membership service. Commits."""
    def add(community, person, facilitator=False):
        membership = _join(community, person, facilitator)
        db.session.commit()
        return membership
    return add


@pytest.fixture
def sign_in(client):
    """Sign a person in on `client` by session (the sign-in form has its own tests)."""
    def login(user):
        with client.session_transaction() as session:
            session["_user_id"] = session_token(user)
            session["_fresh"] = True
        return user
    return login


_TOKEN = re.compile(r'name="csrf_token"[^>]*? value="([^"]+)"')


def csrf_token(response) -> str:
    """The CSRF token of the form on a page."""
    found = _TOKEN.search(response.get_data(as_text=True))
    assert found, "no CSRF token on the page"
    return found.group(1)


class Auth:
    """Signing in through the sign-in form (the `auth` fixture on the test's client; Auth(other) on another)."""

    def __init__(self, client):
        self.client = client

    def login(self, email, password=PASSWORD, second_factor=True, environ_base=None, query="", **extra):
        """Sign in (with the form's CSRF token when CSRF is on); a person with two-factor sign-in (the demo
        secretariat) types their phone's code unless `second_factor` is False (tests of that step)."""
        data = {"email": email, "password": password, **extra}
        if self.client.application.config.get("WTF_CSRF_ENABLED", True):
            data["csrf_token"] = csrf_token(self.client.get("/login"))
        response = self.client.post("/login" + query, data=data, environ_base=environ_base or {})
        if second_factor and response.status_code == 302 and response.location.startswith("/login/code"):
            response = self.client.post("/login/code", data={"code": authenticator_code(email)})
        return response

    def logout(self):
        return self.client.post("/logout")


def authenticator_code(email: str) -> str:
    """What the person's authenticator app shows: the first code of the window not used yet."""
    db.session.expire_all()
    user = db.session.scalar(sa.select(User).where(User.email == email))
    totp = pyotp.TOTP(user.totp_secret)
    now = totp.timecode(utcnow())
    step = next(s for s in (now - 1, now, now + 1) if user.totp_last_step is None or s > user.totp_last_step)
    return totp.generate_otp(step)


@pytest.fixture
def auth(client, csrf_off):
    """Sign in and out through the forms; the test's own posts need no CSRF token."""
    return Auth(client)


class Outbox:
    """The messages the hub wrote to instance/mail/ (no SMTP server configured)."""

    def __init__(self, folder: Path):
        self.folder = folder

    @property
    def messages(self):
        if not self.folder.exists():
            return []
        return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
                for p in sorted(self.folder.glob("*.eml"))]

    def to(self, address):
        return [m for m in self.messages if m["To"] == address]

    def last_to(self, address):
        found = self.to(address)
        assert found, f"no message to {address}"
        return found[-1]


def body(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def link_path(message, marker: str) -> str:
    """The path of the first link in the message containing `marker`."""
    for word in body(message).split():
        if marker in word and word.startswith("http"):
            return "/" + word.split("://", 1)[1].split("/", 1)[1]
    raise AssertionError(f"no link with {marker!r} in message")


@pytest.fixture
def outbox(app):
    return Outbox(Path(app.instance_path) / "mail")


@pytest.fixture
def count_queries(app):
    """Count SQL statements run inside the block: `with count_queries() as n: ...; n()`."""
    @contextmanager
    def counter():
        statements = []

        def listener(conn, cursor, statement, *args):
            statements.append(statement)
        sa.event.listen(db.engine, "before_cursor_execute", listener)
        try:
            yield lambda: len(statements)
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listener)
    return counter


@pytest.fixture
def live_server(app):
    """The test app served over real HTTP on a free port (browser tests, tuspy)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"  # forms post with this Origin
    yield app.config["BASE_URL"]
    server.shutdown()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium, offline: never `playwright install` (it downloads browsers)."""
    return {**browser_type_launch_args, "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]}
