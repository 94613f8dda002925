"""One test per defect the route walker was written for: each failed (500, or a reset connection) before."""

import http.client
import json
import os
import socket
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa
from flask import request

from hub.communities.services import create_community
from hub.discussions import services as discussions
from hub.discussions.models import Reaction, Reply
from hub.extensions import db


@pytest.fixture
def member(create_user):
    return create_user(email="ada@example.org", name="Ada")


@pytest.fixture
def community(member):
    found = create_community({"title": "Budgets", "slug": "budgets", "description": "", "languages": ["en"],
                              "themes": [], "region": None, "visibility": "public", "join_policy": "open",
                              "discoverable": True}, member)
    db.session.commit()
    return found


@pytest.fixture
def discussion(community, member):
    found = discussions.start_discussion(community, member, {"title": "Where", "body": "Here", "language": "en"})
    db.session.commit()
    return found


def test_the_community_pager_pages(app, client, community, member):
    """Its own Next link (?page=2) answered 'Something went wrong': the template parsed the query string."""
    for n in range(25):
        discussions.start_discussion(community, member, {"title": f"Topic {n:02d}", "body": "b", "language": "en"})
    db.session.commit()
    second = client.get("/communities/budgets?page=2").get_data(as_text=True)
    assert "Topic 00" in second and "Topic 24" not in second and "Page 2 of 2" in second
    beyond = client.get(f"/communities/budgets?page={10**20}").get_data(as_text=True)
    assert "Page 2 of 2" in beyond  # past the end: the last page
    assert "Topic 24" in client.get("/communities/budgets?page=abc").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/discussions/2147483648", "/people/9223372036854775808",
                                  "/capacity/rounds/99999999999999999999", "/discussions/1/replies/2147483648",
                                  "/communities/a%00b"])
def test_ids_the_database_cannot_hold_are_not_found(client, path):
    """On PostgreSQL these reached the database: 'integer out of range' (500)."""
    assert client.get(path).status_code == 404


@pytest.mark.parametrize("path", ["/library/", "/notifications", "/organisations/", "/communities/budgets/members",
                                  "/search?q=budget"])
def test_huge_page_numbers_show_the_last_page(client, auth, member, community, path):
    auth.login(member.email)
    for page in (str(2**31), str(10**20), "-5", "abc"):
        assert client.get(f"{path}{'&' if '?' in path else '?'}page={page}").status_code == 200, page


def test_nul_bytes_are_dropped_from_what_people_type(client, auth, member, discussion):
    """PostgreSQL text cannot hold NUL: a reply, a profile name with one answered 500."""
    auth.login(member.email)
    assert client.post(f"/discussions/{discussion.id}/replies", data={"body": "before\x00after"}).status_code == 302
    assert db.session.scalar(sa.select(Reply.body).where(Reply.discussion_id == discussion.id)) == "beforeafter"
    client.post("/account/", data={"name": "Ada\x00 Lovelace", "locale": "en", "timezone": "UTC"})
    db.session.refresh(member)
    assert member.name == "Ada Lovelace"


def test_a_lone_surrogate_in_json_becomes_the_replacement_character(client, auth, member, discussion):
    """JSON can carry '\\ud800', which no database encoding holds: it was a UnicodeEncodeError (500)."""
    auth.login(member.email)
    response = client.post(f"/discussions/{discussion.id}/replies", content_type="application/json",
                           data=json.dumps({"body": "Bonjour \ud800 à tous, \ud83d\ude00"}))
    assert response.status_code == 302
    saved = db.session.scalar(sa.select(Reply.body).where(Reply.discussion_id == discussion.id))
    assert saved == "Bonjour \ufffd à tous, \U0001f600"  # a well-formed pair is kept


def test_helpful_twice_is_one_mark(client, auth, member, discussion):
    """The form says what it wants: a double click marks once (a toggle unmarked it, or made two rows)."""
    auth.login(member.email)
    for _ in range(2):
        assert client.post(f"/discussions/{discussion.id}/helpful", data={"marked": "1"}).status_code == 302
    db.session.refresh(discussion)
    assert discussion.helpful_count == 1
    assert db.session.scalar(sa.select(sa.func.count(Reaction.id))) == 1
    client.post(f"/discussions/{discussion.id}/helpful", data={"marked": "0"})
    db.session.refresh(discussion)
    assert discussion.helpful_count == 0


def test_the_opening_post_holds_one_mark_per_person(app, member, discussion):
    """NULL reply ids escaped the unique constraint: an index holds them now (two inserts, one row)."""
    assert discussions.set_helpful(member, discussion, marked=True) is True
    db.session.add(Reaction(user_id=member.id, discussion_id=discussion.id, reply_id=None))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_an_oversized_body_gets_the_page_not_a_reset(client):
    response = client.post("/login", data={"email": "x" * (17 * 1024 * 1024)},
                           headers={"Accept-Language": "fr"})
    assert response.status_code == 413
    assert "Votre envoi dépasse la taille acceptée par le Hub." in response.get_data(as_text=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow  # starts gunicorn
def test_gunicorn_answers_an_oversized_post_with_the_413_page(app):
    """A 20 MB post to a route that takes no upload: the browser showed a network error (reset)."""
    port = _free_port()
    env = {**os.environ, "HUB_SECRET_KEY": json.dumps("walker-secret-0123456789abcdef"),
           "HUB_SQLALCHEMY_DATABASE_URI": json.dumps(app.config["SQLALCHEMY_DATABASE_URI"]),
           "HUB_TESTING": "true"}
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}",
                               "hub:create_app()"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.2)
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        connection.request("POST", "/login", body=b"email=" + b"x" * (20 * 1024 * 1024),
                           headers={"Content-Type": "application/x-www-form-urlencoded",
                                    "Accept-Language": "fr"})
        response = connection.getresponse()
        page = response.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert response.status == 413
    assert "Votre envoi dépasse la taille acceptée par le Hub." in page  # translated, in the page


def test_a_mangled_form_token_is_no_token(client, auth, member, discussion):
    """The hidden one-time token went to a 64-character column as sent: PostgreSQL refused (500)."""
    auth.login(member.email)
    response = client.post(f"/discussions/{discussion.id}/replies", data={"body": "Kept", "once": "t" * 10_000})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(Reply.body).where(Reply.discussion_id == discussion.id)) == "Kept"


def test_an_overlong_email_is_refused_at_once(client, csrf_off):
    """The email parser is quadratic: 10,000 characters took seconds, 200,000 would take hours."""
    started = time.perf_counter()
    response = client.post("/login", data={"email": "a" * 200_000 + "@example.org", "password": "x"})
    assert response.status_code == 200 and "at most 254 characters" in response.get_data(as_text=True)
    assert time.perf_counter() - started < 2


def test_an_uploaded_file_name_loses_its_nul(app):
    """Multipart file names are text the hub stores: the input layer cleans them like fields."""
    boundary = "walker"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"notes\x00.pdf\"\r\n"
            f"Content-Type: application/pdf\r\n\r\n%PDF-1.4\r\n--{boundary}--\r\n").encode()
    with app.test_request_context("/", method="POST", data=body,
                                  content_type=f"multipart/form-data; boundary={boundary}"):
        assert request.files["file"].filename == "notes.pdf"
