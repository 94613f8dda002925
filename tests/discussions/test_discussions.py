"""Starting, replying, quoting, editing, deleting, reactions, answers and following."""

import sqlalchemy as sa

from hub.communities.models import Follow
from hub.discussions.models import Discussion, Reaction, Reply, Revision
from hub.extensions import db


def test_member_starts_a_discussion_and_follows_it(client, auth, world):
    people, found = world
    community, _ = found["members"]
    auth.login("member@example.org")
    page = client.get(f"/communities/{community.slug}/discussions/new")
    assert page.status_code == 200 and "Start a discussion" in page.text
    answer = client.post(f"/communities/{community.slug}/discussions/new", data={
        "title": "School fees in Kenya", "body": "How do you **track** fees?", "language": "fr",
        "themes": ["financing"], "kind": "question", "once": "t1"})
    assert answer.status_code == 302
    discussion = db.session.scalar(sa.select(Discussion).where(Discussion.title == "School fees in Kenya"))
    assert discussion.language == "fr" and discussion.themes == ["financing"] and discussion.is_question
    assert "<strong>track</strong>" in discussion.body_html
    page = client.get(answer.location)
    assert "School fees in Kenya" in page.text and "<strong>track</strong>" in page.text
    assert db.session.scalar(sa.select(Follow).where(Follow.user_id == people["member"].id,
                                                     Follow.discussion_id == discussion.id))


def test_reply_quote_and_permalink(client, auth, world, make_discussion):
    people, found = world
    community, discussion = found["public"]
    auth.login("facilitator@example.org")
    first = db.session.scalar(sa.select(Reply).where(Reply.discussion_id == discussion.id))
    page = client.get(f"/discussions/{discussion.id}?quote={first.id}")
    assert "&gt; Reply number 1" in page.text
    answer = client.post(f"/discussions/{discussion.id}/replies", data={"body": "> Reply number 1\n\nAgreed."})
    assert answer.status_code == 302
    reply = db.session.scalar(sa.select(Reply).where(Reply.body.like("%Agreed.%")))
    assert answer.location.endswith(f"/discussions/{discussion.id}/replies/{reply.id}")
    landing = client.get(answer.location)
    assert landing.status_code == 302 and landing.location.endswith(f"#reply-{reply.id}")
    assert "<blockquote>" in client.get(landing.location).text
    assert db.session.scalar(sa.select(Follow).where(Follow.user_id == people["facilitator"].id,
                                                     Follow.discussion_id == discussion.id))


def test_permalink_lands_on_the_right_page(client, world, create_community, make_discussion):
    people, _ = world
    discussion = make_discussion(create_community(visibility="public"), people["member"], replies=65)
    last = db.session.scalars(sa.select(Reply.id).where(Reply.discussion_id == discussion.id)
                              .order_by(Reply.id)).all()
    answer = client.get(f"/discussions/{discussion.id}/replies/{last[64]}")
    assert answer.location.endswith(f"/discussions/{discussion.id}?page=3#reply-{last[64]}")
    assert client.get(f"/discussions/{discussion.id}/replies/{last[0]}").location.endswith(f"#reply-{last[0]}")
    page3 = client.get(f"/discussions/{discussion.id}?page=3")
    assert "Reply number 65" in page3.text and "Reply number 30" not in page3.text
    assert page3.text.count('<article class="post') == 6
    assert client.get(f"/discussions/{discussion.id}?page=9").status_code == 404


def test_edit_keeps_earlier_versions_for_author_and_facilitators(client, auth, world):
    people, found = world
    _, discussion = found["public"]
    auth.login("member@example.org")
    answer = client.post(f"/discussions/{discussion.id}/edit", data={
        "title": "New title", "body": "Second version", "language": "en", "kind": "question"})
    assert answer.status_code == 302
    page = client.get(f"/discussions/{discussion.id}")
    assert "edited" in page.text and "Second version" in page.text
    assert db.session.scalar(sa.select(Revision.body).where(Revision.discussion_id == discussion.id)) \
        == "Secret-public-body"
    assert "Secret-public-body" in client.get(f"/discussions/{discussion.id}/revisions").text
    auth.logout()
    auth.login("facilitator@example.org")
    assert client.get(f"/discussions/{discussion.id}/revisions").status_code == 200
    auth.logout()
    auth.login("outsider@example.org")
    assert client.get(f"/discussions/{discussion.id}/revisions").status_code == 403


def test_delete_and_undo(client, auth, world):
    people, found = world
    _, discussion = found["public"]
    reply = db.session.scalar(sa.select(Reply).where(Reply.discussion_id == discussion.id))
    auth.login("member@example.org")
    client.post(f"/discussions/{discussion.id}/replies/{reply.id}/delete")
    page = client.get(f"/discussions/{discussion.id}")
    assert "This reply was deleted." in page.text and "Reply number 1" not in page.text and "Undo" in page.text
    client.post(f"/discussions/{discussion.id}/replies/{reply.id}/restore")
    assert "Reply number 1" in client.get(f"/discussions/{discussion.id}").text
    client.post(f"/discussions/{discussion.id}/delete")
    assert "Undo" in client.get(f"/discussions/{discussion.id}").text
    auth.logout()
    assert client.get(f"/discussions/{discussion.id}").status_code == 404
    auth.login("member@example.org")
    client.post(f"/discussions/{discussion.id}/restore")
    auth.logout()
    assert client.get(f"/discussions/{discussion.id}").status_code == 200


