"""The privacy walk: EVERY route of the communities blueprint (read from app.url_map, so a new route cannot
escape), as anonymous visitor, signed-in non-member, member, facilitator and secretariat, for public,
members-only and private communities. Each answer is checked, and a private community's title,
description, member names and counts never reach a non-member."""

import re

import pytest
import sqlalchemy as sa

from hub import create_app
from hub.communities.models import MEMBER, REQUESTED, Follow, Membership
from hub.extensions import db

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


class World:
    """One community with a facilitator, a member and a pending request; restore() undoes each step."""

    def __init__(self, person, make_community, visibility):
        self.people = {"outsider": person(name="Otto Outsider"), "member": person(name="Quillon Membername"),
                       "facilitator": person(name="Farida Facilname"),
                       "secretariat": person(name="Sabine Secretariat", is_secretariat=True)}
        self.requester = person(name="Rex Requestername")
        self.community = make_community(self.people["facilitator"], visibility=visibility, join_policy="request",
                                        title="Zanzibar Secret Circle", slug="zanzibar",
                                        description="Our **hidden-description-text** here.",
                                        members=[self.people["member"]])
        self.request = add_member(self.community, self.requester, status=REQUESTED, message="Let me in")
        db.session.commit()
        self.ids = {"slug": self.community.slug, "membership_id": self.request.id,
                    "user_id": self.people["member"].id}

    def restore(self):
        """Back to the start: the walk's POSTs join, leave, remove, follow…"""
        initial = {self.people["facilitator"].id: (MEMBER, True), self.people["member"].id: (MEMBER, False),
                   self.requester.id: (REQUESTED, False)}
        for row in db.session.scalars(sa.select(Membership).where(Membership.community_id == self.community.id)):
            if row.user_id in initial:
                row.status, row.is_facilitator = initial[row.user_id]
            else:
                db.session.delete(row)
        db.session.execute(sa.delete(Follow).where(Follow.user_id != self.people["facilitator"].id))
        db.session.commit()
        for user in [*self.people.values(), self.requester]:
            user.__dict__.pop("_memberships", None)


def _url(rule, ids):
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: str(ids[m.group(1)]), rule)


@pytest.mark.parametrize("visibility", VISIBILITIES)
@pytest.mark.parametrize("role", ROLES)
def test_privacy_walk(client, csrf_off, person, make_community, sign_in, role, visibility):
    world = World(person, make_community, visibility)
    if role != "anonymous":
        sign_in(world.people[role])
    problems = []
    for endpoint, rule, method in RULES:
        world.restore()
        url = _url(rule, world.ids)
        response = client.get(url) if method == "GET" else client.post(url, data={"walk": "1"})
        expected = EXPECTED[(endpoint, method)](role, visibility)
        if response.status_code != expected:
            problems.append(f"{method} {url}: {response.status_code}, expected {expected}")
        body = response.get_data(as_text=True)
        if not can_view(role, visibility):
            problems += [f"{method} {url} shows {secret!r}" for secret in SECRETS if secret in body]
    assert not problems, f"as {role} on a {visibility} community:\n" + "\n".join(problems)


@pytest.mark.parametrize("role", ("anonymous", "outsider"))
def test_private_community_lists_title_only_when_discoverable(client, person, make_community, sign_in, role):
    owner, member = person(), person(name="Quillon Membername")
    make_community(owner, visibility="private", title="Zanzibar Secret Circle", slug="zanzibar",
                   description="hidden-description-text", members=[member], discoverable=True, join_policy="request")
    make_community(owner, visibility="private", title="Utterly Hidden Room", slug="hidden", members=[member])
    if role == "outsider":
        sign_in(person())
    html = client.get("/communities").get_data(as_text=True)
    assert "Utterly Hidden Room" not in html
    assert "hidden-description-text" not in html and "Quillon Membername" not in html
    if role == "outsider":
        # The title, and no count: the only number in its card would be a member count.
        card = html.split("Zanzibar Secret Circle", 1)[1].split("</li>", 1)[0]
        assert "member" not in card.replace("only its members can read it", "")
        assert client.get("/communities/zanzibar").status_code == 404
        join = client.get("/communities/zanzibar/join")
        assert join.status_code == 200 and "Quillon" not in join.get_data(as_text=True)
    else:
        assert "Zanzibar Secret Circle" not in html


def test_removed_member_loses_a_private_community(client, csrf_off, person, make_community, sign_in):
    facilitator, member = person(), person()
    community = make_community(facilitator, visibility="private", title="Zanzibar Secret Circle",
                               members=[member])
    sign_in(member)
    assert client.get(f"/communities/{community.slug}").status_code == 200
    sign_in(facilitator)
    client.post(f"/communities/{community.slug}/members/{member.id}/remove")
    member.__dict__.pop("_memberships", None)
    sign_in(member)
    assert client.get(f"/communities/{community.slug}").status_code == 404
    assert "Zanzibar Secret Circle" not in client.get("/communities").get_data(as_text=True)
    assert client.post(f"/communities/{community.slug}/follow").status_code == 404
