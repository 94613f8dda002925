"""The discussion page runs the same number of SQL statements whatever the number of replies."""

from hub.discussions import services
from hub.extensions import db


def discussion_with(replies, community, people, make_discussion):
    discussion = make_discussion(community, people[0], kind="question")
    for i in range(replies):
        services.add_reply(discussion, people[i % len(people)], f"Reply {i} from @nobody with **Markdown**")
    db.session.commit()
    return discussion


def test_discussion_page_queries_do_not_grow_with_replies(client, auth, world, create_user, add_member,
                                                          make_discussion, count_queries):
    people, found = world
    community, _ = found["members"]
    authors = [people["member"], people["facilitator"]] + [create_user() for _ in range(3)]
    small = discussion_with(20, community, authors, make_discussion)
    large = discussion_with(200, community, authors, make_discussion)
    auth.login("member@example.org")
    counts = []
    for discussion in (small, large, large):
        db.session.expire_all()
        with count_queries() as n:
            answer = client.get(f"/discussions/{discussion.id}")
        assert answer.status_code == 200
        counts.append(n())
    assert counts[0] == counts[1], counts
    last = client.get(f"/discussions/{large.id}?page=7")  # reading on moves the read mark
    assert "Reply 199 " in last.text
    db.session.expire_all()
    with count_queries() as n:
        client.get(f"/discussions/{large.id}?page=7")
    # One looks up the device session (and its person), one the read mark; a first reading also writes the
    # mark, reads the replies' notices and reloads the person after the commit.
    assert n() <= counts[2] <= 12 and counts[0] <= 15