def test_helpful_toggles_once_per_person(client, auth, world):
    people, found = world
    _, discussion = found["public"]
    auth.login("facilitator@example.org")
    client.post(f"/discussions/{discussion.id}/helpful")
    db.session.refresh(discussion)
    assert discussion.helpful_count == 1
    client.post(f"/discussions/{discussion.id}/helpful")
    db.session.refresh(discussion)
    assert discussion.helpful_count == 0
    assert db.session.scalar(sa.select(sa.func.count(Reaction.id))) == 0


def test_answer_is_marked_by_author_and_shown_first(client, auth, world, make_discussion):
    people, found = world
    _, discussion = found["public"]
    reply = db.session.scalar(sa.select(Reply).where(Reply.discussion_id == discussion.id))
    auth.login("outsider@example.org")
    assert client.post(f"/discussions/{discussion.id}/replies/{reply.id}/answer").status_code == 403
    auth.logout()
    auth.login("member@example.org")
    client.post(f"/discussions/{discussion.id}/replies/{reply.id}/answer")
    page = client.get(f"/discussions/{discussion.id}").text
    assert page.index('id="answer-heading"') < page.index(f'id="reply-{reply.id}"')


def test_facilitator_pins_locks_and_moves(client, auth, world, make_discussion):
    people, found = world
    community, discussion = found["public"]
    other, _ = found["members"]
    auth.login("member@example.org")
    assert client.post(f"/discussions/{discussion.id}/pin").status_code == 403
    auth.logout()
    auth.login("facilitator@example.org")
    client.post(f"/discussions/{discussion.id}/pin")
    client.post(f"/discussions/{discussion.id}/lock")
    answer = client.post(f"/discussions/{discussion.id}/move", data={"community": str(other.id)})
    assert answer.status_code == 302
    db.session.refresh(discussion)
    assert discussion.is_pinned and discussion.is_locked and discussion.community_id == other.id


def test_locked_discussion_refuses_reply_and_keeps_text(client, auth, world):
    people, found = world
    _, discussion = found["public"]
    discussion.is_locked = True
    db.session.commit()
    auth.login("member@example.org")
    answer = client.post(f"/discussions/{discussion.id}/replies", data={"body": "My careful words"})
    assert answer.status_code == 403
    assert "This discussion is locked" in answer.text and "My careful words" in answer.text
    assert db.session.scalar(sa.select(sa.func.count(Reply.id)).where(Reply.discussion_id == discussion.id)) == 1


def test_follow_and_unfollow(client, auth, world):
    people, found = world
    _, discussion = found["public"]
    auth.login("outsider@example.org")
    client.post(f"/discussions/{discussion.id}/follow")
    query = sa.select(sa.func.count(Follow.id)).where(Follow.user_id == people["outsider"].id)
    assert db.session.scalar(query) == 1
    assert "Stop following" in client.get(f"/discussions/{discussion.id}").text
    client.post(f"/discussions/{discussion.id}/follow")
    assert db.session.scalar(query) == 0


def test_preview_without_javascript(client, auth, world):
    people, found = world
    community, discussion = found["public"]
    auth.login("member@example.org")
    answer = client.post(f"/discussions/{discussion.id}/replies", data={"body": "*soon*", "preview": "Preview"})
    assert answer.status_code == 200 and "<em>soon</em>" in answer.text and "*soon*" in answer.text
    answer = client.post(f"/communities/{community.slug}/discussions/new", data={
        "title": "T", "body": "_draft_", "language": "en", "kind": "discussion", "preview": "Preview"})
    assert "<em>draft</em>" in answer.text
    assert db.session.scalar(sa.select(sa.func.count(Discussion.id))) == 3


def test_best_practice_marked_by_facilitator_and_gathered_by_theme_and_region(client, auth, world):
    people, found = world
    community, discussion = found["public"]
    community.region = "africa"
    discussion.themes = ["gender"]
    db.session.commit()
    auth.login("member@example.org")
    assert client.get(f"/discussions/{discussion.id}/best-practice").status_code == 403
    auth.logout()
    auth.login("facilitator@example.org")
    too_long = client.post(f"/discussions/{discussion.id}/best-practice", data={"summary": "s" * 501})
    assert too_long.status_code == 200 and "Use at most 500 characters." in too_long.text
    client.post(f"/discussions/{discussion.id}/best-practice", data={"summary": "Girls' clubs worked."})
    page = client.get("/best-practices?region=africa&theme=gender")
    assert "Girls&#39; clubs worked." in page.text and "Gender equality" in page.text
    assert "Girls&#39; clubs worked." not in client.get("/best-practices?region=mena").text
    client.post(f"/discussions/{discussion.id}/best-practice", data={"remove": "1"})
    assert "Girls&#39; clubs worked." not in client.get("/best-practices").text


def test_each_reply_links_to_itself_on_a_later_page(client, auth, world, make_discussion):
    # The page builds these links from one url_for per page (hub/links.py): each must still name its own reply.
    people, found = world
    community, _ = found["public"]
    discussion = make_discussion(community, people["member"], replies=35)
    auth.login("facilitator@example.org")
    page2 = client.get(f"/discussions/{discussion.id}?page=2").text
    on_page = db.session.scalars(sa.select(Reply.id).where(Reply.discussion_id == discussion.id)
                                 .order_by(Reply.id).offset(30)).all()
    assert len(on_page) == 5
    for reply_id in on_page:
        assert f'href="/discussions/{discussion.id}/replies/{reply_id}"' in page2
        assert f'href="/discussions/{discussion.id}?page=2&amp;quote={reply_id}#reply-form"' in page2
        assert f'href="/report/reply/{reply_id}"' in page2
    assert f'href="/people/{people["member"].id}"' in page2
