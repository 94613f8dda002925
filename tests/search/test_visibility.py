"""Permission filtering happens before counting, against current rights."""

import sqlalchemy as sa

from hub.communities.models import LEFT, MEMBER, Membership
from hub.db import utcnow
from hub.discussions import services as discussions
from hub.extensions import db
from hub.desk.organisations import merge


def results(client, query):
    """The results page's text without highlight tags, so titles can be looked for whole."""
    page = client.get("/search", query_string={"q": query})
    assert page.status_code == 200
    return page.get_data(as_text=True).replace("<mark>", "").replace("</mark>", "")


def test_private_community_content_never_shows_or_counts_for_non_members(client, corpus, create_user, sign_in):
    sign_in(create_user(email="outsider@example.org"))
    text = results(client, "confidential strategy privatisation")
    assert "Secret budget strategy" not in text and "Strategy room" not in text
    assert "Nothing found." in text
    budget = results(client, "budget")
    assert "Secret budget strategy" not in budget
    assert "Strategy room" not in budget


def test_members_see_private_content_and_lose_it_the_moment_they_leave(client, corpus, create_user, sign_in):
    member = sign_in(create_user(email="insider@example.org"))
    db.session.add(Membership(community=corpus["community-private"], user=member, status=MEMBER))
    db.session.commit()
    text = results(client, "confidential privatisation")
    assert "Secret budget strategy" in text and "Strategy room" in text and "2 results" in text
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == member.id))
    membership.status = LEFT
    db.session.commit()
    after = results(client, "confidential privatisation")
    assert "Secret budget strategy" not in after and "Nothing found." in after


def test_members_only_community_hidden_from_anonymous_visitors(client, corpus, create_user, sign_in):
    assert "Educação inclusiva e deficiência" not in results(client, "educação inclusiva")
    sign_in(create_user())
    assert "Educação inclusiva e deficiência" in results(client, "educação inclusiva")


def test_people_are_for_signed_in_members_and_never_suspended_pending_or_deleted(client, corpus, create_user,
                                                                                 sign_in):
    assert "Otieno Wafula" not in results(client, "budget analysis")
    sign_in(create_user())
    text = results(client, "budget analysis")
    assert "Otieno Wafula" in text
    assert "Sami Suspended" not in text and "Paula Pending" not in text
    otieno = corpus["person-otieno"]
    otieno.deleted_at = utcnow()
    db.session.commit()
    assert "Otieno Wafula" not in results(client, "budget analysis")


def test_email_addresses_are_never_searchable(client, corpus, create_user, sign_in):
    sign_in(create_user())
    create_user(email="qwxhidden@mailbox.example", name="Rosa Unrelated")
    assert "Rosa Unrelated" in results(client, "Rosa")
    assert "Nothing found." in results(client, "qwxhidden")
    assert "Nothing found." in results(client, "qwxhidden@mailbox.example")


def test_a_discussion_is_found_by_any_reply_and_forgets_deleted_ones(client, corpus):
    bourses = corpus["discussion-bourses"]
    assert "Bourses scolaires pour les filles" in results(client, "Ghana")
    reply = discussions.add_reply(bourses, corpus["author"], "Una experiencia en Guatemala con becas.")
    db.session.commit()
    assert "Bourses scolaires pour les filles" in results(client, "Guatemala")
    reply.deleted_at = utcnow()
    db.session.commit()
    assert "Nothing found." in results(client, "Guatemala")


def test_renaming_an_organisation_updates_its_people(client, corpus, create_user, sign_in):
    sign_in(create_user())
    org = corpus["org-eyc"]
    org.name = "Zanzibar Learners Alliance"
    db.session.commit()
    text = results(client, "Zanzibar")
    assert "Otieno Wafula" in text and "Zanzibar Learners Alliance" in text


def suggestion_for(client, query):
    """The "Did you mean" / "Showing results for" line of the results page, or ''."""
    text = client.get("/search", query_string={"q": query}).get_data(as_text=True)
    start = text.find('class="did-you-mean"')
    return text[start:text.find("</p>", start)] if start >= 0 else ""


def test_did_you_mean_never_reveals_words_the_reader_may_not_see(client, corpus, create_user, sign_in):
    public = corpus["community-teachers"]
    author = corpus["author"]
    for word, fate in (("quetzalcoatl", "pending"), ("zanzibarite", "hidden"), ("wolframite", "deleted")):
        post = discussions.start_discussion(public, author, {"title": f"About {word}", "body": word,
                                                             "language": "en"}, review=fate == "pending")
        if fate == "hidden":
            post.hidden_at = utcnow()
        elif fate == "deleted":
            post.deleted_at = utcnow()
        reply = discussions.add_reply(corpus["discussion-shortages"], author, f"{word}s too", review=True)
        assert reply.is_pending
    db.session.commit()
    # Signed out: one letter changed in a word of a private community, pending, hidden or deleted posts.
    for typo in ("confidentiol", "privatisatoin", "quetzalcoatk", "zanzibarote", "wolframita"):
        assert suggestion_for(client, typo) == "", typo
    sign_in(create_user(email="outsider@example.org"))
    for typo in ("confidentiol", "privatisatoin", "quetzalcoatk", "zanzibarote", "wolframita"):
        assert suggestion_for(client, typo) == "", typo
    # A member of the private community is offered its word, as it is written.
    member = create_user(email="insider@example.org")
    db.session.add(Membership(community=corpus["community-private"], user=member, status=MEMBER))
    db.session.commit()
    sign_in(member)
    assert "confidential" in suggestion_for(client, "confidentiol")


def test_people_moved_by_an_organisation_merge_are_found_by_their_new_organisation(client, create_org, create_user,
                                                                                  sign_in):
    keep, duplicate = create_org("Zanzibar Learning Alliance"), create_org("Coalition Quokka")
    create_user(name="Wanjiru Kamau", organisation=duplicate)
    reader = sign_in(create_user(email="reader@example.org", organisation=create_org("Elsewhere")))
    assert "Wanjiru Kamau" in results(client, "quokka")
    merge(duplicate, keep, reader, "the same coalition")  # a bulk UPDATE of people: no ORM object changes
    db.session.commit()
    assert "Wanjiru Kamau" in results(client, "zanzibar")
    assert "Wanjiru Kamau" not in results(client, "quokka")
