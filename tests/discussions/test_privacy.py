"""The privacy walk: every route of the discussions blueprints, as every role, in every kind of community.

Content a person may not see answers 404 (never 403, which would say it exists); anonymous visitors are
sent to sign in first on routes that need an account. Private titles and bodies never leak.
"""

import pytest
import sqlalchemy as sa

from hub.communities.models import REMOVED, Membership
from hub.discussions.models import Discussion, Reply
from hub.extensions import db

ROLES = ["anonymous", "outsider", "member", "facilitator", "secretariat"]
SEES = {"public": set(ROLES), "members": set(ROLES) - {"anonymous"},
        "private": {"member", "facilitator", "secretariat"}}
POSTERS = {"member", "facilitator", "secretariat"}
FACILITATORS = {"facilitator", "secretariat"}
AUTHOR = {"member"}
SIGNED_IN = set(ROLES) - {"anonymous"}
TEXT = {"title": "A walk title", "body": "A walk body", "language": "en", "kind": "question",
        "summary": "It worked."}

# (endpoint, method) -> (who may do it, the status they get)
EXPECTED = {
    ("discussions.show", "GET"): (set(ROLES), 200),
    ("discussions.permalink", "GET"): (set(ROLES), 302),
    ("discussions.start", "GET"): (POSTERS, 200),
    ("discussions.start", "POST"): (POSTERS, 302),
    ("discussions.reply", "POST"): (POSTERS, 302),
    ("discussions.edit", "GET"): (AUTHOR, 200),
    ("discussions.edit", "POST"): (AUTHOR, 302),
    ("discussions.edit_reply", "GET"): (AUTHOR, 200),
    ("discussions.edit_reply", "POST"): (AUTHOR, 302),
    ("discussions.delete", "POST"): (AUTHOR, 302),
    ("discussions.restore", "POST"): (AUTHOR, 302),
    ("discussions.delete_reply", "POST"): (AUTHOR, 302),
    ("discussions.restore_reply", "POST"): (AUTHOR, 302),
    ("discussions.revisions", "GET"): (AUTHOR | FACILITATORS, 200),
    ("discussions.reply_revisions", "GET"): (AUTHOR | FACILITATORS, 200),
    ("discussions_actions.helpful", "POST"): (POSTERS, 302),
    ("discussions_actions.follow", "POST"): (SIGNED_IN, 302),
    ("discussions_actions.answer", "POST"): (AUTHOR | FACILITATORS, 302),
    ("discussions_actions.pin", "POST"): (FACILITATORS, 302),
    ("discussions_actions.lock", "POST"): (FACILITATORS, 302),
    ("discussions_actions.move", "GET"): (FACILITATORS, 200),
    ("discussions_actions.move", "POST"): (FACILITATORS, 200),
    ("discussions_actions.best_practice", "GET"): (FACILITATORS, 200),
    ("discussions_actions.best_practice", "POST"): (FACILITATORS, 302),
}
#: Pages with no community in their address, walked by their own tests below.
PUBLIC_PAGES = {("discussions_actions.best_practices", "GET"), ("discussions.unanswered_questions", "GET")}
BLUEPRINTS = ("discussions.", "discussions_actions.")


def our_routes(app):
    """Every (rule, method) the discussions blueprints serve."""
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(BLUEPRINTS):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def test_every_route_is_in_the_walk(app):
    walked = set(EXPECTED) | PUBLIC_PAGES
    assert {(rule.endpoint, method) for rule, method in our_routes(app)} <= walked


def reset(found):
    """Undo what the previous request changed, so each answer depends on the role alone."""
    db.session.rollback()
    for community, discussion in found.values():
        db.session.execute(sa.update(Discussion).where(Discussion.id == discussion.id).values(
            deleted_at=None, is_locked=False, community_id=community.id))
        db.session.execute(sa.update(Reply).where(Reply.discussion_id == discussion.id).values(deleted_at=None))
    db.session.commit()
    db.session.expire_all()


