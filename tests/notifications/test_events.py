"""What other features announce (hub/signals.py) reaches notify(): join requests, library items, answers, survey rounds."""

import sqlalchemy as sa

from hub.communities import membership as memberships
from hub.communities.models import Follow
from hub.discussions import services as discussions
from hub.extensions import db
from hub.library import services as library
from hub.notifications.models import Notification
from hub.survey import services as survey


def kinds_of(user):
    return [n.kind for n in db.session.scalars(sa.select(Notification).where(
        Notification.recipient_id == user.id, Notification.withdrawn_at.is_(None)).order_by(Notification.id))]


def test_join_request_reaches_facilitators_and_the_outcome_the_asker(create_user, create_community, add_member):
    community = create_community(join_policy="request", visibility="private")
    facilitator, plain_member, asker = create_user(), create_user(), create_user()
    add_member(community, facilitator, facilitator=True), add_member(community, plain_member)
    request = memberships.join(community, asker, "Please")
    db.session.commit()
    assert kinds_of(facilitator) == ["join_request"] and kinds_of(plain_member) == []
    memberships.decide_request(request, approve=False)
    db.session.commit()
    assert kinds_of(asker) == ["join_outcome"]


def test_library_item_in_a_followed_community_and_its_withdrawal(create_user, create_community, add_member):
    community = create_community(visibility="private")
    owner, follower = create_user(), create_user()
    add_member(community, owner), add_member(community, follower)
    outsider = create_user()
    db.session.add(Follow(user_id=outsider.id, community_id=community.id))  # a stale follow: no longer a member
    db.session.commit()
    item = library.create_item({"title": "Toolkit", "kind": "document", "community_id": community.id,
                                "description": "", "licence": "cc-by"}, owner)
    db.session.commit()
    assert kinds_of(follower) == ["new_item"] and kinds_of(outsider) == []
    library.delete_item(item)
    db.session.commit()
    assert kinds_of(follower) == []


def test_a_library_item_deleted_for_good_takes_its_notices_and_leaves_an_audit_entry_named_item(
        create_user, create_community, add_member):
    from hub.audit import AuditEntry
    from hub.desk import services as desk
    community = create_community()
    owner, follower, moderator = create_user(), create_user(), create_user(is_secretariat=True)
    add_member(community, owner), add_member(community, follower)
    item = library.create_item({"title": "Toolkit", "kind": "document", "community_id": community.id,
                                "description": "", "licence": "cc-by"}, owner)
    db.session.commit()
    assert kinds_of(follower) == ["new_item"]
    desk.hide("item", item, moderator, "spam")
    assert desk.delete_permanently("item", item, moderator, "spam")
    db.session.commit()
    assert db.session.scalars(sa.select(Notification).where(Notification.recipient_id == follower.id)).all() == []
    assert {e.object_type for e in db.session.scalars(sa.select(AuditEntry))} == {"item"}


def test_marked_answer_notifies_the_replys_author(create_user, create_community, add_member, start):
    community = create_community()
    asker, helper = create_user(), create_user()
    add_member(community, asker), add_member(community, helper)
    memberships.unfollow(asker, community), memberships.unfollow(helper, community)  # not told of new discussions
    question = start(community, asker, kind="question")
    reply = discussions.add_reply(question, helper, "Try this")
    discussions.toggle_answer(question, reply, asker)
    db.session.commit()
    assert kinds_of(helper) == ["answer"]


def test_survey_round_reaches_focal_points_only(create_user, create_org):
    org = create_org()
    focal, staff = create_user(organisation=org, is_focal_point=True), create_user(organisation=org)
    secretariat = create_user(is_secretariat=True)
    survey.open_round("Capacity 2027", None, None, secretariat)
    db.session.commit()
    assert kinds_of(focal) == ["survey_round"] and kinds_of(staff) == [] and kinds_of(secretariat) == []


def test_deleting_a_discussion_withdraws_its_replies_notifications(create_user, create_community, add_member, start):
    community = create_community()
    alice, bob = create_user(), create_user()
    add_member(community, alice), add_member(community, bob)
    discussion = start(community, alice)
    discussions.add_reply(discussion, bob, "One reply")
    db.session.commit()
    assert "reply" in kinds_of(alice) and "new_discussion" in kinds_of(bob)
    discussions.delete_post(discussion)
    db.session.commit()
    assert kinds_of(alice) == [] and kinds_of(bob) == []
