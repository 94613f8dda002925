"""Bad input on every accounts form: a message next to the field, what was typed kept (never a password)."""

import re

import pytest
import sqlalchemy as sa

from hub.accounts.models import User
from hub.extensions import db

SECRET = "my secret typed words"


def field_error(html: str, field_id: str) -> str:
    """The message shown next to a field ('' when none)."""
    found = re.search(rf'<p class="error" id="{field_id}-error">(.*?)</p>', html, re.S)
    return found.group(1) if found else ""


def accounts() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(User))


@pytest.fixture
def org(create_org):
    organisation = create_org("Senegal Coalition", country="SN")
    db.session.commit()
    return organisation


@pytest.mark.parametrize("changes, field, message", [
    ({"name": ""}, "name", "This field is required."),
    ({"name": "   "}, "name", "This field is required."),
    ({"name": "N" * 121}, "name", "Use at most 120 characters."),
    ({"email": ""}, "email", "This field is required."),
    ({"email": "amina.example.org"}, "email", "Enter a valid email address"),
    ({"email": "a" * 250 + "@x.org"}, "email", "at most 254 characters"),
    ({"password": ""}, "password", "This field is required."),
    ({"password": "short one"}, "password", "Use at least 10 characters."),
    ({"password": "p" * 64 + "q" * 65}, "password", "Use at most 128 characters."),
    ({"organisation": ""}, "organisation", "This field is required."),
    ({"organisation": "999999"}, "organisation", "Not a valid choice."),
    ({"organisation": "not-listed"}, "new_organisation_name", "Tell us the name of your organisation."),
    ({"organisation": "not-listed"}, "new_organisation_country", "Choose the country of your organisation."),
    ({"organisation": "not-listed", "new_organisation_name": "X" * 201, "new_organisation_country": "SN"},
     "new_organisation_name", "Use at most 200 characters."),
    ({"organisation": "not-listed", "new_organisation_name": "New", "new_organisation_country": "ZZ"},
     "new_organisation_country", "Not a valid choice."),
])
def test_register_bad_input(client, csrf_off, org, changes, field, message):
    data = {"name": "Amina Diallo", "email": "amina@example.org", "password": SECRET, "organisation": str(org.id),
            **changes}
    response = client.post("/register", data=data)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert message in field_error(html, field)
    assert "Please correct the fields marked below." in html
    assert SECRET not in html
    if data["name"].strip() and len(data["name"]) <= 120:
        assert 'value="Amina Diallo"' in html  # what was typed is kept
    assert accounts() == 0


def test_register_with_an_email_already_used(app, client, csrf_off, org, create_user, outbox):
    """The same answer as for a new address (nobody learns who has an account); the owner is told by email."""
    create_user(email="amina@example.org")
    data = {"name": "Amina Diallo", "password": SECRET, "organisation": str(org.id)}
    taken = client.post("/register", data={**data, "email": "AMINA@example.org "})
    new = app.test_client().post("/register", data={**data, "email": "someone.new@example.org"})
    assert taken.status_code == new.status_code == 302 and taken.location == new.location
    assert accounts() == 2
    told = outbox.last_to("amina@example.org")
    assert "already has one" in told.get_body(preferencelist=("plain",)).get_content()
    assert "/password/forgot" in told.get_body(preferencelist=("plain",)).get_content()


def test_register_for_an_organisation_not_in_the_directory(client, csrf_off, create_org):
    proposed = create_org("Proposed Coalition", status="proposed")
    db.session.commit()
    response = client.post("/register", data={"name": "Amina Diallo", "email": "amina@example.org",
                                              "password": SECRET, "organisation": str(proposed.id)})
    assert "Not a valid choice." in field_error(response.get_data(as_text=True), "organisation")
    assert accounts() == 0


def test_register_error_messages_are_translated(client, csrf_off, org):
    response = client.post("/register", data={"name": "Amina", "email": "nope", "password": SECRET,
                                              "organisation": str(org.id)}, headers={"Accept-Language": "fr"})
    html = response.get_data(as_text=True)
    assert '<html lang="fr"' in html and field_error(html, "email")


@pytest.mark.parametrize("data, field, message", [
    ({"email": "", "password": SECRET}, "email", "This field is required."),
    ({"email": "ada", "password": SECRET}, "email", "Enter a valid email address"),
    ({"email": "ada@example.org", "password": ""}, "password", "This field is required."),
    ({"email": "ada@example.org", "password": SECRET}, "password", "Email or password is incorrect."),
])
def test_login_bad_input(client, csrf_off, create_user, data, field, message):
    create_user(email="ada@example.org")
    html = client.post("/login", data=data).get_data(as_text=True)
    assert message in field_error(html, field)
    assert SECRET not in html
    if data["email"]:
        assert f'value="{data["email"]}"' in html


