"""Server-side sessions: a copied session or remember-me cookie is dead once its owner signs out, signs out
everywhere, or resets the password; idle and absolute lifetimes; the devices list; no-store pages."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from hub.accounts.models import DeviceSession
from hub.audit import AuditEntry
from hub.db import utcnow
from hub.extensions import db

CHROME_LINUX = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"


def device(app, helpers, email, user_agent=CHROME_LINUX, remember=False):
    """A browser of its own, signed in as `email`."""
    client = app.test_client()
    client.environ_base["HTTP_USER_AGENT"] = user_agent
    extra = {"remember": "y"} if remember else {}
    assert helpers.login(client, email, **extra).status_code == 302
    return client


def replay(app, cookies):
    """A thief's browser holding copies of the given cookies: is it signed in?"""
    thief = app.test_client()
    for name, value in cookies.items():
        thief.set_cookie(name, value)
    return thief.get("/account/").status_code == 200


def stolen(client, *names):
    return {name: client.get_cookie(name).value for name in names}


@pytest.fixture
def ada(create_user):
    return create_user(email="ada@example.org", name="Ada Obi")


def test_copied_cookies_die_when_their_owner_signs_out(app, csrf_off, ada, helpers):
    browser = device(app, helpers, ada.email, remember=True)
    session_copy, remember_copy = stolen(browser, "session"), stolen(browser, "remember_token")
    assert replay(app, session_copy) and replay(app, remember_copy)  # a copy works while signed in…
    assert "hub_known" not in session_copy
    browser.post("/logout")
    assert not replay(app, session_copy)  # …and not a moment after sign-out
    assert not replay(app, remember_copy)
    assert db.session.scalar(sa.select(sa.func.count(DeviceSession.id))) == 0
    # The database holds no usable token: only hashes.
    token = session_copy["session"]
    assert all(row.token_hash not in token for row in db.session.scalars(sa.select(DeviceSession)))


def test_sign_out_everywhere_else_ends_the_other_devices_only(app, csrf_off, ada, helpers):
    laptop = device(app, helpers, ada.email)
    phone = device(app, helpers, ada.email, FIREFOX_WINDOWS, remember=True)
    phone_cookies = stolen(phone, "session", "remember_token")
    page = laptop.get("/account/devices").get_data(as_text=True)
    assert "Chrome" in page and "Linux" in page and "Firefox" in page and "Windows" in page
    assert page.count("This device") == 1
    response = laptop.post("/account/devices/sign-out-others", follow_redirects=True)
    assert "You are signed out everywhere else (1 device)." in response.get_data(as_text=True)
    assert phone.get("/account/").status_code == 302
    assert not replay(app, phone_cookies) and not replay(app, {"remember_token": phone_cookies["remember_token"]})
    assert laptop.get("/account/").status_code == 200
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "sign_out_everywhere"))
    assert entry.actor_id == ada.id and entry.details == {"sessions": 1}


def test_a_password_reset_ends_every_session_remembered_ones_too(app, csrf_off, ada, helpers, outbox):
    phone = device(app, helpers, ada.email, remember=True)
    copies = stolen(phone, "session", "remember_token")
    app.test_client().post("/password/forgot", data={"email": ada.email})
    path = helpers.link_path(outbox.last_to(ada.email), "/password/reset/")
    assert app.test_client().post(path, data={"password": helpers.NEW_PASSWORD}).status_code == 302
    assert phone.get("/account/").status_code == 302
    assert not replay(app, copies) and not replay(app, {"remember_token": copies["remember_token"]})
    assert "password of your account was just changed" in helpers.text(outbox.last_to(ada.email))


def test_signing_one_device_out_and_another_persons_session_is_not_found(app, csrf_off, ada, create_user,
                                                                          helpers):
    laptop = device(app, helpers, ada.email)
    phone = device(app, helpers, ada.email, FIREFOX_WINDOWS)
    other = device(app, helpers, create_user(email="ben@example.org").email)
    rows = {row.user_agent: row for row in db.session.scalars(sa.select(DeviceSession).where(
        DeviceSession.user_id == ada.id))}
    bens = db.session.scalar(sa.select(DeviceSession).where(DeviceSession.user_id != ada.id))
    assert laptop.post(f"/account/devices/{bens.id}/sign-out").status_code == 404
    assert other.get("/account/").status_code == 200  # untouched
    assert laptop.post(f"/account/devices/{rows[FIREFOX_WINDOWS].id}/sign-out").status_code == 302
    assert phone.get("/account/").status_code == 302 and laptop.get("/account/").status_code == 200
    copies = stolen(laptop, "session")
    assert laptop.post(f"/account/devices/{rows[CHROME_LINUX].id}/sign-out").location == "/login"  # itself
    assert laptop.get("/account/").status_code == 302 and not replay(app, copies)


