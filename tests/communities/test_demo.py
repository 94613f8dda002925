"""The demo communities: every visibility and join policy, five languages, idempotent."""

import sqlalchemy as sa

from hub.communities import demo
from hub.communities.models import Community, Follow, Membership
from hub.demo.cli import load_accounts, load_organisations
from hub.extensions import db


def _load():
    organisations = load_organisations()
    people = load_accounts(organisations)
    communities = demo.load(people, organisations)
    db.session.commit()
    return people, communities


def _count(model):
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_demo_communities_cover_every_kind_and_load_twice(app):
    people, communities = _load()
    counts = (_count(Community), _count(Membership), _count(Follow))
    _load()
    assert (_count(Community), _count(Membership), _count(Follow)) == counts
    active = [c for c in communities.values() if c.status == "active"]
    assert len(active) >= 8
    assert {c.visibility for c in active} == {"public", "members", "private"}
    assert {c.join_policy for c in active} == {"open", "request", "invitation"}
    assert {language for c in active for language in c.languages} >= {"en", "fr", "es", "pt", "ar"}
    private = [c for c in active if c.visibility == "private"]
    assert {c.discoverable for c in private} == {True, False}
    facilitating = db.session.scalar(sa.select(sa.func.count()).select_from(Membership).where(
        Membership.user_id == people["facilitator@example.org"].id, Membership.is_facilitator))
    assert facilitating >= 4


def test_demo_pages_render(client, auth, app):
    _load()
    auth.login("facilitator@example.org", "learning-hub-demo")
    for community in db.session.scalars(sa.select(Community).where(Community.status == "active")):
        assert client.get(f"/communities/{community.slug}").status_code == 200
        assert client.get(f"/communities/{community.slug}/members").status_code == 200
    assert "Coordinatrices et coordinateurs de coalitions" in client.get("/communities").get_data(as_text=True)
