"""Unread tracking: "N new" in the community's list, a link to the first unread reply, one mark per person."""

import sqlalchemy as sa

from hub.db import utcnow
from hub.discussions import services, unread
from hub.discussions.models import ReadMark
from hub.extensions import db


def replies_from(discussion, author, count, start=0):
    made = [services.add_reply(discussion, author, f"Reply {start + i}") for i in range(count)]
    db.session.commit()
    return made


def test_list_counts_new_replies_and_links_to_the_first_unread(client, auth, world):
    people, found = world
    community, discussion = found["members"]
    reader, writer = people["facilitator"], people["member"]
    auth.login("facilitator@example.org")
    listing = client.get(f"/communities/{community.slug}").text
    assert " new</a>" not in listing  # never opened: nothing counted yet
    assert client.get(f"/discussions/{discussion.id}").status_code == 200
    marks = db.session.scalars(sa.select(ReadMark).where(ReadMark.user_id == reader.id)).all()
    assert len(marks) == 1
    read_at = marks[0].read_at

    writes = []
    listener = lambda conn, cursor, statement, *args: writes.append(statement) if statement.lstrip().upper(
        ).startswith(("INSERT", "UPDATE")) else None
    sa.event.listen(db.engine, "before_cursor_execute", listener)
    client.get(f"/discussions/{discussion.id}")  # nothing new: nothing written
    sa.event.remove(db.engine, "before_cursor_execute", listener)
    assert writes == []
    assert db.session.scalar(sa.select(ReadMark.read_at).where(ReadMark.user_id == reader.id)) == read_at

    first, *_ = replies_from(discussion, writer, 3)
    hidden = services.add_reply(discussion, writer, "A hidden reply")
    hidden.hidden_at = utcnow()
    mine = services.add_reply(discussion, reader, "My own reply")
    db.session.commit()
    listing = client.get(f"/communities/{community.slug}").text
    assert "3 new" in listing
    assert f"/discussions/{discussion.id}/replies/{first.id}" in listing
    opened = client.get(f"/discussions/{discussion.id}/replies/{first.id}")
    assert opened.status_code == 302 and opened.location.endswith(f"#reply-{first.id}")
    client.get(opened.location)
    mark = db.session.scalar(sa.select(ReadMark).where(ReadMark.user_id == reader.id))
    db.session.refresh(mark)
    assert mark.last_reply_id == mine.id
    assert " new</a>" not in client.get(f"/communities/{community.slug}").text

    # A new reply deleted after it was counted is no longer counted.
    late = replies_from(discussion, writer, 1, start=10)[0]
    assert "1 new" in client.get(f"/communities/{community.slug}").text
    services.delete_post(late)
    db.session.commit()
    assert " new</a>" not in client.get(f"/communities/{community.slug}").text


def test_long_discussion_opens_at_the_first_unread_page(client, auth, world, app):
    people, found = world
    community, discussion = found["public"]
    per_page = app.config["PER_PAGE"]
    replies_from(discussion, people["member"], per_page - 1)
    auth.login("facilitator@example.org")
    client.get(f"/discussions/{discussion.id}")  # read the first page, all of it
    later = replies_from(discussion, people["member"], 3, start=100)
    listing = client.get(f"/communities/{community.slug}").text
    assert "3 new" in listing
    opened = client.get(f"/discussions/{discussion.id}/replies/{later[0].id}")
    assert opened.location.endswith(f"?page=2#reply-{later[0].id}")
    page = client.get(opened.location).text
    assert f'id="reply-{later[0].id}"' in page


def test_reading_twice_at_once_keeps_one_mark_that_never_moves_back(app, world):
    people, found = world
    _, discussion = found["public"]
    reader = people["facilitator"]
    replies = replies_from(discussion, people["member"], 3)
    assert unread.mark_read(reader, discussion, [replies[2].id])
    db.session.commit()
    assert not unread.mark_read(reader, discussion, [replies[0].id])  # an older page: nothing written
    assert not unread.mark_read(reader, discussion, [replies[2].id])
    db.session.commit()
    rows = db.session.scalars(sa.select(ReadMark).where(ReadMark.user_id == reader.id)).all()
    assert [row.last_reply_id for row in rows] == [replies[2].id]


def test_search_results_say_how_many_replies_are_new_in_a_discussion(client, auth, world, make_discussion):
    people, found = world
    community, _ = found["members"]
    discussion = make_discussion(community, people["member"], title="Groundwater schooling logbook", replies=1)
    auth.login("facilitator@example.org")
    assert " new</a>" not in client.get("/search?q=groundwater").text  # never opened: nothing counted
    client.get(f"/discussions/{discussion.id}")
    first, *_ = replies_from(discussion, people["member"], 2)
    results = client.get("/search?q=groundwater").text
    assert f'href="/discussions/{discussion.id}/replies/{first.id}">2 new</a>' in results
