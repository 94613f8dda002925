"""A person's own account: password and email changes (current password asked), and the profile."""

import pytest


@pytest.fixture
def ada(create_user):
    return create_user(email="ada@example.org", name="Ada Obi")


@pytest.fixture
def signed_in(client, csrf_off, ada, helpers):
    helpers.login(client, "ada@example.org")
    return client


def test_change_password_ends_the_other_sessions_only(app, signed_in, ada, helpers):
    laptop = app.test_client()
    helpers.login(laptop, "ada@example.org", remember="y")
    response = signed_in.post("/account/password", data={"current_password": helpers.PASSWORD,
                                                         "password": helpers.NEW_PASSWORD})
    assert response.status_code == 302
    assert signed_in.get("/account/").status_code == 200  # this session continues
    assert laptop.get("/account/").status_code == 302  # the other one has ended, remember-me included
    laptop.delete_cookie("session")
    assert laptop.get("/account/").status_code == 302
    assert helpers.login(app.test_client(), "ada@example.org", helpers.NEW_PASSWORD).status_code == 302


def test_change_password_needs_the_current_one(signed_in, helpers):
    response = signed_in.post("/account/password", data={"current_password": "a wrong guess here",
                                                         "password": helpers.NEW_PASSWORD})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "Your current password is not right." in html
    assert helpers.NEW_PASSWORD not in html and "a wrong guess here" not in html
    assert helpers.user("ada@example.org").check_password(helpers.PASSWORD)


def test_change_email_is_confirmed_from_the_new_address(signed_in, outbox, helpers):
    response = signed_in.post("/account/email", data={"email": "Ada.Obi@New.example.org",
                                                      "current_password": helpers.PASSWORD})
    assert response.status_code == 302
    assert helpers.user("ada@example.org") is not None  # not changed yet
    path = helpers.link_path(outbox.last_to("ada.obi@new.example.org"), "/account/email/confirm/")
    page = signed_in.get(path)
    assert page.status_code == 200 and "ada.obi@new.example.org" in page.get_data(as_text=True)
    assert helpers.user("ada@example.org") is not None  # GET changes nothing
    assert signed_in.post(path).status_code == 302
    assert helpers.user("ada@example.org") is None
    assert helpers.user("ada.obi@new.example.org").is_verified
    assert signed_in.post(path).status_code == 400  # the link worked once
    assert helpers.login(signed_in.application.test_client(), "ada.obi@new.example.org").status_code == 302


def test_change_email_needs_the_current_password(signed_in, outbox, helpers):
    response = signed_in.post("/account/email", data={"email": "new@example.org", "current_password": "wrong one!!"})
    html = response.get_data(as_text=True)
    assert "Your current password is not right." in html and 'value="new@example.org"' in html
    assert outbox.to("new@example.org") == []


def test_change_email_to_one_already_used(signed_in, create_user, outbox, helpers):
    create_user(email="taken@example.org")
    response = signed_in.post("/account/email", data={"email": "taken@example.org",
                                                      "current_password": helpers.PASSWORD})
    assert "Another account already uses this email." in response.get_data(as_text=True)
    assert outbox.to("taken@example.org") == []


def test_change_email_link_taken_meanwhile_is_refused(signed_in, create_user, outbox, helpers):
    signed_in.post("/account/email", data={"email": "new@example.org", "current_password": helpers.PASSWORD})
    path = helpers.link_path(outbox.last_to("new@example.org"), "/account/email/confirm/")
    create_user(email="new@example.org")
    response = signed_in.post(path, follow_redirects=True)
    assert "Another account already uses this email." in response.get_data(as_text=True)
    assert helpers.user("ada@example.org") is not None


