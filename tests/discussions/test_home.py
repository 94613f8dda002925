"""The signed-in home page: news per community since the last visit, unanswered questions, what waits for a
facilitator or the secretariat — through the same permissions as the pages, at a cost that does not grow."""

from datetime import timedelta

import sqlalchemy as sa

from hub.core.home import BLOCK_SIZE
from hub.communities.models import REMOVED, REQUESTED, Membership
from hub.db import utcnow
from hub.discussions import services
from hub.discussions.models import Reply
from hub.extensions import db
from hub.library.models import LibraryItem, MediaFile
from hub.notifications.models import Notification
from hub.desk.models import Report


def visited(person, community, ago):
    membership = db.session.scalar(sa.select(Membership).where(Membership.user_id == person.id,
                                                               Membership.community_id == community.id))
    membership.last_visit_at = utcnow() - ago
    db.session.commit()
    return membership


def news_row(home, title):
    """The text of one community's line in the news block."""
    start = home.index(title)
    return " ".join(home[start:home.index("</li>", start)].split())


def test_news_since_the_last_visit_follows_visibility_and_membership(client, auth, world, make_discussion):
    people, found = world
    community, old = found["private"]
    reader = people["facilitator"]
    membership = visited(reader, community, timedelta(days=1))
    old.created_at = utcnow() - timedelta(days=2)  # read before the last visit, with its first reply
    db.session.execute(sa.update(Reply).where(Reply.discussion_id == old.id).values(
        created_at=utcnow() - timedelta(days=2)))
    make_discussion(community, people["member"], title="Fresh-news-title")
    services.add_reply(old, people["member"], "A new reply")
    hidden = make_discussion(community, people["member"], title="Hidden-after-counting")
    auth.login("facilitator@example.org")
    home = client.get("/").text
    assert "2 new discussions" in home and "1 new reply" in home
    hidden.hidden_at = utcnow()
    db.session.commit()
    assert "1 new discussion," in client.get("/").text  # hidden after it was counted: gone at once
    membership.status = REMOVED
    db.session.commit()
    assert "The private community" not in client.get("/").text  # removed: its news disappear at once


def test_a_visit_years_ago_counts_a_bounded_window(client, auth, world, make_discussion):
    people, found = world
    community, discussion = found["members"]
    visited(people["facilitator"], community, timedelta(days=3 * 365))
    ancient = make_discussion(community, people["member"], title="Ancient")
    ancient.created_at = utcnow() - timedelta(days=400)
    db.session.commit()
    auth.login("facilitator@example.org")
    row = news_row(client.get("/").text, "The members community")
    assert "1 new discussion," in row  # the one written now, not the one from before the 90 days counted


def test_unanswered_questions_and_what_waits_for_a_facilitator(client, auth, world, make_discussion, create_user):
    people, found = world
    community, _ = found["public"]
    make_discussion(community, people["member"], kind="question", title="Who-can-help-with-this")
    applicant = create_user(email="applicant@example.org")
    db.session.add(Membership(community_id=community.id, user_id=applicant.id, status=REQUESTED))
    make_discussion(community, people["member"], title="Held-for-review").hold_for_review()
    db.session.commit()
    auth.login("facilitator@example.org")
    home = client.get("/").text
    assert "Who-can-help-with-this" in home
    assert "1 request to join" in home and "1 post waiting for review" in home
    assert f"/communities/{community.slug}/requests" in home
    auth.logout()
    auth.login("member@example.org")
    home = client.get("/").text
    assert "request to join" not in home and "Who-can-help-with-this" not in home  # their own question


def test_the_secretariat_sees_the_desk_queue(client, auth, world):
    people, found = world
    _, discussion = found["members"]
    db.session.add(Report(reporter_id=people["outsider"].id, kind="discussion", object_id=discussion.id,
                          community_id=discussion.community_id, reason="spam"))
    db.session.commit()
    auth.login("secretariat@example.org")
    assert "1 report on the desk" in client.get("/").text


def test_home_queries_do_not_grow_with_communities_and_discussions(client, auth, world, create_community, add_member,
                                                                    make_discussion, count_queries):
    people, found = world
    auth.login("facilitator@example.org")
    client.get("/")
    db.session.expire_all()
    with count_queries() as n:
        assert client.get("/").status_code == 200
    few = n()
    for i in range(6):
        community = create_community(visibility="members")
        add_member(community, people["facilitator"], facilitator=True)
        for _ in range(3):
            make_discussion(community, people["member"], replies=i % 2 * 2, kind="discussion" if i % 2 else "question")
    for i in range(40):  # the header's unread count and the page stay one query each, however many notices wait
        db.session.add(Notification(recipient_id=people["facilitator"].id, actor_id=people["member"].id, kind="reply",
                                    object_type="discussion", object_id=found["public"][1].id, title=f"Notice {i}",
                                    link="/", thread=f"discussion:{i}"))
    db.session.commit()
    db.session.expire_all()
    with count_queries() as n:
        home = client.get("/").text
    assert home.count("new replies") == BLOCK_SIZE and home.count('href="/discussions/') == BLOCK_SIZE
    assert n() == few, (few, n())


