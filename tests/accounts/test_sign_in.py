"""Signing in and out: remember me, a fresh session on every sign-in, and only local redirects."""

import pytest

from hub.accounts.models import User
from hub.extensions import db

REMEMBER = "remember_token"


def cookie(client, name):
    return client.get_cookie(name)


def test_sign_in_and_out(client, csrf_off, create_user, helpers):
    person = create_user(email="ada@example.org", name="Ada Obi")
    response = helpers.login(client, "ADA@example.org ")
    assert response.status_code == 302 and response.location == "/"
    home = client.get("/").get_data(as_text=True)
    assert "Welcome, Ada Obi." in home and "Sign out" in home
    db.session.expire_all()
    assert db.session.get(User, person.id).last_login_at is not None

    assert cookie(client, REMEMBER) is None  # not asked to remember
    out = client.post("/logout", follow_redirects=True)
    assert "You are signed out." in out.get_data(as_text=True)
    assert client.get("/account/").status_code == 302


def test_wrong_password_keeps_the_email_but_never_the_password(client, csrf_off, create_user, helpers):
    create_user(email="ada@example.org")
    response = helpers.login(client, "ada@example.org", "not my password at all")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Email or password is incorrect." in html
    assert 'value="ada@example.org"' in html
    assert "not my password at all" not in html
    # The same answer for an address with no account (no enumeration).
    unknown = helpers.login(client, "nobody@example.org", "not my password at all").get_data(as_text=True)
    assert "Email or password is incorrect." in unknown


def test_remember_me_keeps_the_person_signed_in_after_the_browser_closes(client, csrf_off, create_user, helpers):
    create_user(email="ada@example.org")
    helpers.login(client, "ada@example.org", remember="y")
    remembered = cookie(client, REMEMBER)
    assert remembered is not None and remembered.http_only
    client.delete_cookie("session")  # the browser closed: the session cookie is gone
    assert client.get("/account/").status_code == 200

    client.post("/logout")
    assert cookie(client, REMEMBER) is None
    assert client.get("/account/").status_code == 302  # signing out forgets the device too


def test_a_new_session_on_sign_in_keeps_only_the_language(client, csrf_off, create_user, helpers):
    create_user(email="ada@example.org")
    client.post("/language", data={"lang": "fr", "next": "/"})
    with client.session_transaction() as session:
        session["planted"] = "by someone before sign-in"
    before = cookie(client, "session").value
    helpers.login(client, "ada@example.org")
    assert cookie(client, "session").value != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["locale"] == "fr"
    assert '<html lang="fr"' in client.get("/").get_data(as_text=True)


def test_the_session_cookie_is_http_only_and_same_site(client, csrf_off, create_user, helpers):
    create_user(email="ada@example.org")
    helpers.login(client, "ada@example.org")
    session_cookie = cookie(client, "session")
    assert session_cookie.http_only and session_cookie.same_site == "Lax"


def test_next_is_followed_when_local(client, csrf_off, create_user, helpers):
    create_user(email="ada@example.org")
    asked = client.get("/account/password")
    assert asked.status_code == 302 and "next=/account/password" in asked.location
    response = helpers.login(client, "ada@example.org", query="?next=/account/password")
    assert response.location == "/account/password"


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/", "/\\evil.example", "\\\\evil.example", "/\t/evil.example",
    "javascript:alert(1)", "http:/evil.example", " //evil.example"])
def test_next_never_leaves_the_hub(client, csrf_off, create_user, helpers, target):
    create_user(email="ada@example.org")
    from urllib.parse import quote
    response = helpers.login(client, "ada@example.org", query="?next=" + quote(target, safe=""))
    assert response.status_code == 302
    assert response.location == "/"


def test_signed_in_people_visiting_the_sign_in_page_are_sent_on(client, csrf_off, create_user, helpers):
    create_user(email="ada@example.org")
    helpers.login(client, "ada@example.org")
    assert client.get("/login?next=//evil.example").location == "/"
    assert client.get("/register").location == "/"


def test_logout_needs_post(client, csrf_off, create_user, helpers):
    create_user(email="ada@example.org")
    helpers.login(client, "ada@example.org")
    assert client.get("/logout").status_code == 405
    assert client.get("/account/").status_code == 200  # still signed in
