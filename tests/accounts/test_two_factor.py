"""Two-factor sign-in: enrolment with a server-drawn QR code, codes at sign-in (spaces, reuse, clock skew),
recovery codes, remembered devices, brute force, the desk's requirement and the secretariat's reset."""

import pyotp
import pytest
import sqlalchemy as sa

from hub.accounts import two_factor
from hub.audit import AuditEntry
from hub.db import utcnow
from hub.extensions import db


def step_now(secret):
    return pyotp.TOTP(secret).timecode(utcnow())


def code(secret, offset=0):
    """The authenticator's code `offset` 30-second steps from now (a phone whose clock is off)."""
    return pyotp.TOTP(secret).generate_otp(step_now(secret) + offset)


@pytest.fixture
def enrolled(create_user):
    """Ada, with two-factor sign-in on (an older step used, so every current code is fresh); her secret."""
    ada = create_user(email="ada@example.org", name="Ada Obi")
    secret = two_factor.new_secret()
    codes = two_factor.enable(ada, secret, step_now(secret) - 5)
    db.session.commit()
    return ada, secret, codes


def sign_in(app, helpers, email, second=None, client=None, **extra):
    """Password, then (when given) the second step; returns the browser and the last response."""
    client = client or app.test_client()
    response = helpers.login(client, email)
    if second is not None:
        assert response.location.startswith("/login/code"), response.location
        response = client.post("/login/code", data={"code": second, **extra})
    return client, response


def test_enrolment_with_a_qr_code_drawn_here_and_ten_recovery_codes(client, csrf_off, create_user, helpers,
                                                                     outbox):
    ada = create_user(email="ada@example.org")
    helpers.login(client, ada.email)
    page = client.get("/account/two-factor").get_data(as_text=True)
    assert "<svg" in page and "http" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]  # no outside service
    with client.session_transaction() as session:
        secret = session["two_factor_setup"]
    assert secret in page  # for typing instead of scanning
    wrong = client.post("/account/two-factor", data={"code": code(secret, 2), "current_password": helpers.PASSWORD})
    assert "This code is not right" in wrong.get_data(as_text=True)
    done = client.post("/account/two-factor", data={"code": code(secret), "current_password": helpers.PASSWORD})
    shown = done.get_data(as_text=True)
    assert "Your recovery codes" in shown and shown.count("<li><code>") == 10
    assert done.headers["Cache-Control"] == "no-store"
    db.session.expire_all()
    assert ada.has_two_factor and ada.totp_secret == secret
    assert "Two-factor sign-in was turned on" in helpers.text(outbox.last_to(ada.email))
    assert db.session.scalar(sa.select(AuditEntry.actor_id).where(AuditEntry.action == "enable_two_factor")) == ada.id


def test_sign_in_asks_for_a_code_and_accepts_spaces(app, csrf_off, enrolled, helpers):
    ada, secret, _codes = enrolled
    browser, response = sign_in(app, helpers, ada.email)
    assert response.location.startswith("/login/code")
    assert browser.get("/account/").status_code == 302  # the password alone signs nobody in
    assert "For 30 days." in browser.get("/login/code").get_data(as_text=True)  # TWO_FACTOR_REMEMBER_DEVICE
    typed = code(secret)
    response = browser.post("/login/code", data={"code": f" {typed[:3]} {typed[3:]} "})
    assert response.status_code == 302 and browser.get("/account/").status_code == 200


def test_a_code_is_refused_when_reused_or_two_steps_off(app, csrf_off, enrolled, helpers):
    ada, secret, _codes = enrolled
    first, response = sign_in(app, helpers, ada.email, code(secret, -1))  # a phone 30 s slow is fine
    assert first.get("/account/").status_code == 200
    for stale in (code(secret, -1), code(secret, -2), code(secret, 2)):
        thief, response = sign_in(app, helpers, ada.email, stale)
        assert "This code is not right, or was already used." in response.get_data(as_text=True)
        assert thief.get("/account/").status_code == 302


