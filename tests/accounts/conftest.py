"""Helpers for the people tests: registering through the forms, reading mail, CSRF tokens, signing in."""

import re
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from hub.accounts.models import User
from hub.extensions import db

PASSWORD = "correct horse battery staple"
NEW_PASSWORD = "purple lantern under the bridge"
_TOKEN = re.compile(r'name="csrf_token"[^>]*? value="([^"]+)"')


def csrf_token(response) -> str:
    """The CSRF token of the form on a page."""
    found = _TOKEN.search(response.get_data(as_text=True))
    assert found, "no CSRF token on the page"
    return found.group(1)


def text_part(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def html_part(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def link_path(message, marker: str) -> str:
    """The local path of the first link in the plain-text part containing `marker`."""
    for word in text_part(message).split():
        if marker in word and word.startswith("http"):
            return "/" + word.split("://", 1)[1].split("/", 1)[1]
    raise AssertionError(f"no link with {marker!r} in message")


def user_by_email(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.email == email))


def login(client, email, password=PASSWORD, **extra):
    """Sign in with whatever CSRF setting is on: the token is read from the sign-in page."""
    environ = extra.pop("environ_base", None) or {}
    query = extra.pop("query", "")
    data = {"email": email, "password": password, **extra}
    if client.application.config.get("WTF_CSRF_ENABLED", True):
        data["csrf_token"] = csrf_token(client.get("/login"))
    return client.post("/login" + query, data=data, environ_base=environ)


@pytest.fixture
def helpers():
    """The module's helper functions, as one namespace."""
    return SimpleNamespace(csrf_token=csrf_token, text=text_part, html=html_part, link_path=link_path,
                           user=user_by_email, login=login, PASSWORD=PASSWORD, NEW_PASSWORD=NEW_PASSWORD)


@pytest.fixture
def register(client, csrf_off):
    """Post the registration form (CSRF off); organisation is an Organisation, an id or 'not-listed'."""
    def post(email="amina@example.org", name="Amina Diallo", password=PASSWORD, organisation=None, headers=None,
             **extra):
        org = getattr(organisation, "id", organisation)
        data = {"name": name, "email": email, "password": password, "organisation": str(org or ""), **extra}
        return client.post("/register", data=data, headers=headers or {})
    return post


@pytest.fixture
def verified_applicant(client, register, outbox, create_org):
    """Register someone and follow their confirmation link: a verified, pending account."""
    def make(email="amina@example.org", organisation=None, **extra):
        organisation = organisation or create_org()
        response = register(email=email, organisation=organisation, **extra)
        assert response.status_code == 302, response.get_data(as_text=True)
        path = link_path(outbox.last_to(email), "/verify/")
        assert client.post(path).status_code == 302
        user = user_by_email(email)
        assert user.is_verified and user.is_pending
        return user
    return make
