"""Factories for discussion tests: communities with members, discussions and replies."""

import pytest

from hub.communities.models import MEMBER, Community, Membership
from hub.discussions import services
from hub.extensions import db


@pytest.fixture
def make_community():
    counter = iter(range(1, 10_000))

    def make(visibility="public", **fields):
        n = next(counter)
        community = Community(slug=fields.pop("slug", f"community-{n}"), title=fields.pop("title", f"Community {n}"),
                              visibility=visibility, **fields)
        db.session.add(community)
        db.session.commit()
        return community
    return make


@pytest.fixture
def join():
    def add(user, community, facilitator=False, status=MEMBER):
        db.session.add(Membership(community_id=community.id, user_id=user.id, status=status,
                                  is_facilitator=facilitator))
        db.session.commit()
        user.__dict__.pop("_memberships", None)
    return add


@pytest.fixture
def make_discussion():
    counter = iter(range(1, 10_000))

    def make(community, author, replies=0, **fields):
        n = next(counter)
        data = {"title": fields.pop("title", f"Discussion {n}"), "body": fields.pop("body", f"Opening post {n}"),
                "language": fields.pop("language", "en"), "themes": fields.pop("themes", []),
                "kind": fields.pop("kind", "discussion")}
        discussion = services.start_discussion(community, author, data)
        for key, value in fields.items():
            setattr(discussion, key, value)
        for i in range(replies):
            services.add_reply(discussion, author, f"Reply number {i + 1}")
        db.session.commit()
        return discussion
    return make


@pytest.fixture
def world(create_user, make_community, join, make_discussion):
    """Five people (anonymous is no one) and one discussion with a reply in each kind of community."""
    people = {"outsider": create_user(email="outsider@example.org"),
              "member": create_user(email="member@example.org"),
              "facilitator": create_user(email="facilitator@example.org"),
              "secretariat": create_user(email="secretariat@example.org", is_secretariat=True)}
    found = {}
    for visibility in ("public", "members", "private"):
        community = make_community(visibility, slug=f"{visibility}-community", title=f"The {visibility} community")
        join(people["member"], community)
        join(people["facilitator"], community, facilitator=True)
        discussion = make_discussion(community, people["member"], replies=1, kind="question",
                                     title=f"Secret-{visibility}-title", body=f"Secret-{visibility}-body")
        found[visibility] = (community, discussion)
    return people, found
