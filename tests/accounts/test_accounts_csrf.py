"""With CSRF on (as in production): forms carry a token, a POST without one is refused, GET changes nothing."""

import pytest

from hub.accounts import tokens


@pytest.fixture
def world(app, client, create_org, create_user, outbox, helpers):
    """An organisation, its focal point, an applicant waiting, and Ada signed in (CSRF on)."""
    org = create_org("Nepal Coalition", country="NP")
    focal = create_user(email="focal@example.org", organisation=org, is_focal_point=True)
    applicant = create_user(email="wait@example.org", organisation=org, status="pending")
    ada = create_user(email="ada@example.org", name="Ada Obi")
    assert helpers.login(client, "ada@example.org").status_code == 302
    return {"org": org, "focal": focal, "applicant": applicant, "ada": ada}


def _paths(world):
    ada, applicant = world["ada"], world["applicant"]
    return [
        "/register", "/login", "/logout", "/verify/resend", "/password/forgot",
        "/verify/" + tokens.make_token(tokens.VERIFY, applicant),
        "/password/reset/" + tokens.make_token(tokens.RESET, ada),
        "/account/", "/account/password", "/account/email",
        "/account/email/confirm/" + tokens.make_token(tokens.CHANGE_EMAIL, ada, new="new@example.org"),
        f"/registrations/{applicant.id}", "/language",
    ]


def test_posts_without_a_token_are_refused(client, world, helpers):
    data = {"email": "ada@example.org", "password": "a brand new password", "current_password": helpers.PASSWORD,
            "name": "Changed", "locale": "fr", "timezone": "Asia/Kathmandu", "approve": "Approve", "lang": "ar"}
    for path in _paths(world):
        response = client.post(path, data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 400, path
        assert "This form has expired or was sent from elsewhere." in html, path
    ada = helpers.user("ada@example.org")
    assert (ada.name, ada.locale, ada.timezone) == ("Ada Obi", None, None)  # time zone still not chosen
    assert ada.check_password(helpers.PASSWORD)
    assert helpers.user("wait@example.org").is_pending
    assert client.get("/account/").status_code == 200  # still signed in: logout was refused too


def test_a_token_from_another_session_is_refused(app, client, world, helpers):
    other = app.test_client()
    stolen = helpers.csrf_token(other.get("/login"))
    response = client.post("/account/password", data={"csrf_token": stolen, "current_password": helpers.PASSWORD,
                                                       "password": "a brand new password"})
    assert response.status_code == 400
    assert helpers.user("ada@example.org").check_password(helpers.PASSWORD)


def test_get_changes_nothing(client, world, helpers):
    for path in _paths(world):
        assert client.get(path).status_code in (200, 302, 405), path
    assert helpers.user("wait@example.org").is_pending and not helpers.user("new@example.org")
    assert helpers.user("ada@example.org").check_password(helpers.PASSWORD)
    assert client.get("/account/").status_code == 200


def test_the_whole_journey_with_real_forms(app, client, create_org, create_user, outbox, helpers):
    """Register, confirm, be approved and sign out, every POST with the token its page gave."""
    org = create_org("Peru Coalition", country="PE")
    create_user(email="focal@example.org", organisation=org, is_focal_point=True)
    form = client.get("/register")
    client.post("/register", data={"csrf_token": helpers.csrf_token(form), "name": "Rosa Quispe",
                                   "email": "rosa@example.org", "password": "andean lakes are deep",
                                   "organisation": str(org.id)})
    path = helpers.link_path(outbox.last_to("rosa@example.org"), "/verify/")
    confirm = client.get(path)
    assert client.post(path, data={"csrf_token": helpers.csrf_token(confirm)}).status_code == 302

    reviewer = app.test_client()
    helpers.login(reviewer, "focal@example.org")
    listing = reviewer.get("/registrations")
    rosa = helpers.user("rosa@example.org")
    decided = reviewer.post(f"/registrations/{rosa.id}",
                            data={"csrf_token": helpers.csrf_token(listing), "approve": "Approve", "message": ""})
    assert decided.status_code == 302 and helpers.user("rosa@example.org").is_active

    assert helpers.login(client, "rosa@example.org", "andean lakes are deep").status_code == 302
    home = client.get("/")
    assert client.post("/logout", data={"csrf_token": helpers.csrf_token(home)}).status_code == 302
    assert client.get("/account/").status_code == 302
