"""Pre-moderation: new members' first posts, and every post where a community asks, wait for review."""

import pytest
import sqlalchemy as sa

from hub.discussions.models import Discussion, Reply
from hub.extensions import db
from hub.notifications import digest
from hub.library.models import LibraryItem
from hub.audit import AuditEntry
from hub.notifications.models import Notification
from tests.conftest import body

WORD = "zanzibarquokka"


@pytest.fixture
def premoderation(app, world):
    """Pre-moderation on (after the world's author posted: they are an established member)."""
    app.config["PREMODERATION_FIRST_POSTS"] = 2


@pytest.fixture
def newcomer(create_user, add_member, world):
    person = create_user(email="newcomer@example.org", name="Nadia Newcomer", locale="en")
    add_member(world["first"], person)
    return person


def page(client, path):
    return client.get(path).get_data(as_text=True)


def reply(client, discussion, text):
    return client.post(f"/discussions/{discussion.id}/replies", data={"body": text}, follow_redirects=True)


def notices(user, kind):
    return db.session.scalars(sa.select(Notification).where(
        Notification.recipient_id == user.id, Notification.kind == kind)).all()


def search(client, query):
    return page(client, f"/search?q={query}").replace("<mark>", "").replace("</mark>", "")


def reply_count(discussion):
    db.session.expire_all()
    return db.session.get(Discussion, discussion.id).reply_count


def test_a_first_reply_waits_unseen_until_a_facilitator_approves_it(premoderation, client, auth, world, newcomer,
                                                                     mail):
    people, discussion = world["people"], world["discussion"]
    auth.login(newcomer.email)
    posted = reply(client, discussion, f"Bring the {WORD} banners").get_data(as_text=True)
    assert "waiting for review" in posted and f"Bring the {WORD} banners" in posted
    assert "Waiting for review: only its author and the moderators can see it" in posted
    pending = db.session.scalar(sa.select(Reply).where(Reply.author_id == newcomer.id))
    auth.logout()

    auth.login(people["member"].email)
    assert WORD not in page(client, f"/discussions/{discussion.id}")
    assert client.get(f"/discussions/{discussion.id}/replies/{pending.id}").status_code == 404
    assert "Where the activists meet" not in search(client, WORD)
    assert reply_count(discussion) == 1
    assert notices(people["author"], "reply") == [], "followers hear nothing yet"
    auth.logout()

    (asked,) = notices(people["facilitator"], "review")  # the moderators hear of it; nobody else
    assert asked.link == f"/desk/queue#review-reply-{pending.id}"
    assert notices(people["other_facilitator"], "review") == [] and notices(people["secretariat"], "review") == []
    assert not mail().to(people["facilitator"].email), "no safety risk: it waits for the digest"
    digest.run_digests()
    told = mail().last_to(people["facilitator"].email)
    assert f"/desk/queue#review-reply-{pending.id}" in body(told)
    auth.login(people["facilitator"].email)
    assert "<bdi>Nadia Newcomer</bdi>'s post in “<bdi>Where the activists meet</bdi>” is waiting for your review" in page(
        client, "/notifications")
    queue = page(client, "/desk/queue")
    assert f"Bring the {WORD} banners" in queue and "Nadia Newcomer" in queue
    response = client.post(f"/desk/review/reply/{pending.id}", data={"decision": "approve", "reason": ""})
    assert response.status_code == 302
    assert f"Bring the {WORD} banners" not in page(client, "/desk/queue")
    assert "is waiting for your review" not in page(client, "/notifications"), "decided: the notice is withdrawn"
    auth.logout()

    auth.login(people["member"].email)
    assert f"Bring the {WORD} banners" in page(client, f"/discussions/{discussion.id}")
    assert "Where the activists meet" in search(client, WORD)
    assert reply_count(discussion) == 2
    assert [n.object_id for n in notices(people["author"], "reply")] == [pending.id]
    (approved,) = notices(newcomer, "moderation")
    assert approved.details["action"] == "approve"
    assert mail().last_to(newcomer.email)["Content-Language"] == "en"
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "approve"))
    assert (entry.object_type, entry.object_id, entry.actor_id) == ("reply", pending.id, people["facilitator"].id)


