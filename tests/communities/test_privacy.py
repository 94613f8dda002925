"""The privacy walk: EVERY route of the communities blueprint (read from app.url_map, so a new route cannot
escape), as anonymous visitor, signed-in non-member, member, facilitator and secretariat, for public,
members-only and private communities. Each answer is checked, and a private community's title,
description, member names and counts never reach a non-member."""

import re

import pytest

from hub import create_app
from hub.communities.models import REQUESTED

from .conftest import add_member

ROLES = ("anonymous", "outsider", "member", "facilitator", "secretariat")
VISIBILITIES = ("public", "members", "private")
SECRETS = ("Zanzibar Secret Circle", "hidden-description-text", "Quillon Membername", "Farida Facilname",
           "Rex Requestername")


def _rules():
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    found = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("communities."):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                found.append((rule.endpoint, rule.rule, method))
    return sorted(found)


RULES = _rules()


def can_view(role, visibility):
    if visibility == "public":
        return True
    if visibility == "members":
        return role != "anonymous"
    return role in ("member", "facilitator", "secretariat")


def facilitates(role):
    return role in ("facilitator", "secretariat")


def _facilitator_page(role, visibility, ok):
    """Pages and actions for facilitators: sign in, then 404 if unseen, 403 if not a facilitator."""
    if role == "anonymous":
        return 302
    if not can_view(role, visibility):
        return 404
    return ok if facilitates(role) else 403


def _signed_in_view(role, visibility, ok=302):
    if role == "anonymous":
        return 302
    return ok if can_view(role, visibility) else 404


def _join(role, visibility, method):
    if role == "anonymous":
        return 302
    if not can_view(role, visibility):
        return 404
    if method == "GET":
        return 200
    # The walk's community is "on request": members have nothing to join, others send a request.
    return 403 if role in ("member", "facilitator") else 302


def _leave(role, visibility):
    if role == "anonymous":
        return 302
    if not can_view(role, visibility):
        return 404
    # The member leaves; the last facilitator is refused with a message (a redirect too).
    return 302 if role in ("member", "facilitator") else 403


#: What each route answers: (endpoint, method) -> function(role, visibility) -> status.
EXPECTED = {
    ("communities.index", "GET"): lambda role, vis: 200,
    ("communities.new", "GET"): lambda role, vis: 302 if role == "anonymous" else 200,
    ("communities.new", "POST"): lambda role, vis: 302 if role == "anonymous" else 200,
    ("communities.proposed", "GET"): lambda role, vis: {"anonymous": 302, "secretariat": 200}.get(role, 403),
    ("communities.decide_proposal", "POST"): lambda role, vis: {"anonymous": 302, "secretariat": 404}.get(role, 403),
    ("communities.show", "GET"): lambda role, vis: 200 if can_view(role, vis) else 404,
    ("communities.edit", "GET"): lambda role, vis: _facilitator_page(role, vis, 200),
    ("communities.edit", "POST"): lambda role, vis: _facilitator_page(role, vis, 200),
    ("communities.mark_seen", "POST"): lambda role, vis: _signed_in_view(role, vis),
    ("communities.follow", "POST"): lambda role, vis: _signed_in_view(role, vis),
    ("communities.unfollow", "POST"): lambda role, vis: _signed_in_view(role, vis),
    ("communities.membership.members", "GET"): lambda role, vis: 200 if can_view(role, vis) else 404,
    ("communities.membership.join", "GET"): lambda role, vis: _join(role, vis, "GET"),
    ("communities.membership.join", "POST"): lambda role, vis: _join(role, vis, "POST"),
    ("communities.membership.leave", "POST"): lambda role, vis: _leave(role, vis),
    ("communities.membership.requests", "GET"): lambda role, vis: _facilitator_page(role, vis, 200),
    ("communities.membership.decide_request", "POST"): lambda role, vis: _facilitator_page(role, vis, 302),
    ("communities.membership.invite", "POST"): lambda role, vis: _facilitator_page(role, vis, 200),
    ("communities.membership.invitations", "GET"): lambda role, vis: 302 if role == "anonymous" else 200,
    ("communities.membership.answer_invitation", "POST"): lambda role, vis: 302 if role == "anonymous" else 404,
    ("communities.membership.set_facilitator", "POST"): lambda role, vis: _facilitator_page(role, vis, 302),
    ("communities.membership.remove_member", "POST"): lambda role, vis: _facilitator_page(role, vis, 302),
}


def test_every_route_has_an_expectation():
    missing = {(endpoint, method) for endpoint, _rule, method in RULES} - set(EXPECTED)
    assert not missing, f"routes without a privacy expectation: {sorted(missing)}"
    assert len(RULES) >= 20


@pytest.fixture
def walk_world(person, make_community):
    def build(visibility):
        people = {"outsider": person(name="Otto Outsider"), "member": person(name="Quillon Membername"),
                  "facilitator": person(name="Farida Facilname"),
                  "secretariat": person(name="Sabine Secretariat", is_secretariat=True)}
        requester = person(name="Rex Requestername")
        community = make_community(people["facilitator"], visibility=visibility, join_policy="request",
                                   title="Zanzibar Secret Circle", slug="zanzibar",
                                   description="Our **hidden-description-text** here.", members=[people["member"]])
        request = add_member(community, requester, status=REQUESTED, message="Let me in")
        from hub.extensions import db
        db.session.commit()
        ids = {"slug": community.slug, "membership_id": request.id, "user_id": people["member"].id}
        return people, ids
    return build


def _url(rule, ids):
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: str(ids[m.group(1)]), rule)


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("endpoint, rule, method", RULES)
def test_privacy_walk(client, csrf_off, walk_world, login, endpoint, rule, method, role, visibility):
    people, ids = walk_world(visibility)
    if role != "anonymous":
        login(people[role])
    url = _url(rule, ids)
    response = client.get(url) if method == "GET" else client.post(url, data={})
    expected = EXPECTED[(endpoint, method)](role, visibility)
    assert response.status_code == expected, f"{method} {url} as {role} ({visibility})"
    body = response.get_data(as_text=True)
    if not can_view(role, visibility):
        for secret in SECRETS:
            assert secret not in body, f"{secret!r} leaked by {method} {url} to {role} ({visibility})"