@pytest.mark.parametrize("path", ["/password/forgot", "/verify/resend"])
def test_email_only_forms_bad_input(client, csrf_off, path):
    html = client.post(path, data={"email": "not an email"}).get_data(as_text=True)
    assert "Enter a valid email address" in field_error(html, "email")
    assert 'value="not an email"' in html
    html = client.post(path, data={"email": ""}).get_data(as_text=True)
    assert "This field is required." in field_error(html, "email")


def test_resend_verification(client, csrf_off, register, create_org, outbox, helpers):
    register(organisation=create_org())
    response = client.post("/verify/resend", data={"email": "amina@example.org"})
    assert response.status_code == 302 and len(outbox.to("amina@example.org")) == 2
    client.post(helpers.link_path(outbox.last_to("amina@example.org"), "/verify/"))
    client.post("/verify/resend", data={"email": "amina@example.org"})
    client.post("/verify/resend", data={"email": "nobody@example.org"})
    assert len(outbox.to("amina@example.org")) == 2 and outbox.to("nobody@example.org") == []


def test_verification_link_expired_or_tampered(app, client, csrf_off, register, create_org, outbox, helpers):
    register(organisation=create_org())
    path = helpers.link_path(outbox.last_to("amina@example.org"), "/verify/")
    assert client.post(path + "x").status_code == 400
    app.config["VERIFY_TOKEN_MAX_AGE"] = -1
    response = client.post(path)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "This link has expired." in html and "/verify/resend" in html
    assert not helpers.user("amina@example.org").is_verified


@pytest.fixture
def signed_in(client, csrf_off, create_user, helpers):
    create_user(email="ada@example.org", name="Ada Obi")
    helpers.login(client, "ada@example.org")
    return client


@pytest.mark.parametrize("data, field, message", [
    ({"current_password": "", "password": SECRET}, "current_password", "This field is required."),
    ({"current_password": "correct horse battery staple", "password": ""}, "password", "This field is required."),
    ({"current_password": "correct horse battery staple", "password": "tiny pass"}, "password",
     "Use at least 10 characters."),
    ({"current_password": "correct horse battery staple", "password": "x" * 129}, "password",
     "Use at most 128 characters."),
    ({"current_password": "correct horse battery staple", "password": "1234567890"}, "password", "too common"),
    ({"current_password": SECRET, "password": "a fine new password"}, "current_password",
     "Your current password is not right."),
])
def test_change_password_bad_input(signed_in, helpers, data, field, message):
    html = signed_in.post("/account/password", data=data).get_data(as_text=True)
    assert message in field_error(html, field)
    assert SECRET not in html and "a fine new password" not in html
    assert helpers.user("ada@example.org").check_password(helpers.PASSWORD)


@pytest.mark.parametrize("data, field, message", [
    ({"email": "", "current_password": "correct horse battery staple"}, "email", "This field is required."),
    ({"email": "new@", "current_password": "correct horse battery staple"}, "email", "Enter a valid email"),
    ({"email": "n" * 250 + "@x.org", "current_password": "correct horse battery staple"}, "email", "at most 254"),
    ({"email": "new@example.org", "current_password": ""}, "current_password", "This field is required."),
    ({"email": "new@example.org", "current_password": SECRET}, "current_password",
     "Your current password is not right."),
])
def test_change_email_bad_input(signed_in, outbox, data, field, message):
    html = signed_in.post("/account/email", data=data).get_data(as_text=True)
    assert message in field_error(html, field)
    assert SECRET not in html
    if data["email"] and len(data["email"]) < 254:
        assert f'value="{data["email"]}"' in html
    assert outbox.messages == []


@pytest.mark.parametrize("changes, field, message", [
    ({"name": ""}, "name", "This field is required."),
    ({"name": "N" * 121}, "name", "Use at most 120 characters."),
    ({"bio": "b" * 1001}, "bio", "Use at most 1000 characters."),
    ({"expertise": "e" * 1001}, "expertise", "Use at most 1000 characters."),
])
def test_profile_bad_input(signed_in, helpers, changes, field, message):
    data = {"name": "Ada Obi", "locale": "en", "timezone": "Africa/Lagos", "bio": "My typed bio", **changes}
    html = signed_in.post("/account/", data=data).get_data(as_text=True)
    assert message in field_error(html, field)
    if "bio" not in changes:
        assert "My typed bio" in html
    assert helpers.user("ada@example.org").timezone is None  # still not chosen


def test_review_message_too_long(app, verified_applicant, create_user, helpers):
    create_user(email="desk@example.org", is_secretariat=True)
    applicant = verified_applicant()
    desk = app.test_client()
    helpers.login(desk, "desk@example.org")
    response = desk.post(f"/registrations/{applicant.id}", data={"approve": "Approve", "message": "m" * 1001},
                         follow_redirects=True)
    assert "Use at most 1000 characters." in response.get_data(as_text=True)
    assert helpers.user("amina@example.org").is_pending
    assert desk.post("/registrations/999999", data={"approve": "Approve"}).status_code == 404