def test_a_recovery_code_works_once(app, csrf_off, enrolled, helpers):
    ada, _secret, codes = enrolled
    browser, _ = sign_in(app, helpers, ada.email, codes[0].upper())
    assert browser.get("/account/").status_code == 200
    again, response = sign_in(app, helpers, ada.email, codes[0])
    assert again.get("/account/").status_code == 302
    assert "unused recovery codes" not in response.get_data(as_text=True)
    assert "9 unused recovery codes" in browser.get("/account/two-factor").get_data(as_text=True)


def test_a_remembered_device_is_not_asked_again_until_the_secret_changes(app, csrf_off, enrolled, helpers):
    ada, secret, _codes = enrolled
    browser, _ = sign_in(app, helpers, ada.email, code(secret), remember_device="y")
    browser.post("/logout")
    assert helpers.login(browser, ada.email).location == "/"  # no second step on this device
    browser.post("/logout")
    two_factor.disable(ada)
    two_factor.enable(ada, two_factor.new_secret(), 0)
    db.session.commit()
    assert helpers.login(browser, ada.email).location.startswith("/login/code")


def test_guessing_codes_is_rate_limited_per_account(app, csrf_off, enrolled, helpers):
    ada, _secret, _codes = enrolled
    statuses = []
    for attempt in range(12):  # from a new address each time: the account's own limit still applies
        browser = app.test_client()
        browser.environ_base["REMOTE_ADDR"] = f"10.0.0.{attempt + 1}"
        helpers.login(browser, ada.email)
        statuses.append(browser.post("/login/code", data={"code": "000000"}).status_code)
    assert statuses[:10] == [200] * 10 and statuses[10:] == [429, 429]


def test_the_desk_needs_a_second_factor_for_the_secretariat(app, csrf_off, create_user, helpers):
    app.config["TWO_FACTOR_REQUIRED_FOR"] = ["secretariat"]
    boss = create_user(email="boss@example.org", is_secretariat=True)
    browser, _ = sign_in(app, helpers, boss.email)
    response = browser.get("/desk/queue")
    assert response.status_code == 302 and response.location == "/account/two-factor"
    secret = two_factor.new_secret()
    two_factor.enable(boss, secret, step_now(secret) - 5)
    db.session.commit()
    assert browser.get("/desk/queue").status_code == 200


def test_the_secretariat_resets_a_lost_second_factor(app, csrf_off, enrolled, create_user, helpers, outbox):
    ada, _secret, _codes = enrolled
    boss = create_user(email="boss@example.org", is_secretariat=True)
    desk, _ = sign_in(app, helpers, boss.email)
    response = desk.post(f"/desk/people/{ada.id}", data={"action": "reset_two_factor", "reason": "Lost her phone"})
    assert response.status_code == 302
    db.session.expire_all()
    assert not ada.has_two_factor
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "reset_two_factor"))
    assert entry.actor_id == boss.id and entry.object_id == ada.id and entry.reason == "Lost her phone"
    assert "The secretariat reset two-factor sign-in" in helpers.text(outbox.last_to(ada.email))
    browser, response = sign_in(app, helpers, ada.email)
    assert response.location == "/"  # a password alone again, until she sets it up anew


def test_the_database_holds_the_secret_sealed_and_a_rotated_key_still_opens_it(app, enrolled):
    """A copy of the database alone (a dump, a backup) gives nobody the second factor."""
    ada, secret, _codes = enrolled
    stored = db.session.scalar(sa.text("SELECT totp_secret FROM user_account WHERE id = :id"), {"id": ada.id})
    assert secret not in stored and stored.startswith("sealed:v1:")
    old_key = app.config["SECRET_KEY"]
    app.config.update(SECRET_KEY="a-new-secret-key-after-rotation", TWO_FACTOR_KEYS=["a new key", old_key])
    try:
        db.session.expire_all()
        assert db.session.get(type(ada), ada.id).totp_secret == secret
        app.config["TWO_FACTOR_KEYS"] = ["a new key"]
        db.session.expire_all()
        with pytest.raises(RuntimeError, match="TWO_FACTOR_KEYS"):
            db.session.get(type(ada), ada.id).totp_secret
    finally:
        app.config.update(SECRET_KEY=old_key, TWO_FACTOR_KEYS=[])
        db.session.expire_all()
