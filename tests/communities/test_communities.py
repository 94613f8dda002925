"""The list with its filters, creating, proposing and approving, editing, and "new since your last visit"."""

from datetime import timedelta

import sqlalchemy as sa

from hub.communities.models import ACTIVE, PROPOSED, Community, Membership
from hub.db import utcnow
from hub.extensions import db

from .conftest import add_member

FORM = {"title": "Girls' education in the Sahel", "description": "We *share* what works.",
        "languages": ["fr", "en"], "themes": ["gender", "financing"], "region": "africa",
        "visibility": "public", "join_policy": "open"}


def test_list_filters_by_theme_language_and_region(client, person, make_community):
    owner = person()
    make_community(owner, title="Budget Trackers", themes=["financing"], languages=["en"], region="africa")
    make_community(owner, title="Docentes en red", themes=["teachers"], languages=["es"], region="latin_america")
    make_community(owner, title="Members Only Room", visibility="members", themes=["financing"])

    def titles(query=""):
        html = client.get(f"/communities?{query}").get_data(as_text=True)
        return {t for t in ("Budget Trackers", "Docentes en red", "Members Only Room") if t in html}
    assert titles() == {"Budget Trackers", "Docentes en red"}
    assert titles("theme=financing") == {"Budget Trackers"}
    assert titles("language=es") == {"Docentes en red"}
    assert titles("region=latin_america") == {"Docentes en red"}
    assert titles("theme=unknown&language=xx") == {"Budget Trackers", "Docentes en red"}


def test_list_shows_member_counts(client, person, make_community, sign_in):
    owner = person()
    make_community(owner, title="Budget Trackers", members=[person(), person()])
    sign_in(person())
    assert "3 members" in client.get("/communities").get_data(as_text=True)


def test_secretariat_creates_an_active_community(client, csrf_off, person, sign_in):
    secretariat = person(is_secretariat=True)
    sign_in(secretariat)
    response = client.post("/communities/new", data={**FORM, "slug": "sahel-girls", "discoverable": "y"})
    assert response.status_code == 302
    community = db.session.scalar(sa.select(Community).where(Community.slug == "sahel-girls"))
    assert community.status == ACTIVE and community.discoverable
    assert community.description_html == "<p>We <em>share</em> what works.</p>\n"
    assert community.themes == ["gender", "financing"] and community.languages == ["fr", "en"]
    page = client.get("/communities/sahel-girls").get_data(as_text=True)
    assert "Girls&#39; education in the Sahel" in page and "<em>share</em>" in page


def test_member_proposes_and_the_secretariat_approves(client, csrf_off, person, sign_in):
    proposer, secretariat, reader = person(), person(is_secretariat=True), person()
    sign_in(proposer)
    assert "Propose a community" in client.get("/communities/new").get_data(as_text=True)
    client.post("/communities/new", data={**FORM, "discoverable": "y"})
    community = db.session.scalar(sa.select(Community))
    assert community.status == PROPOSED and not community.discoverable
    assert client.get(f"/communities/{community.slug}").status_code == 200
    sign_in(reader)
    assert client.get(f"/communities/{community.slug}").status_code == 404
    assert "Sahel" not in client.get("/communities").get_data(as_text=True)
    sign_in(secretariat)
    assert "Sahel" in client.get("/communities/proposed").get_data(as_text=True)
    client.post(f"/communities/proposed/{community.slug}", data={"decision": "approve"})
    assert db.session.get(Community, community.id).status == ACTIVE
    sign_in(reader)
    assert client.get(f"/communities/{community.slug}").status_code == 200
    facilitator = db.session.scalar(sa.select(Membership).where(Membership.user_id == proposer.id))
    assert facilitator.is_facilitator


def test_declined_proposal_disappears(client, csrf_off, person, sign_in):
    proposer, secretariat = person(), person(is_secretariat=True)
    sign_in(proposer)
    client.post("/communities/new", data=FORM)
    community = db.session.scalar(sa.select(Community))
    sign_in(secretariat)
    client.post(f"/communities/proposed/{community.slug}", data={"decision": "decline"})
    assert db.session.get(Community, community.id).is_deleted
    sign_in(proposer)
    assert client.get(f"/communities/{community.slug}").status_code == 404
    assert client.post(f"/communities/proposed/{community.slug}",
                       data={"decision": "approve"}).status_code == 403


def test_facilitator_edits_but_not_the_discoverable_flag_nor_the_slug(client, csrf_off, person, make_community,
                                                                       sign_in):
    facilitator = person()
    community = make_community(facilitator, visibility="private", slug="circle")
    sign_in(facilitator)
    form = client.get("/communities/circle/edit").get_data(as_text=True)
    assert 'name="discoverable"' not in form and 'name="slug"' not in form
    client.post("/communities/circle/edit", data={**FORM, "title": "Renamed", "discoverable": "y",
                                                  "slug": "stolen", "visibility": "private"})
    community = db.session.get(Community, community.id)
    assert community.title == "Renamed" and community.slug == "circle" and not community.discoverable


def test_new_since_last_visit_moves_at_most_once_an_hour(client, csrf_off, person, make_community, sign_in):
    facilitator, member = person(), person()
    community = make_community(facilitator)
    row = add_member(community, member)
    long_ago = utcnow() - timedelta(days=2)
    row.joined_at = row.last_visit_at = row.previous_visit_at = long_ago
    db.session.execute(sa.update(Membership).values(joined_at=long_ago))
    db.session.commit()
    add_member(community, person(name="Nell Newcomer"))
    db.session.commit()
    sign_in(member)
    html = client.get(f"/communities/{community.slug}").get_data(as_text=True)
    assert "New since your last visit" in html and "1 new member" in html, html
    first = db.session.get(Membership, row.id).last_visit_at
    assert utcnow() - first < timedelta(minutes=1)
    # Reloading within the hour writes nothing and still shows what is new.
    statements = []

    def spy(conn, cursor, statement, *args):
        statements.append(statement)
    sa.event.listen(db.engine, "before_cursor_execute", spy)
    try:
        html = client.get(f"/communities/{community.slug}").get_data(as_text=True)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", spy)
    assert statements and not [s for s in statements if s.lstrip().upper().startswith(("UPDATE", "INSERT"))]
    assert "1 new member" in html
    # "Mark all as seen" is the explicit action that empties the list.
    client.post(f"/communities/{community.slug}/seen")
    assert "new member" not in client.get(f"/communities/{community.slug}").get_data(as_text=True)
