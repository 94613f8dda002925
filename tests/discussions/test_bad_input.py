"""Bad input: a translated error or a safe rendering, never a 500, and what was typed is kept."""

from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from hub.discussions.models import Discussion, Reply
from hub.extensions import db


def count(model):
    return db.session.scalar(sa.select(sa.func.count(model.id)))


@pytest.fixture
def signed_in(client, auth, world):
    auth.login("member@example.org")
    return world[1]["public"]


def start(client, community, **fields):
    data = {"title": "A title", "body": "A body", "language": "en", "kind": "discussion", **fields}
    return client.post(f"/communities/{community.slug}/discussions/new", data=data)


@pytest.mark.parametrize("fields, message", [
    ({"title": ""}, "This field is required."),
    ({"title": "   "}, "This field is required."),
    ({"title": "t" * 201}, "Use at most 200 characters."),
    ({"body": ""}, "This field is required."),
    ({"body": "b" * 50_001}, "Use at most 50000 characters."),
    ({"language": "xx"}, "Choose a language from the list."),
    ({"themes": ["astrology"]}, "Choose themes from the list."),
])
def test_start_refuses_bad_fields_and_keeps_the_text(client, signed_in, fields, message):
    community, _ = signed_in
    before = count(Discussion)
    answer = start(client, community, **{"title": "Kept title", "body": "Kept body", **fields})
    assert answer.status_code == 200 and message in answer.text
    assert ("Kept title" in answer.text) or "title" in fields
    assert ("Kept body" in answer.text) or "body" in fields
    assert count(Discussion) == before


def test_accepts_the_limits_exactly(client, signed_in):
    community, _ = signed_in
    assert start(client, community, title="t" * 200, body="b" * 50_000, language="sw").status_code == 302


def test_reply_too_long_or_empty_keeps_text(client, signed_in):
    _, discussion = signed_in
    answer = client.post(f"/discussions/{discussion.id}/replies", data={"body": "x" * 50_001})
    assert answer.status_code == 400 and "Use at most 50000 characters." in answer.text
    assert client.post(f"/discussions/{discussion.id}/replies", data={"body": "  "}).status_code == 400
    assert count(Reply) == 3


def test_double_submission_makes_one_post(client, signed_in):
    community, discussion = signed_in
    data = {"body": "Only once please", "once": "token-123"}
    first = client.post(f"/discussions/{discussion.id}/replies", data=data)
    second = client.post(f"/discussions/{discussion.id}/replies", data=data)
    assert first.status_code == second.status_code == 302 and first.location == second.location
    assert db.session.scalar(sa.select(sa.func.count(Reply.id)).where(Reply.body == "Only once please")) == 1
    start(client, community, title="Once", once="token-456")
    start(client, community, title="Once", once="token-456")
    assert db.session.scalar(sa.select(sa.func.count(Discussion.id)).where(Discussion.title == "Once")) == 1


def test_the_form_carries_a_fresh_token_each_time(client, signed_in):
    _, discussion = signed_in
    tokens = [client.get(f"/discussions/{discussion.id}").text.split('name="once" type="hidden" value="')[1][:20]
              for _ in range(2)]
    assert tokens[0] != tokens[1]


def elements(html):
    """(tag, attributes) of every element in the HTML, as a browser's parser sees them."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.append((tag, attrs))
    Collector().feed(html)
    return found


HOSTILE = [
    "<script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "<img src=x onerror=alert(1)>",
    '<a href="#" onclick="steal()">x</a>',
    '<div style="position:fixed;top:0;left:0;width:100%">cover</div>',
    "![tracker](https://evil.example/pixel.png)",
    "[x](JaVaScRiPt:alert(1))",
    "<iframe src=//evil.example></iframe>",
    "> " * 5000 + "deep",
    "*" * 20000 + "a" + "*" * 20000,
    "- " * 3000 + "nested",
    "[" * 10000 + "x" + "]" * 10000,
]


@pytest.mark.parametrize("body", HOSTILE)
def test_hostile_markdown_renders_safely(client, signed_in, body):
    _, discussion = signed_in
    answer = client.post(f"/discussions/{discussion.id}/replies", data={"body": body})
    assert answer.status_code == 302
    html = db.session.scalar(sa.select(Reply.body_html).order_by(Reply.id.desc()).limit(1))
    for tag, attrs in elements(html):
        assert tag not in ("script", "iframe", "style", "div")
        for name, value in attrs:
            assert not name.startswith("on") and name != "style"
            assert not (value or "").strip().lower().startswith(("javascript", "//", "http://", "https://evil"))
    assert client.get(answer.location, follow_redirects=True).status_code == 200


def test_preview_of_hostile_markdown_is_safe_too(client, signed_in):
    _, discussion = signed_in
    answer = client.post(f"/discussions/{discussion.id}/replies",
                         data={"body": "<script>alert(1)</script> [x](javascript:alert(1))", "preview": "1"})
    assert answer.status_code == 200
    preview = answer.text.split('id="preview-heading"')[1].split("</div>")[0]
    assert "&lt;script&gt;" in preview
    assert all(tag != "script" and not any(v and "javascript" in v for _, v in attrs)
               for tag, attrs in elements(preview))


def test_links_get_rel_and_mentions_link_profiles(client, signed_in, world):
    people, _ = world
    people["outsider"].handle = "out-sider"
    db.session.commit()
    _, discussion = signed_in
    client.post(f"/discussions/{discussion.id}/replies", data={"body": "See https://example.org and @out-sider"})
    html = db.session.scalar(sa.select(Reply.body_html).order_by(Reply.id.desc()).limit(1))
    assert 'rel="nofollow ugc noopener"' in html
    assert f'href="/people/{people["outsider"].id}"' in html


def test_unknown_discussion_and_reply_are_404(client, signed_in):
    _, discussion = signed_in
    assert client.get("/discussions/999999").status_code == 404
    assert client.get(f"/discussions/{discussion.id}/replies/999999").status_code == 404
    assert client.get(f"/discussions/{discussion.id}?quote=999999").status_code == 200
    assert client.get(f"/discussions/{discussion.id}?page=abc").status_code == 200
    assert client.get("/communities/nowhere/discussions/new").status_code == 404