def test_a_first_discussion_stays_out_of_lists_feeds_and_search_until_approved(premoderation, client, auth, world,
                                                                               newcomer):
    people, first = world["people"], world["first"]
    first.visibility = "public"
    # the member follows the community already (add_member follows, as joining does)
    db.session.commit()
    auth.login(newcomer.email)
    response = client.post(f"/communities/{first.slug}/discussions/new", data={
        "title": f"The {WORD} question", "body": "Who has tried this?", "language": "en", "kind": "discussion"},
        follow_redirects=True)
    assert "Your discussion is waiting for review" in response.get_data(as_text=True)
    own_list = page(client, f"/communities/{first.slug}")
    assert f"The {WORD} question" in own_list and "Waiting for review" in own_list
    pending = db.session.scalar(sa.select(Discussion).where(Discussion.author_id == newcomer.id))
    auth.logout()

    auth.login(people["member"].email)
    assert f"The {WORD} question" not in page(client, f"/communities/{first.slug}")
    assert client.get(f"/discussions/{pending.id}").status_code == 404
    assert f"The {WORD} question" not in search(client, WORD)
    assert pending.id not in [n.object_id for n in notices(people["member"], "new_discussion")]
    auth.logout()
    assert WORD not in page(client, f"/communities/{first.slug}/feed.atom")

    auth.login(people["secretariat"].email)
    client.post(f"/desk/review/discussion/{pending.id}", data={"decision": "approve"})
    auth.logout()
    assert f"The {WORD} question" in page(client, f"/communities/{first.slug}/feed.atom")
    auth.login(people["member"].email)
    assert f"The {WORD} question" in page(client, f"/communities/{first.slug}")
    assert f"The {WORD} question" in search(client, WORD)
    assert [n.object_id for n in notices(people["member"], "new_discussion")] == [world["discussion"].id, pending.id]


def test_a_first_library_item_waits_for_the_secretariat(premoderation, client, auth, world, newcomer):
    auth.login(newcomer.email)
    response = client.post("/library/new", data={
        "kind": "link", "title": f"{WORD} toolkit", "url": "https://example.org/toolkit", "licence": "cc-by",
        "description": "A toolkit", "organisation_id": "0", "community_id": "0"},
        content_type="multipart/form-data", follow_redirects=True)
    item = db.session.scalar(sa.select(LibraryItem).where(LibraryItem.owner_id == newcomer.id))
    assert item.is_pending and response.request.path == f"/library/{item.slug}"  # the item's page, not the form
    shown = response.get_data(as_text=True)
    assert "The item is waiting for review" in shown and "Waiting for review: only its author" in shown
    assert f"{WORD} toolkit" in page(client, "/library/")
    auth.logout()
    auth.login(world["people"]["member"].email)
    assert f"{WORD} toolkit" not in page(client, "/library/")
    assert client.get(f"/library/{item.slug}").status_code == 404
    auth.logout()
    auth.login(world["people"]["facilitator"].email)
    assert f"{WORD} toolkit" not in page(client, "/desk/queue"), "outside communities: the secretariat's"
    assert client.post(f"/desk/review/item/{item.id}", data={"decision": "approve"}).status_code == 403
    auth.logout()
    auth.login(world["people"]["secretariat"].email)
    assert f"{WORD} toolkit" in page(client, "/desk/queue")
    assert [n.object_id for n in notices(world["people"]["secretariat"], "review")] == [item.id]
    client.post(f"/desk/review/item/{item.id}", data={"decision": "approve"})
    auth.logout()
    auth.login(world["people"]["member"].email)
    assert f"{WORD} toolkit" in page(client, "/library/")


def test_once_two_posts_are_published_the_third_appears_at_once(premoderation, client, auth, world, newcomer):
    people, discussion = world["people"], world["discussion"]
    auth.login(newcomer.email)
    reply(client, discussion, "first words")
    reply(client, discussion, "second words")
    auth.logout()
    auth.login(people["facilitator"].email)
    for pending in db.session.scalars(sa.select(Reply).where(Reply.author_id == newcomer.id)).all():
        client.post(f"/desk/review/reply/{pending.id}", data={"decision": "approve"})
    auth.logout()
    auth.login(newcomer.email)
    posted = reply(client, discussion, "third words").get_data(as_text=True)
    assert "waiting for review" not in posted
    auth.logout()
    auth.login(people["member"].email)
    assert "third words" in page(client, f"/discussions/{discussion.id}")
    assert reply_count(discussion) == 4


