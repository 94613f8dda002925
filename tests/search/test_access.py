"""Visibility decided on the index's stored fields (hub.search.access) is the SQL predicates' own,
and a change the index has not caught up with is never counted or shown."""

from datetime import timedelta

import sqlalchemy as sa
from flask_login import AnonymousUserMixin

from hub.communities.models import MEMBER, Membership
from hub.db import utcnow
from hub.extensions import db
from hub.learning_sessions import services as sessions
from hub.library.models import LibraryItem
from hub.search import services
from hub.search.access import Access, visible_ids
from hub.search.index import searcher
from tests.search.test_visibility import results


def _more_states(corpus, create_community, create_user):
    """Library items, sessions, a hidden discussion, a suspended person, a closed organisation."""
    author = corpus["author"]
    for n, (community, public, hidden) in enumerate([(None, True, False), (None, False, False),
                                                      (corpus["community-private"], False, False),
                                                      (corpus["community-inclusiva"], False, False),
                                                      (None, True, True)]):
        db.session.add(LibraryItem(slug=f"access-item-{n}", kind="document", title=f"Access item {n}",
                                   owner_id=author.id, year=2025, is_public=public,
                                   community_id=community.id if community else None,
                                   hidden_at=utcnow() if hidden else None))
    starts = (utcnow() + timedelta(days=3)).replace(second=0, microsecond=0)
    for community in (corpus["community-private"], corpus["community-teachers"]):
        sessions.schedule(community, author, {
            "title": "Access session", "description": "", "starts_at": starts, "ends_at": starts + timedelta(hours=1),
            "timezone": "UTC", "online_url": "https://meet.example.org/a", "place": "", "languages": ["en"],
            "interpretation": [], "capacity": None, "themes": [], "capacity_areas": []})
    corpus["discussion-bourses"].hidden_at = utcnow()
    corpus["person-otieno"].status = "suspended"
    corpus["org-maroc"].status = "closed"
    db.session.commit()


def test_stored_decisions_are_the_sql_predicates_for_every_reader_and_document(app, corpus, create_user,
                                                                                 create_community):
    _more_states(corpus, create_community, create_user)
    member = create_user(email="insider@example.org")
    db.session.add(Membership(community=corpus["community-private"], user=member, status=MEMBER))
    db.session.commit()
    readers = [AnonymousUserMixin(), create_user(email="outsider@example.org"), member,
               create_user(email="desk@example.org", is_secretariat=True)]
    documents = [fields for _, fields in searcher().reader().iter_docs()]
    kinds = {fields["key"].partition(":")[0] for fields in documents}
    assert kinds == {"organisation", "person", "community", "discussion", "item", "learning_session"}
    for reader in readers:
        access = Access(reader)
        access.learn(documents)
        for fields in documents:
            kind, _, object_id = fields["key"].partition(":")
            decided = access.decide(kind, fields)
            assert decided is not None or fields["access"] == "proposal", fields["key"]
            assert decided == (int(object_id) in visible_ids(reader, kind, [int(object_id)])), (fields["key"], reader)


def test_a_change_waiting_in_the_outbox_is_neither_counted_nor_shown(app, client, corpus, create_user, sign_in):
    reader = sign_in(create_user())
    assert "Bourses scolaires pour les filles" in results(client, "Ghana")
    with app.test_request_context():
        before = services.search("filles", reader, per_page=1).counts["kind"]["discussion"]
    app.config["SEARCH_SYNC"] = False  # the job runner has not applied the change yet: the index says "open"
    corpus["discussion-bourses"].hidden_at = utcnow()
    db.session.commit()
    text = results(client, "Ghana")
    assert "Bourses scolaires pour les filles" not in text and "kind=discussion" not in text
    with app.test_request_context():  # counted nowhere, though not on the page shown (checked in SQL)
        assert services.search("filles", reader, per_page=1).counts["kind"]["discussion"] == before - 1


def test_a_page_hit_the_database_denies_is_dropped_and_not_counted(app, client, corpus, create_user, sign_in):
    sign_in(create_user())
    with db.engine.begin() as connection:  # behind the ORM's back: no outbox row, the index still says "open"
        connection.execute(sa.text("UPDATE discussion SET hidden_at = CURRENT_TIMESTAMP WHERE id = :id"),
                           {"id": corpus["discussion-bourses"].id})
    text = results(client, "Ghana")
    assert "Bourses scolaires pour les filles" not in text and "kind=discussion" not in text


def test_leaving_a_community_hides_its_documents_from_the_next_search(app, client, corpus, create_user, sign_in):
    member = sign_in(create_user(email="insider@example.org"))
    membership = Membership(community=corpus["community-private"], user=member, status=MEMBER)
    db.session.add(membership)
    db.session.commit()
    assert "Secret budget strategy" in results(client, "privatisation")
    db.session.delete(membership)
    db.session.commit()
    after = results(client, "privatisation")
    assert "Secret budget strategy" not in after and "Strategy room" not in after and "Nothing found." in after


def test_a_long_outbox_sends_every_candidate_to_sql(app, client, corpus, create_user, sign_in, monkeypatch):
    monkeypatch.setattr("hub.search.access.MAX_PENDING", 1)
    reader = sign_in(create_user())
    app.config["SEARCH_SYNC"] = False
    corpus["discussion-bourses"].hidden_at = utcnow()
    corpus["discussion-ninas"].hidden_at = utcnow()
    db.session.commit()
    with app.test_request_context():
        access = Access(reader)
        assert not access.trusted
        assert access.decide("organisation", {"key": "organisation:1", "access": "open"}) is None
        counts = services.search("filles", reader, per_page=1).counts["kind"]
    assert counts["discussion"] == 0


def test_a_session_proposal_is_found_by_its_proposer_not_by_the_other_members(app, client, corpus, create_user,
                                                                             sign_in):
    community = corpus["community-private"]
    proposer, other = create_user(email="proposer@example.org"), create_user(email="other@example.org")
    db.session.add_all([Membership(community=community, user=person, status=MEMBER) for person in (proposer, other)])
    starts = (utcnow() + timedelta(days=3)).replace(second=0, microsecond=0)
    proposal = sessions.new_session(community, proposer, {
        "title": "Zanzibar clinic proposal", "description": "", "starts_at": starts,
        "ends_at": starts + timedelta(hours=1), "timezone": "UTC", "online_url": "", "place": "Stone Town",
        "languages": ["en"], "interpretation": [], "capacity": None, "themes": [], "capacity_areas": []}, "proposed")
    db.session.commit()
    sign_in(other)
    text = results(client, "Zanzibar")
    assert "Zanzibar clinic proposal" not in text and "Nothing found." in text
    with app.test_request_context():  # counted nowhere either, though no page shows it
        assert services.search("Zanzibar", other, page=2, per_page=1).counts["kind"].get("learning_session", 0) == 0
    sign_in(proposer)
    assert "Zanzibar clinic proposal" in results(client, "Zanzibar")
    proposal.status = "scheduled"  # approved: every member finds it now
    db.session.commit()
    sign_in(other)
    assert "Zanzibar clinic proposal" in results(client, "Zanzibar")
