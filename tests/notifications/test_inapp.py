"""In-app notifications: who is told, who is not, the header count, the list page, marking read."""

import sqlalchemy as sa

from hub.discussions import services as discussions
from hub.extensions import db
from hub.notifications.models import Notification


def notifications_of(user):
    return db.session.scalars(sa.select(Notification).where(Notification.recipient_id == user.id)
                              .order_by(Notification.id)).all()


def test_reply_in_followed_discussion_notifies_follower_not_author(create_user, create_community, add_member, start):
    community = create_community()
    alice, bob = create_user(name="Alice"), create_user(name="Bob")
    add_member(community, alice), add_member(community, bob)
    discussion = start(community, alice, title="Budget tracking tips")
    discussions.add_reply(discussion, bob, "Here is how we did it.")
    db.session.commit()

    (note,) = [n for n in notifications_of(alice) if n.kind == "reply"]
    assert note.actor_id == bob.id and note.title == "Budget tracking tips"
    assert note.link.startswith(f"/discussions/{discussion.id}/replies/")
    assert [n.kind for n in notifications_of(bob)] == ["new_discussion"]  # Bob follows the community


def test_mention_of_someone_who_cannot_see_creates_nothing(create_user, create_community, add_member, start, auth, client):
    secret = create_community(visibility="private", title="Private circle")
    insider, outsider = create_user(), create_user(handle="outsider", email="out@example.org")
    add_member(secret, insider)
    start(secret, insider, title="Secret plans", body="What do you think, @outsider?")
    assert notifications_of(outsider) == []

    auth.login("out@example.org")
    page = client.get("/notifications").get_data(as_text=True)
    assert "Secret plans" not in page and "You have no notifications." in page


def test_mention_of_a_reader_notifies_once(create_user, create_community, add_member, start):
    community = create_community()
    author, reader = create_user(), create_user(handle="reader")
    add_member(community, author), add_member(community, reader)
    start(community, author, body="Thoughts, @reader?")
    assert [n.kind for n in notifications_of(reader)] == ["mention"]  # not also "new discussion"


def test_deleting_a_reply_withdraws_its_notifications(create_user, create_community, add_member, start, auth, client):
    community = create_community()
    alice, bob = create_user(email="alice@example.org"), create_user()
    add_member(community, alice), add_member(community, bob)
    discussion = start(community, alice)
    reply = discussions.add_reply(discussion, bob, "A reply that will be deleted")
    db.session.commit()
    auth.login("alice@example.org")
    assert "1 unread" in client.get("/notifications").get_data(as_text=True)

    discussions.delete_post(reply)
    db.session.commit()
    assert notifications_of(alice)[0].withdrawn_at is not None
    page = client.get("/notifications").get_data(as_text=True)
    assert "unread" not in page and "You have no notifications." in page

    discussions.restore_post(reply)
    db.session.commit()
    assert notifications_of(alice)[0].withdrawn_at is None


def test_leaving_a_private_community_hides_its_notifications(create_user, create_community, add_member, start, auth,
                                                             client):
    secret = create_community(visibility="private")
    alice, bob = create_user(email="alice@example.org"), create_user()
    add_member(secret, alice), add_member(secret, bob)
    start(secret, bob, title="Members only")
    auth.login("alice@example.org")
    assert "Members only" in client.get("/notifications").get_data(as_text=True)
    db.session.execute(sa.text("UPDATE membership SET status = 'left' WHERE user_id = :u"), {"u": alice.id})
    db.session.commit()
    assert "Members only" not in client.get("/notifications").get_data(as_text=True)


def test_header_count_costs_one_query(create_user, create_community, add_member, start, auth, client):
    community = create_community()
    alice, bob = create_user(email="alice@example.org"), create_user()
    add_member(community, alice), add_member(community, bob)
    for _ in range(3):
        start(community, bob)
    auth.login("alice@example.org")
    statements = []

    def listener(conn, cursor, statement, *args):
        statements.append(statement)
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    try:
        page = client.get("/communities/").get_data(as_text=True)
        signed_in = [s for s in statements if "FROM notification" in s]
        client.post("/logout")
        statements.clear()
        anonymous_page = client.get("/communities/").get_data(as_text=True)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert "3 unread" in page and len(signed_in) == 1
    assert "unread" not in anonymous_page and not [s for s in statements if "FROM notification" in s]