def test_change_email_link_is_only_for_its_own_account(app, signed_in, create_user, outbox, helpers):
    signed_in.post("/account/email", data={"email": "new@example.org", "current_password": helpers.PASSWORD})
    path = helpers.link_path(outbox.last_to("new@example.org"), "/account/email/confirm/")
    create_user(email="eve@example.org")
    eve = app.test_client()
    helpers.login(eve, "eve@example.org")
    assert eve.post(path).status_code == 400
    assert helpers.user("eve@example.org") is not None and helpers.user("new@example.org") is None


def test_change_email_link_expires(app, signed_in, outbox, helpers):
    signed_in.post("/account/email", data={"email": "new@example.org", "current_password": helpers.PASSWORD})
    path = helpers.link_path(outbox.last_to("new@example.org"), "/account/email/confirm/")
    app.config["EMAIL_CHANGE_TOKEN_MAX_AGE"] = -1
    response = signed_in.post(path)
    assert response.status_code == 400 and "This link has expired." in response.get_data(as_text=True)


def test_profile_languages_time_zone_bio_expertise(signed_in, ada, helpers):
    response = signed_in.post("/account/", data={
        "name": "Ada Obi-Mensah", "languages": ["en", "sw", "fr"], "locale": "fr", "timezone": "Africa/Nairobi",
        "bio": "Policy officer.", "expertise": "Budget tracking"})
    assert response.status_code == 302
    person = helpers.user("ada@example.org")
    assert (person.name, person.languages, person.locale, person.timezone) == (
        "Ada Obi-Mensah", ["en", "sw", "fr"], "fr", "Africa/Nairobi")
    assert (person.bio, person.expertise) == ("Policy officer.", "Budget tracking")
    page = signed_in.get("/account/").get_data(as_text=True)
    assert '<html lang="fr"' in page  # the interface follows the preference
    assert '<option selected value="Africa/Nairobi">' in page
    # The saved preference wins over the browser's Accept-Language...
    assert '<html lang="fr"' in signed_in.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)
    # ...until the person lets the browser choose again.
    signed_in.post("/account/", data={"name": "Ada", "locale": "", "timezone": "UTC"})
    assert helpers.user("ada@example.org").locale is None
    assert '<html lang="es"' in signed_in.get("/", headers={"Accept-Language": "es"}).get_data(as_text=True)


def test_profile_rejects_unknown_choices(signed_in, helpers):
    response = signed_in.post("/account/", data={"name": "Ada", "locale": "xx", "timezone": "Mars/Olympus",
                                                 "languages": ["klingon"]})
    assert response.status_code == 200
    assert helpers.user("ada@example.org").timezone is None  # still not chosen
    html = response.get_data(as_text=True)
    for name in ("locale", "timezone"):
        assert f'<p class="error" id="{name}-error">Not a valid choice.</p>' in html


def test_account_pages_need_sign_in(client):
    for path in ("/account/", "/account/password", "/account/email"):
        response = client.get(path)
        assert response.status_code == 302 and "/login?next=" in response.location


def test_change_email_losing_a_race_at_commit(signed_in, create_user, outbox, helpers, monkeypatch):
    """Someone takes the address between our check and our commit: the unique constraint answers, no 500."""
    from hub.accounts import services
    signed_in.post("/account/email", data={"email": "new@example.org", "current_password": helpers.PASSWORD})
    path = helpers.link_path(outbox.last_to("new@example.org"), "/account/email/confirm/")
    create_user(email="new@example.org")
    monkeypatch.setattr(services, "email_taken", lambda email, except_user=None: False)
    response = signed_in.post(path, follow_redirects=True)
    assert response.status_code == 200
    assert "Another account already uses this email." in response.get_data(as_text=True)
    assert helpers.user("ada@example.org") is not None


def test_remember_me_survives_a_password_change_on_this_device(signed_in, helpers):
    signed_in.post("/logout")
    helpers.login(signed_in, "ada@example.org", remember="y")
    signed_in.post("/account/password", data={"current_password": helpers.PASSWORD,
                                              "password": helpers.NEW_PASSWORD})
    signed_in.delete_cookie("session")
    assert signed_in.get("/account/").status_code == 200
