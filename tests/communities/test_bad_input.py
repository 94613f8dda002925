"""Bad input on the community forms: a translated message, what was typed kept, never a 500."""

import re

import pytest
import sqlalchemy as sa

from hub.communities.models import Community
from hub.extensions import db

from .conftest import request_to_join

FORM = {"title": "Teachers' voices", "description": "Hello", "languages": ["en"], "themes": ["teachers"],
        "region": "", "visibility": "members", "join_policy": "request", "form_token": "token-1"}


@pytest.fixture
def secretariat(client, csrf_off, person, sign_in):
    user = person(is_secretariat=True)
    sign_in(user)
    return user


def communities():
    return db.session.scalar(sa.select(sa.func.count()).select_from(Community))


@pytest.mark.parametrize("changes, message", [
    ({"title": ""}, "This field is required."),
    ({"title": "   "}, "This field is required."),
    ({"title": "x" * 201}, "Use at most 200 characters."),
    ({"description": "y" * 50_001}, "Use at most 50,000 characters."),
    ({"languages": ["en", "klingon"]}, "Choose from the list."),
    ({"themes": ["astrology"]}, "Choose from the list."),
    ({"region": "mars"}, "Choose from the list."),
    ({"visibility": "secret"}, "Choose from the list."),
    ({"join_policy": "bribe"}, "Choose from the list."),
    ({"slug": "Not A Slug!"}, "Use lower-case letters"),
    ({"slug": "new"}, "Another community already uses this address."),
])
def test_refused_with_a_message_and_what_was_typed_kept(client, secretariat, changes, message):
    data = {**FORM, "description": "Keep *this* text", **changes}
    response = client.post("/communities/new", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert message in html
    assert "Keep *this* text" in html or "y" * 100 in html
    assert communities() == 0


def test_limits_themselves_are_accepted(client, secretariat):
    response = client.post("/communities/new", data={**FORM, "title": "t" * 200, "description": "d" * 50_000})
    assert response.status_code == 302
    assert communities() == 1


def test_duplicate_slug_is_refused(client, secretariat):
    client.post("/communities/new", data={**FORM, "slug": "teachers"})
    response = client.post("/communities/new", data={**FORM, "slug": "teachers", "form_token": "token-2",
                                                     "title": "Another title"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Another community already uses this address." in html and 'value="Another title"' in html
    assert communities() == 1


def test_same_title_without_slug_gets_its_own_address(client, secretariat):
    client.post("/communities/new", data=FORM)
    client.post("/communities/new", data={**FORM, "form_token": "token-2"})
    slugs = set(db.session.scalars(sa.select(Community.slug)))
    assert slugs == {"teachers-voices", "teachers-voices-2"}


def test_double_submission_makes_one_community(client, secretariat):
    first = client.post("/communities/new", data=FORM)
    second = client.post("/communities/new", data=FORM)
    assert first.status_code == second.status_code == 302
    assert first.headers["Location"] == second.headers["Location"]
    assert communities() == 1


@pytest.mark.parametrize("source, forbidden", [
    ("<script>alert(1)</script>", r"<script"),
    ("[click](javascript:alert(1))", r"href=.javascript:"),
    ("<a href='javascript:alert(1)'>x</a>", r"<a "),
    ('<img src="x" onerror="alert(1)">', r"<img"),
    ('<a href="#" style="position:fixed">x</a>', r"<[^>]*style="),
    ("[x](https://example.org){onclick=alert(1)}", r"<[^>]*onclick"),
    ("![track](https://evil.example.org/pixel.png)", r"evil\.example"),
    (">" * 5000 + " deep", "(<blockquote>\\s*){30}"),
    ("- " * 3000 + "deep", "(<ul>\\s*<li>\\s*){30}"),
])
def test_hostile_markdown_renders_safely(client, secretariat, source, forbidden):
    response = client.post("/communities/new", data={**FORM, "description": source})
    assert response.status_code == 302
    community = db.session.scalar(sa.select(Community))
    assert community.description == source
    assert not re.search(forbidden, community.description_html)
    page = client.get(f"/communities/{community.slug}")
    assert page.status_code == 200
    about = page.get_data(as_text=True).split('id="about-heading"', 1)[1].split("</section>", 1)[0]
    assert not re.search(forbidden, about)


def test_member_cannot_make_a_private_community_discoverable(client, csrf_off, person, sign_in):
    sign_in(person())
    client.post("/communities/new", data={**FORM, "visibility": "private", "discoverable": "y"})
    assert db.session.scalar(sa.select(Community.discoverable)) is False


def test_over_long_join_message(client, csrf_off, person, make_community, sign_in):
    community = make_community(person(), join_policy="request")
    sign_in(person())
    response = client.post(f"/communities/{community.slug}/join", data={"message": "m" * 2001})
    assert response.status_code == 200
    assert "Use at most 2000 characters." in response.get_data(as_text=True)


def test_unknown_community_and_member_ids(client, csrf_off, person, make_community, sign_in):
    facilitator = person()
    community = make_community(facilitator)
    sign_in(facilitator)
    assert client.get("/communities/no-such-thing").status_code == 404
    assert client.post(f"/communities/{community.slug}/members/999999/remove").status_code == 404
    assert client.post(f"/communities/{community.slug}/requests/999999").status_code == 404
    # A request belonging to another community cannot be decided from this one.
    other = make_community(person())
    foreign = request_to_join(other, person())
    db.session.commit()
    assert client.post(f"/communities/{community.slug}/requests/{foreign.id}",
                       data={"decision": "approve"}).status_code == 404
