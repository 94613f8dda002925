"""Security notices by email, and passwords compared in one Unicode normal form."""

import unicodedata

from werkzeug.security import generate_password_hash

from hub.extensions import db


def test_an_email_change_is_told_to_the_old_address_which_can_stop_it(app, client, csrf_off, create_user, helpers,
                                                                        outbox):
    ada = create_user(email="ada@example.org", locale="fr")
    helpers.login(client, ada.email)
    client.post("/account/email", data={"email": "thief@example.org", "current_password": helpers.PASSWORD})
    notice = outbox.last_to("ada@example.org")
    assert notice["Content-Language"] == "fr" and "thief@example.org" in helpers.text(notice)
    confirm = helpers.link_path(outbox.last_to("thief@example.org"), "/account/email/confirm/")
    stop = helpers.link_path(notice, "/email/stop/")
    owner = app.test_client()  # the owner, reading mail elsewhere, not signed in
    assert owner.get(stop).status_code == 200
    assert owner.post(stop).location == "/password/forgot"
    assert client.get("/account/").status_code == 302  # every session ended…
    helpers.login(client, ada.email)
    assert client.post(confirm).status_code == 400  # …and the change can no longer be confirmed
    assert helpers.user("ada@example.org") is not None
    assert owner.post(stop).status_code == 400  # the stop link works once


def test_a_password_change_is_told(client, csrf_off, create_user, helpers, outbox):
    ada = create_user(email="ada@example.org")
    helpers.login(client, ada.email)
    client.post("/account/password", data={"current_password": helpers.PASSWORD, "password": helpers.NEW_PASSWORD})
    assert "password of your account was just changed" in helpers.text(outbox.last_to(ada.email))


def test_a_sign_in_from_a_new_device_is_told_once(app, csrf_off, create_user, helpers, outbox):
    ada = create_user(email="ada@example.org")
    laptop = app.test_client()
    helpers.login(laptop, ada.email)
    assert outbox.to(ada.email) == []  # the very first sign-in is not news
    laptop.post("/logout")
    helpers.login(laptop, ada.email)
    assert outbox.to(ada.email) == []  # the same browser again
    phone = app.test_client()
    phone.environ_base["HTTP_USER_AGENT"] = "Mozilla/5.0 (Android 14; Mobile; rv:133.0) Gecko/133.0 Firefox/133.0"
    helpers.login(phone, ada.email)
    told = helpers.text(outbox.last_to(ada.email))
    assert "not seen before: Firefox · Android" in told and "/account/devices" in told


def test_a_password_matches_in_any_unicode_normal_form(app, client, csrf_off, create_user, helpers):
    composed = "crème brûlée à l'orange"
    decomposed = unicodedata.normalize("NFD", composed)
    assert composed != decomposed
    create_user(email="ada@example.org", password=composed)
    assert helpers.login(client, "ada@example.org", decomposed).location == "/"


def test_a_hash_made_before_normalising_still_matches_and_is_renewed(app, csrf_off, create_user, helpers):
    decomposed = unicodedata.normalize("NFD", "crème brûlée à l'orange")
    ada = create_user(email="ada@example.org")
    ada.password_hash = generate_password_hash(decomposed, method=app.config["PASSWORD_HASH_METHOD"])
    db.session.commit()
    assert helpers.login(app.test_client(), ada.email, decomposed).location == "/"  # typed as before
    composed = unicodedata.normalize("NFC", decomposed)
    assert helpers.login(app.test_client(), ada.email, composed).location == "/"  # renewed in NFKC
