"""A forgotten password: an emailed link that expires, works once, and tells strangers nothing."""


def ask_for_reset(client, email):
    return client.post("/password/forgot", data={"email": email}, follow_redirects=True)


def test_reset_by_emailed_link(app, client, csrf_off, create_user, outbox, helpers):
    person = create_user(email="ada@example.org", locale="pt")
    other_device = app.test_client()
    helpers.login(other_device, "ada@example.org")

    response = ask_for_reset(client, "Ada@example.org")
    assert response.status_code == 200 and "Check your email" in response.get_data(as_text=True)
    message = outbox.last_to("ada@example.org")
    assert message["Content-Language"] == "pt" and 'lang="pt"' in helpers.html(message)
    path = helpers.link_path(message, "/password/reset/")

    page = client.get(path)
    assert page.status_code == 200 and 'type="password"' in page.get_data(as_text=True)
    changed = client.post(path, data={"password": helpers.NEW_PASSWORD})
    assert changed.status_code == 302 and changed.location == "/login"

    assert helpers.login(client, "ada@example.org", helpers.PASSWORD).status_code == 200  # old one refused
    assert helpers.login(client, "ada@example.org", helpers.NEW_PASSWORD).status_code == 302
    assert helpers.user(person.email).password_hash.startswith("scrypt:")
    assert other_device.get("/account/").status_code == 302  # sessions elsewhere have ended


def test_a_reset_link_works_once(client, csrf_off, create_user, outbox, helpers):
    create_user(email="ada@example.org")
    ask_for_reset(client, "ada@example.org")
    path = helpers.link_path(outbox.last_to("ada@example.org"), "/password/reset/")
    assert client.post(path, data={"password": helpers.NEW_PASSWORD}).status_code == 302

    reused = client.post(path, data={"password": "a third password nobody knows"})
    assert reused.status_code == 400
    assert "not valid, or it was already used" in reused.get_data(as_text=True)
    assert client.get(path).status_code == 400
    assert helpers.login(client, "ada@example.org", helpers.NEW_PASSWORD).status_code == 302


def test_an_expired_reset_link_is_refused(app, client, csrf_off, create_user, outbox, helpers):
    create_user(email="ada@example.org")
    ask_for_reset(client, "ada@example.org")
    path = helpers.link_path(outbox.last_to("ada@example.org"), "/password/reset/")
    app.config["RESET_TOKEN_MAX_AGE"] = -1  # every link is now older than allowed
    response = client.post(path, data={"password": helpers.NEW_PASSWORD})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "This link has expired." in html and "/password/forgot" in html
    assert helpers.login(client, "ada@example.org", helpers.PASSWORD).status_code == 302


def test_a_tampered_link_is_refused(client, csrf_off, create_user, outbox, helpers):
    create_user(email="ada@example.org")
    ask_for_reset(client, "ada@example.org")
    path = helpers.link_path(outbox.last_to("ada@example.org"), "/password/reset/")
    assert client.get(path[:-3] + "abc").status_code == 400
    assert client.get("/password/reset/not-a-token").status_code == 400


def test_the_same_answer_for_unknown_emails(client, csrf_off, create_user, outbox):
    create_user(email="ada@example.org")
    known = ask_for_reset(client, "ada@example.org").get_data(as_text=True)
    unknown = ask_for_reset(client, "nobody@example.org").get_data(as_text=True)
    assert known.replace("ada@example.org", "X") == unknown.replace("nobody@example.org", "X")
    assert outbox.to("nobody@example.org") == []
    assert len(outbox.to("ada@example.org")) == 1


def test_reset_rejects_a_weak_new_password(client, csrf_off, create_user, outbox, helpers):
    create_user(email="ada@example.org")
    ask_for_reset(client, "ada@example.org")
    path = helpers.link_path(outbox.last_to("ada@example.org"), "/password/reset/")
    response = client.post(path, data={"password": "password123"})
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "too common" in html and "password123" not in html
    assert helpers.login(client, "ada@example.org", helpers.PASSWORD).status_code == 302
