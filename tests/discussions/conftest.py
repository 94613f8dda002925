"""Factories for discussion tests: discussions and replies, and a world of people and communities made with
the root conftest's create_community and add_member."""

import pytest

from hub.discussions import services
from hub.extensions import db


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
def world(create_user, create_community, add_member, make_discussion):
    """Five people (anonymous is no one) and one discussion with a reply in each kind of community."""
    people = {"outsider": create_user(email="outsider@example.org"),
              "member": create_user(email="member@example.org"),
              "facilitator": create_user(email="facilitator@example.org"),
              "secretariat": create_user(email="secretariat@example.org", is_secretariat=True)}
    found = {}
    for visibility in ("public", "members", "private"):
        community = create_community(visibility=visibility, slug=f"{visibility}-community", title=f"The {visibility} community")
        add_member(community, people["member"])
        add_member(community, people["facilitator"], facilitator=True)
        discussion = make_discussion(community, people["member"], replies=1, kind="question",
                                     title=f"Secret-{visibility}-title", body=f"Secret-{visibility}-body")
        found[visibility] = (community, discussion)
    return people, found