def test_thousand_notifications_paginate_and_mark_read(create_user, auth, client):
    alice, bob = create_user(email="alice@example.org"), create_user(name="Bob Sender")
    db.session.add_all([Notification(recipient_id=alice.id, actor_id=bob.id, kind="new_discussion",
                                     object_type="discussion", object_id=i, title=f"Topic {i}", link="/")
                        for i in range(1, 1001)])
    db.session.commit()
    auth.login("alice@example.org")
    first = client.get("/notifications").get_data(as_text=True)
    assert "Topic 1000" in first and "Topic 970" not in first and "Page 1 of 34" in first
    assert "1000 unread" in first
    last = client.get("/notifications?page=34").get_data(as_text=True)
    assert "“<bdi>Topic 1</bdi>”" in last and "“<bdi>Topic 11</bdi>”" not in last

    newest = db.session.scalar(sa.select(sa.func.max(Notification.id)))
    assert client.post(f"/notifications/{newest}/read").status_code == 302
    assert "999 unread" in client.get("/notifications").get_data(as_text=True)
    client.post("/notifications/read")
    assert "unread" not in client.get("/notifications").get_data(as_text=True)


def test_names_and_titles_keep_their_own_direction_and_are_escaped(create_user, auth, client):
    alice = create_user(email="alice@example.org", locale="ar")
    bob = create_user(name="Bob <b>Sender</b>")
    db.session.add(Notification(recipient_id=alice.id, actor_id=bob.id, kind="reply", object_type="discussion",
                                object_id=1, title="Budgets <script>x</script>.", link="/"))
    db.session.commit()
    auth.login("alice@example.org")
    page = client.get("/notifications").get_data(as_text=True)
    # English words inside an Arabic sentence: each isolated, so the period stays at their end.
    assert "<bdi>Bob &lt;b&gt;Sender&lt;/b&gt;</bdi>" in page
    assert "<bdi>Budgets &lt;script&gt;x&lt;/script&gt;.</bdi>" in page and "<script>x" not in page


def test_marking_read_needs_csrf_and_touches_only_own(app, create_user, auth, client):
    alice, bob = create_user(email="alice@example.org"), create_user()
    db.session.add(Notification(recipient_id=bob.id, kind="mention", object_type="discussion", object_id=1,
                                title="Bob's", link="/"))
    db.session.commit()
    auth.login("alice@example.org")
    note_id = db.session.scalar(sa.select(Notification.id))
    client.post(f"/notifications/{note_id}/read")
    db.session.expire_all()
    assert db.session.get(Notification, note_id).read_at is None
    app.config["WTF_CSRF_ENABLED"] = True
    assert client.post("/notifications/read").status_code == 400


def test_list_needs_sign_in(client):
    response = client.get("/notifications")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_replies_in_one_discussion_make_one_row_read_as_a_whole(create_user, create_community, add_member, start, auth,
                                                                client):
    community = create_community()
    alice, bob = create_user(email="alice@example.org"), create_user(name="Bob")
    add_member(community, alice), add_member(community, bob)
    busy, quiet = start(community, alice, title="Busy-thread"), start(community, alice, title="Quiet-thread")
    first = discussions.add_reply(busy, bob, "Reply 0")
    for i in range(1, 12):
        discussions.add_reply(busy, bob, f"Reply {i}")
    discussions.add_reply(quiet, bob, "Only one")
    db.session.commit()
    auth.login("alice@example.org")
    page = client.get("/notifications").get_data(as_text=True)
    assert "12 new replies in “<bdi dir=\"auto\">Busy-thread</bdi>”" in page and "<bdi>Bob</bdi> replied in “<bdi>Quiet-thread</bdi>”" in page
    assert page.count("Busy-thread") == 1
    assert f'href="/discussions/{busy.id}/replies/{first.id}"' in page  # opens at the first unread
    assert "2 unread" in page  # the header counts rows, not replies
    row = db.session.scalar(sa.select(Notification.id).where(Notification.recipient_id == alice.id,
                                                             Notification.thread == f"discussion:{busy.id}")
                            .order_by(Notification.id.desc()).limit(1))
    client.post(f"/notifications/{row}/read", data={"page": 1})
    unread = [n.title for n in notifications_of(alice) if n.read_at is None]
    assert unread == ["Quiet-thread"]


def test_reading_the_discussion_reads_the_replies_notices_up_to_there(create_user, create_community, add_member, start,
                                                                       auth, client):
    community = create_community()
    alice, bob = create_user(email="alice@example.org"), create_user(name="Bob")
    add_member(community, alice), add_member(community, bob)
    discussion = start(community, alice, title="Read-it-here")
    for i in range(3):
        discussions.add_reply(discussion, bob, f"Reply {i}")
    db.session.commit()
    auth.login("alice@example.org")
    assert "1 unread" in client.get("/notifications").get_data(as_text=True)
    client.get(f"/discussions/{discussion.id}")
    late = discussions.add_reply(discussion, bob, "Written after she read")
    db.session.commit()
    unread = [n.object_id for n in notifications_of(alice) if n.read_at is None and n.kind == "reply"]
    assert unread == [late.id]
