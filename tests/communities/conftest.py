"""Factories for community tests: people in each role (created without slow password hashing),
communities built through the service (signing in: the root conftest's sign_in)."""

import pytest
from werkzeug.security import generate_password_hash

from hub.accounts.models import ACTIVE, User
from hub.communities import services
from hub.communities.models import MEMBER, REQUESTED, Membership
from hub.db import utcnow
from hub.extensions import db

PASSWORD = "correct horse battery staple"
_HASH = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


@pytest.fixture
def person(create_org):
    """An active person (hashing once per run: a privacy walk creates hundreds)."""
    counter = iter(range(1, 100_000))
    org = {}

    def make(name=None, **fields):
        n = next(counter)
        if "organisation" not in fields:
            org.setdefault("default", create_org("Test Coalition", "KE"))
            fields["organisation"] = org["default"]
        user = User(email=fields.pop("email", f"p{n}@example.org"), name=name or f"Person {n}",
                    handle=fields.pop("handle", f"person-{n}"), password_hash=_HASH, status=ACTIVE,
                    email_verified_at=utcnow(), **fields)
        db.session.add(user)
        db.session.commit()
        return user
    return make


@pytest.fixture
def make_community():
    """A community made by the service (its creator is the first facilitator); members added by name."""
    counter = iter(range(1, 100_000))

    def make(creator, visibility="public", join_policy="open", members=(), **fields):
        n = next(counter)
        data = {"title": fields.pop("title", f"Community {n}"), "slug": fields.pop("slug", f"community-{n}"),
                "description": fields.pop("description", "About us."), "languages": fields.pop("languages", ["en"]),
                "themes": fields.pop("themes", []), "region": fields.pop("region", None),
                "visibility": visibility, "join_policy": join_policy,
                "discoverable": fields.pop("discoverable", False)}
        community = services.create_community(data, creator)
        for key, value in fields.items():
            setattr(community, key, value)
        for user in members:
            add_member(community, user)
        db.session.commit()
        return community
    return make


def add_member(community, user, status=MEMBER, facilitator=False, message=""):
    membership = Membership(community_id=community.id, user_id=user.id, status=status,
                            is_facilitator=facilitator, message=message, joined_at=utcnow())
    db.session.add(membership)
    db.session.flush()
    user.__dict__.pop("_memberships", None)
    return membership


def request_to_join(community, user, message="Please let me in"):
    return add_member(community, user, status=REQUESTED, message=message)
