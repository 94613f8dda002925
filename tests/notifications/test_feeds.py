"""Atom feeds carry public content only, and parse as valid Atom."""

import feedparser

from hub.discussions import services as discussions
from hub.extensions import db
from hub.library.models import LibraryItem


def parse(response):
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.get_data())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    return feed


def test_public_community_feed_lists_new_discussions(client, create_user, create_community, add_member, start):
    community = create_community(title="Open circle")
    author = create_user(name="Amara <Admin> & co")
    add_member(community, author)
    start(community, author, title="Budgets & <schools>", body="First **post** about budgets")
    gone = start(community, author, title="Deleted one")
    discussions.delete_post(gone)
    db.session.commit()

    feed = parse(client.get(f"/communities/{community.slug}/feed.atom"))
    assert "Open circle" in feed.feed.title
    (entry,) = feed.entries
    assert entry.title == "Budgets & <schools>" and entry.author == "Amara <Admin> & co"
    assert entry.link.startswith("http://localhost/discussions/") and "budgets" in entry.summary


def test_members_only_and_private_communities_have_no_feed(client, auth, create_user, create_community, add_member, start):
    person = create_user(email="member@example.org")
    for visibility in ("members", "private"):
        community = create_community(visibility=visibility)
        add_member(community, person)
        start(community, person, title=f"Hidden {visibility}")
        auth.login("member@example.org")  # even a member's session does not open it
        response = client.get(f"/communities/{community.slug}/feed.atom")
        assert response.status_code == 404 and b"Hidden" not in response.data
    assert client.get("/communities/nowhere/feed.atom").status_code == 404


def test_library_feed_has_public_items_only(client, create_user, create_community):
    owner = create_user(name="Librarian")
    private = create_community(visibility="private")
    public = create_community()
    rows = [("Public guide", None, True), ("Members guide", None, False), ("Private notes", private.id, False),
            ("Community toolkit", public.id, False)]
    for title, community_id, is_public in rows:
        db.session.add(LibraryItem(slug=title.lower().replace(" ", "-"), kind="document", title=title,
                                   owner_id=owner.id, community_id=community_id, is_public=is_public, year=2026,
                                   description=f"About {title}"))
    db.session.commit()
    feed = parse(client.get("/library/feed.atom"))
    assert sorted(e.title for e in feed.entries) == ["Community toolkit", "Public guide"]