def test_a_rejected_post_does_not_count_towards_the_threshold(premoderation, client, auth, world, newcomer):
    auth.login(newcomer.email)
    reply(client, world["discussion"], "spam spam")
    auth.logout()
    auth.login(world["people"]["facilitator"].email)
    spam = db.session.scalar(sa.select(Reply).where(Reply.author_id == newcomer.id))
    client.post(f"/desk/review/reply/{spam.id}", data={"decision": "reject", "reason": "Advertising"})
    auth.logout()
    auth.login(newcomer.email)
    reply(client, world["discussion"], "real words")
    reply(client, world["discussion"], "more real words")
    pending = db.session.scalars(sa.select(Reply).where(Reply.author_id == newcomer.id,
                                                        Reply.review_status == "pending")).all()
    assert len(pending) == 2


def test_a_community_can_review_every_post(premoderation, client, auth, world):
    people, first, discussion = world["people"], world["first"], world["discussion"]
    auth.login(people["facilitator"].email)
    assert "Review every post before it appears" in page(client, f"/communities/{first.slug}/edit")
    response = client.post(f"/communities/{first.slug}/edit", data={
        "title": first.title, "visibility": "members", "join_policy": "open", "region": "",
        "reviews_every_post": "y"})
    assert response.status_code == 302
    reply(client, discussion, "The facilitator posts at once")
    auth.logout()

    auth.login(people["author"].email)  # already has two published posts
    reply(client, discussion, "An established member waits here")
    auth.logout()
    auth.login(people["member"].email)
    text = page(client, f"/discussions/{discussion.id}")
    assert "The facilitator posts at once" in text and "An established member waits here" not in text


def test_a_facilitator_of_another_community_cannot_approve(premoderation, client, auth, world, newcomer):
    auth.login(newcomer.email)
    reply(client, world["discussion"], f"{WORD} outside")
    auth.logout()
    pending = db.session.scalar(sa.select(Reply).where(Reply.author_id == newcomer.id))
    auth.login(world["people"]["other_facilitator"].email)
    assert f"{WORD} outside" not in page(client, "/desk/queue")
    response = client.post(f"/desk/review/reply/{pending.id}", data={"decision": "approve"})
    assert response.status_code == 403
    db.session.expire_all()
    assert db.session.get(Reply, pending.id).is_pending


def test_a_second_moderator_is_told_and_nothing_doubles(premoderation, client, auth, world, newcomer):
    auth.login(newcomer.email)
    reply(client, world["discussion"], "twice?")
    auth.logout()
    pending = db.session.scalar(sa.select(Reply).where(Reply.author_id == newcomer.id))
    auth.login(world["people"]["facilitator"].email)
    client.post(f"/desk/review/reply/{pending.id}", data={"decision": "approve"})
    auth.logout()
    auth.login(world["people"]["secretariat"].email)
    again = client.post(f"/desk/review/reply/{pending.id}", data={"decision": "reject", "reason": "late"},
                        follow_redirects=True)
    assert "Another moderator already handled this" in again.get_data(as_text=True)
    assert reply_count(world["discussion"]) == 2
    assert db.session.get(Reply, pending.id).hidden_at is None
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.action.in_(("approve", "reject")))) == 1
    assert len(notices(newcomer, "moderation")) == 1
    assert len(notices(world["people"]["author"], "reply")) == 1


def test_rejecting_tells_the_author_why_in_their_language(premoderation, client, auth, world, newcomer, mail):
    newcomer.locale = "fr"
    db.session.commit()
    auth.login(newcomer.email)
    reply(client, world["discussion"], "buy cheap pills")
    auth.logout()
    pending = db.session.scalar(sa.select(Reply).where(Reply.author_id == newcomer.id))
    auth.login(world["people"]["facilitator"].email)
    refused = client.post(f"/desk/review/reply/{pending.id}", data={"decision": "reject", "reason": ""})
    assert refused.status_code == 400, "a rejection needs a reason"
    client.post(f"/desk/review/reply/{pending.id}", data={"decision": "reject", "reason": "Advertising"})
    auth.logout()

    message = mail().last_to(newcomer.email)
    assert message["Content-Language"] == "fr"
    assert "Bonjour Nadia Newcomer" in body(message) and "Advertising" in body(message)
    auth.login(newcomer.email)
    assert "Advertising" in page(client, "/notifications")
    assert "Non publié par les modérateurs : Advertising" in page(client, f"/discussions/{world['discussion'].id}")
    auth.logout()
    auth.login(world["people"]["member"].email)
    text = page(client, f"/discussions/{world['discussion'].id}")
    # No trace for others either (the member reads French: "Cette réponse a été masquée…").
    assert "buy cheap pills" not in text and "masquée" not in text
    assert reply_count(world["discussion"]) == 1
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "reject"))
    assert entry.reason == "Advertising"