@pytest.mark.parametrize("role", ROLES)
def test_privacy_walk(app, client, auth, world, role):
    people, found = world
    if role != "anonymous":
        auth.login(f"{role}@example.org")
    checked = 0
    for visibility, (community, discussion) in found.items():
        reply = db.session.scalar(sa.select(Reply).where(Reply.discussion_id == discussion.id))
        values = {"discussion_id": discussion.id, "reply_id": reply.id, "slug": community.slug}
        for rule, method in our_routes(app):
            if (rule.endpoint, method) in PUBLIC_PAGES:
                continue
            url = rule.build({k: v for k, v in values.items() if k in rule.arguments})[1]
            answer = client.open(url, method=method, data=dict(TEXT) if method == "POST" else None)
            allowed, status = EXPECTED[(rule.endpoint, method)]
            context = f"{role} {method} {url} ({visibility})"
            if role not in SEES[visibility]:
                assert answer.status_code in (302, 404), context
                if answer.status_code == 302:
                    assert role == "anonymous" and "/login" in answer.location, context
            elif role == "anonymous" and role not in allowed:
                assert answer.status_code == 302 and "/login" in answer.location, context
            else:
                assert answer.status_code == (status if role in allowed else 403), context
            if role not in SEES["private"]:
                assert "Secret-private" not in answer.text, context
            reset(found)
            checked += 1
    assert checked >= 3 * len(EXPECTED)


@pytest.mark.parametrize("role", ROLES)
def test_best_practices_page_shows_only_what_the_viewer_may_read(client, auth, world, role):
    people, found = world
    for community, discussion in found.values():
        discussion.best_practice_summary, discussion.best_practice_at = f"Summary {discussion.title}", \
            discussion.created_at
        discussion.themes = ["financing"]
    db.session.commit()
    if role != "anonymous":
        auth.login(f"{role}@example.org")
    page = client.get("/best-practices")
    assert page.status_code == 200
    for visibility in ("public", "members", "private"):
        assert (f"Secret-{visibility}-title" in page.text) == (role in SEES[visibility]), visibility


@pytest.mark.parametrize("role", ROLES)
def test_unanswered_questions_page_shows_only_what_the_viewer_may_read(client, auth, world, role):
    people, found = world
    outsider = people["outsider"]
    outsider.expertise = "Education financing"  # an outsider sees questions on their theme they may read
    for community, discussion in found.values():
        discussion.reply_count, discussion.themes = 0, ["financing"]
    db.session.commit()
    if role != "anonymous":
        auth.login(f"{role}@example.org")
    page = client.get("/questions/unanswered")
    if role == "anonymous":
        assert page.status_code == 302 and "/login" in page.location
        return
    assert page.status_code == 200
    for visibility in ("public", "members", "private"):
        # The facilitator is in all three communities; the outsider's expertise reaches what they may read;
        # the questions are the member's own; the secretariat is in none and names no expertise.
        may_read = role == "facilitator" or (role == "outsider" and role in SEES[visibility])
        assert (f"Secret-{visibility}-title" in page.text) == may_read, visibility


def test_community_page_hides_private_discussions_and_counts(client, auth, world):
    people, found = world
    community, discussion = found["private"]
    auth.login("outsider@example.org")
    answer = client.get(f"/communities/{community.slug}")
    assert answer.status_code == 404 and "Secret-private" not in answer.text
    auth.logout()
    auth.login("member@example.org")
    page = client.get(f"/communities/{community.slug}")
    assert "Secret-private-title" in page.text and "1 reply" in page.text


def test_editing_someone_elses_post_by_changing_the_id(client, auth, world, create_user, add_member):
    people, found = world
    community, discussion = found["public"]
    reply = db.session.scalar(sa.select(Reply).where(Reply.discussion_id == discussion.id))
    auth.login("facilitator@example.org")
    assert client.post(f"/discussions/{discussion.id}/edit", data=TEXT).status_code == 403
    assert client.post(f"/discussions/{discussion.id}/replies/{reply.id}/edit",
                       data={"body": "hijacked"}).status_code == 403
    _, private = found["private"]
    # A reply id that belongs to another discussion is simply not there.
    assert client.get(f"/discussions/{private.id}/replies/{reply.id}/edit").status_code == 404
    db.session.expire_all()
    assert db.session.get(Reply, reply.id).body == "Reply number 1"


def test_reply_after_removal_from_a_private_community(client, auth, world):
    people, found = world
    community, discussion = found["private"]
    auth.login("member@example.org")
    assert client.post(f"/discussions/{discussion.id}/replies", data={"body": "first"}).status_code == 302
    db.session.execute(sa.update(Membership).where(Membership.user_id == people["member"].id,
                                                   Membership.community_id == community.id).values(status=REMOVED))
    db.session.commit()
    answer = client.post(f"/discussions/{discussion.id}/replies", data={"body": "second"})
    assert answer.status_code == 404 and "Secret-private" not in answer.text
    assert db.session.scalar(sa.select(sa.func.count(Reply.id)).where(Reply.body == "second")) == 0