def test_a_visitor_sees_public_communities_and_recordings_and_how_to_join(client, world, count_queries):
    people, found = world
    for name, visibility in (("Open-session", "public"), ("Members-session", "members")):
        db.session.add(LibraryItem(slug=name.lower(), kind="recording", title=name, owner_id=people["member"].id,
                                   year=2026, duration=3723.0, community_id=found[visibility][0].id))
    db.session.commit()
    with count_queries() as n:
        home = client.get("/", headers={"Accept-Language": "fr"}).text
    assert "The public community" in home and "The private community" not in home
    assert "The members community" not in home
    assert "Open-session" in home and "1:02:03" in home and "Members-session" not in home
    assert 'href="/register"' in home and '<html lang="fr"' in home
    assert n() <= 8  # organisations, communities, best practices, recordings (and their files, communities), sessions


def test_recordings_show_their_poster_in_the_library_and_on_the_home_page(client, world):
    people, found = world
    item = LibraryItem(slug="webinar", kind="recording", title="Webinar", owner_id=people["member"].id, year=2026,
                       duration=65.0, community_id=found["public"][0].id)
    db.session.add(item)
    db.session.flush()
    poster = MediaFile(item_id=item.id, role="poster", storage_name="poster-test.jpg", filename="poster.jpg",
                       mimetype="image/jpeg", size=10)
    db.session.add(poster)
    db.session.commit()
    for page in ("/", "/library/"):
        html = client.get(page).text
        assert "/library/webinar" in html and "1:05" in html, page
        assert f"files/{poster.id}" in html, page


def test_best_practices_on_both_home_pages_follow_the_community_rules(client, auth, world):
    people, found = world
    for visibility in ("public", "private"):
        services.mark_best_practice(found[visibility][1], people["secretariat"], f"Summary-{visibility}")
    db.session.commit()
    visitor = client.get("/").text
    assert "Summary-public" in visitor and "Summary-private" not in visitor
    auth.login("member@example.org")
    member = client.get("/").text
    assert "Summary-public" in member and "Summary-private" in member


def test_a_person_in_no_community_gets_a_home_page_that_says_so(client, auth, world):
    auth.login("outsider@example.org")
    home = client.get("/")
    assert home.status_code == 200
    assert "You have not joined a community yet." in home.text
    assert "Every question in your communities has a reply." in home.text


def test_unanswered_questions_on_the_themes_of_ones_expertise_come_from_any_readable_community(
        client, auth, world, make_discussion, create_community):
    people, found = world
    outsider = people["outsider"]
    outsider.expertise = "Teacher training and education financing"
    db.session.commit()
    public, _ = found["public"]
    private, _ = found["private"]
    make_discussion(public, people["member"], kind="question", title="Budget-tracking-question", themes=["financing"])
    make_discussion(public, people["member"], kind="question", title="Off-theme-question", themes=["climate"])
    make_discussion(private, people["member"], kind="question", title="Private-budget-question", themes=["financing"])
    auth.login("outsider@example.org")
    home = client.get("/").text
    assert "Budget-tracking-question" in home  # a public community they are not in, on their theme
    assert "Off-theme-question" not in home and "Private-budget-question" not in home
    page = client.get("/questions/unanswered").text
    assert "Budget-tracking-question" in page and "Private-budget-question" not in page
    assert "Teachers" in page and "Education financing" in page  # the themes read from the expertise


def test_see_all_unanswered_questions_is_paged_and_drops_a_question_once_answered(
        client, auth, world, make_discussion, app):
    people, found = world
    community, _ = found["members"]
    app.config["PER_PAGE"] = 3
    questions = [make_discussion(community, people["member"], kind="question", title=f"Waiting-{i}") for i in range(4)]
    auth.login("facilitator@example.org")
    first = client.get("/questions/unanswered").text
    assert first.count("Waiting-") == 3 and "Page 1 of 2" in first
    assert client.get("/questions/unanswered?page=99").text.count("Waiting-") == 1  # past the end: the last page
    assert client.get("/questions/unanswered?page=abc").status_code == 200
    services.add_reply(questions[0], people["facilitator"], "Here is how we did it")
    db.session.commit()
    both = client.get("/questions/unanswered").text + client.get("/questions/unanswered?page=2").text
    assert "Waiting-0" not in both and "Waiting-3" in both
    auth.logout()
    assert client.get("/questions/unanswered").status_code == 302  # signed-out: to the sign-in page
