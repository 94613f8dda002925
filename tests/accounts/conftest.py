"""Helpers for the people tests: registering through the forms and reading mail. Signing in, CSRF tokens and
links in mail are the top conftest's (Auth, csrf_token, link_path): one way for every folder."""

from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from hub.accounts.models import User
from hub.extensions import db
from tests.conftest import PASSWORD, Auth, body, csrf_token, link_path

NEW_PASSWORD = "purple lantern under the bridge"


def html_part(message) -> str:
    return message.get_body(preferencelist=("html",)).get_content()


def user_by_email(email: str) -> User | None:
    db.session.expire_all()
    return db.session.scalar(sa.select(User).where(User.email == email))


def login(client, email, password=PASSWORD, **extra):
    """The top conftest's Auth on `client`, stopping at the second-factor step (these tests check it)."""
    return Auth(client).login(email, password, second_factor=False, **extra)


@pytest.fixture
def helpers():
    """The module's helper functions, as one namespace."""
    return SimpleNamespace(csrf_token=csrf_token, text=body, html=html_part, link_path=link_path,
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
