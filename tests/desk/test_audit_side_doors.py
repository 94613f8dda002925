"""The side doors of the audit: what facilitators do from the discussion page and the members page is in the
audit log, through the same services as the desk; an author's own choices are not."""

import sqlalchemy as sa

from hub.audit import AuditEntry
from hub.discussions import services as discussions
from hub.extensions import db


def entries():
    db.session.expire_all()
    return [(e.action, e.object_type, e.object_id, e.actor_id)
            for e in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))]


def test_lock_from_the_discussion_page_and_from_the_desk_is_one_audited_path(client, auth, world):
    discussion, facilitator = world["discussion"], world["people"]["facilitator"]
    auth.login(facilitator.email)
    client.post(f"/discussions/{discussion.id}/lock")
    client.post(f"/discussions/{discussion.id}/lock")
    client.post(f"/discussions/{discussion.id}/pin")
    assert entries() == [("lock", "discussion", discussion.id, facilitator.id),
                         ("unlock", "discussion", discussion.id, facilitator.id),
                         ("pin", "discussion", discussion.id, facilitator.id)]
    client.post(f"/discussions/{discussion.id}/lock")
    auth.logout()
    auth.login(world["people"]["member"].email)
    client.post(f"/report/discussion/{discussion.id}", data={"reason": "spam"})
    auth.logout()
    auth.login(world["people"]["secretariat"].email)
    page = client.get(f"/desk/queue/discussion/{discussion.id}").get_data(as_text=True)
    assert 'value="lock"' not in page  # locked already: the desk does not offer it twice
    assert [e[0] for e in entries()].count("lock") == 2


def test_moving_a_discussion_and_marking_a_best_practice_are_audited(client, auth, world, add_member):
    discussion, facilitator = world["discussion"], world["people"]["facilitator"]
    add_member(world["second"], facilitator, facilitator=True)
    auth.login(facilitator.email)
    assert client.post(f"/discussions/{discussion.id}/move",
                       data={"community": str(world["second"].id)}).status_code == 302
    client.post(f"/discussions/{discussion.id}/best-practice", data={"summary": "How to meet safely"})
    move, best = [e for e in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))][-2:]
    assert (move.action, move.details) == ("move", {"from": world["first"].id, "to": world["second"].id})
    assert (best.action, best.reason) == ("mark_best_practice", "How to meet safely")


def test_members_and_facilitators_changes_are_audited(client, auth, world):
    facilitator, member = world["people"]["facilitator"], world["people"]["member"]
    slug = world["first"].slug
    auth.login(facilitator.email)
    client.post(f"/communities/{slug}/members/{member.id}/facilitator", data={"facilitator": "1"})
    client.post(f"/communities/{slug}/members/{member.id}/facilitator", data={"facilitator": "0"})
    client.post(f"/communities/{slug}/members/{member.id}/remove")
    assert entries() == [(action, "person", member.id, facilitator.id)
                         for action in ("make_facilitator", "remove_facilitator", "remove_member")]
    assert {e.details["community"] for e in db.session.scalars(sa.select(AuditEntry))} == {world["first"].id}


def test_a_facilitator_choosing_the_answer_is_audited_the_author_is_not(client, auth, world):
    discussion, reply = world["discussion"], world["reply"]
    other = discussions.add_reply(discussion, world["people"]["member"], "Nine is too early")
    discussion.kind = "question"
    db.session.commit()
    auth.login(world["people"]["author"].email)  # the question's author: their own choice
    client.post(f"/discussions/{discussion.id}/replies/{reply.id}/answer")
    assert entries() == []
    auth.logout()
    auth.login(world["people"]["facilitator"].email)
    client.post(f"/discussions/{discussion.id}/replies/{other.id}/answer")
    assert entries() == [("mark_answer", "reply", other.id, world["people"]["facilitator"].id)]