def test_device_actions_need_post_and_a_csrf_token(app, ada, helpers):
    laptop = device(app, helpers, ada.email)
    assert laptop.get("/account/devices/sign-out-others").status_code == 405
    assert laptop.post("/account/devices/sign-out-others").status_code == 400
    assert laptop.get("/account/").status_code == 200


def test_idle_timeout_and_absolute_lifetime(app, csrf_off, ada, helpers):
    brief, kept = device(app, helpers, ada.email), device(app, helpers, ada.email, FIREFOX_WINDOWS, remember=True)
    long_ago = utcnow() - app.config["SESSION_IDLE_TIMEOUT"] - timedelta(minutes=1)
    db.session.execute(sa.update(DeviceSession).values(last_seen_at=long_ago))
    db.session.commit()
    assert brief.get("/account/").status_code == 302  # idle too long
    assert kept.get("/account/").status_code == 200  # "keep me signed in" has no idle timeout…
    db.session.expire_all()
    assert db.session.scalar(sa.select(DeviceSession.last_seen_at).where(DeviceSession.remember.is_(True))) \
        > long_ago  # …and its use was noted (after minutes, not on every request)
    db.session.execute(sa.update(DeviceSession).values(
        created_at=utcnow() - app.config["SESSION_ABSOLUTE_LIFETIME"] - timedelta(minutes=1)))
    db.session.commit()
    assert kept.get("/account/").status_code == 302  # …but an absolute lifetime


def test_last_seen_is_not_written_on_every_request(app, csrf_off, ada, helpers):
    browser = device(app, helpers, ada.email)
    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        for _ in range(3):
            assert browser.get("/account/").status_code == 200
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert sum("device_session" in s for s in statements) == 3  # one look-up a request (with its person)
    assert not [s for s in statements if s.lstrip().upper().startswith("UPDATE")]


def test_the_job_runner_cleans_expired_sessions(app, csrf_off, ada, helpers, runner):
    from hub.jobs.models import Job
    device(app, helpers, ada.email), device(app, helpers, ada.email, FIREFOX_WINDOWS, remember=True)
    assert db.session.scalar(sa.select(sa.func.count(Job.id)).where(Job.kind == "accounts.clean_sessions")) == 1
    db.session.execute(sa.update(DeviceSession).values(last_seen_at=utcnow() - timedelta(days=1)))
    db.session.execute(sa.update(Job).values(run_after=utcnow()))
    db.session.commit()
    assert runner.invoke(args=["jobs", "run", "--once"]).exit_code == 0
    db.session.expire_all()
    assert [row.remember for row in db.session.scalars(sa.select(DeviceSession))] == [True]
    assert db.session.scalar(sa.select(sa.func.count(Job.id)).where(  # the next sweep waits
        Job.kind == "accounts.clean_sessions", Job.status == "queued")) == 1


def test_pages_of_a_signed_in_person_are_never_stored(app, csrf_off, ada, helpers, client):
    for path in ("/login", "/register", "/password/forgot"):
        assert client.get(path).headers["Cache-Control"] == "no-store"
    assert "no-store" not in client.get("/").headers["Cache-Control"]  # anonymous pages may be revalidated
    browser = device(app, helpers, ada.email)
    for path in ("/", "/account/", "/account/devices"):
        assert browser.get(path).headers["Cache-Control"] == "no-store"
    static = browser.get("/static/css/hub.css")
    assert static.status_code == 200 and "no-store" not in static.headers.get("Cache-Control", "")


def test_a_foreign_origin_is_refused_even_with_a_valid_token(app, ada, helpers):
    browser = device(app, helpers, ada.email)
    token = helpers.csrf_token(browser.get("/account/devices"))
    for header in ({"Origin": "https://evil.example"}, {"Referer": "https://evil.example/page"}, {"Origin": "null"},
                   {"Origin": "http://localhost.evil.example"}):
        assert browser.post("/account/devices/sign-out-others", data={"csrf_token": token},
                            headers=header).status_code == 403
    assert browser.post("/account/devices/sign-out-others", data={"csrf_token": token},
                        headers={"Origin": "http://localhost"}).status_code == 302
    # Opened at another address of the same server than BASE_URL (the demo at localhost, not 127.0.0.1):
    # its own pages still post; another site still cannot.
    app.config["BASE_URL"] = "http://127.0.0.1:5000"
    token = helpers.csrf_token(browser.get("/account/devices"))
    assert browser.post("/account/devices/sign-out-others", data={"csrf_token": token},
                        headers={"Origin": "http://localhost"}).status_code == 302
    assert browser.post("/account/devices/sign-out-others", data={"csrf_token": token},
                        headers={"Origin": "https://evil.example"}).status_code == 403
