"""Creating notifications (only for people who may see the object), withdrawing them, and the inbox.

notify() is the one way in; the small helpers below it receive what other features announce
(hub/signals.py, connected in create_app), inside the announcing feature's transaction. No feature
imports this module. Services flush, never commit.
"""

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import aliased, joinedload

from hub import kinds, permissions
from hub.accounts import export
from hub.accounts.models import ACTIVE as ACCOUNT_ACTIVE
from hub.accounts.models import User
from hub.communities.models import MEMBER, Community, Follow, Membership
from hub.db import insert_once, utcnow
from hub.extensions import db
from hub.mail import EmailOutbox
from hub.markdown import mentioned_handles
from hub.notifications import emails
from hub.notifications.models import (ANSWER, ANSWERS_REOPENED, INTRODUCTION, JOIN_OUTCOME, JOIN_REQUEST, KINDS, MENTION,
                                      EXCHANGE_ANSWER, EXCHANGE_REQUEST, MODERATION, NAMED, NEW_DISCUSSION,
                                      NEW_ITEM, PERSONAL, REPLY, REPORT, REPORT_OUTCOME, REVIEW, CONFIRM_ANSWERS,
                                      SESSION_CHANGED, SESSION_MATERIAL, SESSION_PROPOSAL, SESSION_REMINDER,
                                      SESSION_SEAT, SELF_MAILED, SURVEY_ROUND, DigestSetting,
                                      EmailPreference, Notification)
from hub.pagination import paginate


# --- What a notification shows ------------------------------------------------------------------

def describe(kind: str, obj) -> dict:
    """The title, link and thread stored with a notification about `obj`."""
    about = kinds.of(obj)
    found = {"title": about.title(obj), "link": kinds.link(obj)}
    if about.name in ("discussion", "reply"):
        found["thread"] = f"discussion:{obj.id if about.name == 'discussion' else obj.discussion_id}"
    if about.name == "membership" and kind == JOIN_REQUEST:
        found["link"] = current_app.url_map.bind("hub.invalid").build("communities.membership.requests",
                                                                      {"slug": obj.community.slug})
    return found


# --- Creating and withdrawing ------------------------------------------------------------------

def notify(kind: str, recipients, obj, actor=None, community=None, details=None, link=None,
           urgent: bool = False, in_digest: bool = False) -> list[Notification]:
    """Notify each recipient who may see `obj` (never the actor, never twice); flushes. Urgent notices
    are emailed at once to everyone who did not turn that kind's email off; `in_digest` ones (a bulk
    action's) wait for the digest."""
    # NAMED kinds reach the people named even when others cannot see `obj`; `details` and `link`
    # (instead of the object's page) are what a moderation notice adds.
    seen, created = {actor.id} if actor is not None else set(), []
    about = describe(kind, obj)
    about["title"] = about["title"][:300]
    if link is not None:
        about["link"] = link
    for person in recipients:
        if person.id in seen or person.status != ACCOUNT_ACTIVE or person.is_deleted:
            continue
        seen.add(person.id)
        if kind not in NAMED and not kinds.can_view(person, obj):
            continue
        created.append(Notification(recipient=person, kind=kind, actor=actor, object_type=kinds.of(obj).name,
                                    object_id=obj.id, community_id=community.id if community else None,
                                    details=details, **about))
    if created:
        db.session.add_all(created)
        db.session.flush()
        choices = email_choices(kind, [n.recipient_id for n in created])
        for notification in created:
            if in_digest:
                break
            if kind in SELF_MAILED:
                if choices[notification.recipient_id] == "immediately":
                    notification.emailed_at = utcnow()  # its feature emails it, not the digest
                continue
            if choices[notification.recipient_id] == "immediately" or (
                    urgent and choices[notification.recipient_id] != "never"):
                emails.queue_notification(notification)
    return created


def withdraw_for(obj) -> int:
    """Withdraw the notifications about a deleted or hidden object (and its thread); cancel unsent mail."""
    return _withdraw(_about(obj))


def _withdraw(condition) -> int:
    ids = db.session.scalars(sa.select(Notification.id).where(condition, Notification.withdrawn_at.is_(None))).all()
    if ids:
        db.session.execute(sa.update(Notification).where(Notification.id.in_(ids)).values(withdrawn_at=utcnow())
                           .execution_options(synchronize_session=False))
        emails.cancel_for(ids)
    db.session.flush()
    return len(ids)


def _about(obj):
    """SQL condition: the notifications about `obj` (a discussion's: its whole thread), personal ones aside."""
    condition = sa.and_(Notification.object_type == kinds.of(obj).name, Notification.object_id == obj.id)
    if kinds.of(obj).name == "discussion":
        condition = sa.or_(condition, Notification.thread == f"discussion:{obj.id}")
    return sa.and_(condition, Notification.kind.not_in(PERSONAL))


def restore_for(obj) -> None:
    """Bring back the notifications withdrawn with an object when it is restored."""
    condition = _about(obj)
    if not getattr(obj, "is_pending", False):  # a decided post's review notices stay withdrawn
        condition = sa.and_(condition, Notification.kind != REVIEW)
    db.session.execute(sa.update(Notification).where(condition).values(withdrawn_at=None)
                       .execution_options(synchronize_session=False))
    db.session.flush()


def _followers(**target) -> list[User]:
    (column, value), = target.items()
    return db.session.scalars(sa.select(User).join(Follow, Follow.user_id == User.id)
                              .where(getattr(Follow, column) == value)).all()


def _mentioned(source: str) -> list[User]:
    handles = mentioned_handles(source)
    return db.session.scalars(sa.select(User).where(User.handle.in_(handles))).all() if handles else []


def discussion_started(discussion) -> None:
    """People mentioned in a new discussion, and the followers of its community."""
    mentioned = _mentioned(discussion.body)
    notify(MENTION, mentioned, discussion, discussion.author, discussion.community)
    others = [p for p in _followers(community_id=discussion.community_id) if p not in mentioned]
    notify(NEW_DISCUSSION, others, discussion, discussion.author, discussion.community)


def reply_added(reply) -> None:
    """People mentioned in a reply, and the followers of its discussion."""
    discussion = reply.discussion
    mentioned = _mentioned(reply.body)
    notify(MENTION, mentioned, reply, reply.author, discussion.community)
    others = [p for p in _followers(discussion_id=discussion.id) if p not in mentioned]
    notify(REPLY, others, reply, reply.author, discussion.community)


def answer_marked(reply, actor=None) -> None:
    """Tell a reply's author that it is now the answer."""
    if reply.is_answer:
        notify(ANSWER, [reply.author], reply, actor, reply.discussion.community)


def post_published(post) -> None:
    """A discussion, reply or library item others can now see: the people it concerns hear of it."""
    {"discussion": discussion_started, "reply": reply_added, "item": item_added}[kinds.of(post).name](post)


def item_added(item) -> None:
    """The followers of the community a new library item is in."""
    if item.community is not None:
        notify(NEW_ITEM, _followers(community_id=item.community_id), item, item.owner, item.community)


def review_requested(post, author, community) -> None:
    """A post waits for review: the community's facilitators hear it (the secretariat, where none)."""
    moderators = _facilitators(community.id) if community is not None else []
    if not moderators:
        moderators = db.session.scalars(sa.select(User).where(User.is_secretariat.is_(True))).all()
    queue = current_app.url_map.bind("hub.invalid").build("desk.queue", {})
    link = f"{queue}#review-{kinds.of(post).name}-{post.id}"
    notify(REVIEW, moderators, post, author, community, link=link)


def review_decided(post) -> None:
    """The post was approved or rejected: the moderators' review notices are withdrawn."""
    _withdraw(sa.and_(Notification.kind == REVIEW, Notification.object_type == kinds.of(post).name,
                      Notification.object_id == post.id))


def report_filed(report, post, community, urgent: bool) -> None:
    """A new report: the community's facilitators hear it (the secretariat where none, and always for a
    safety risk) — at once for a safety risk, in their digest otherwise."""
    moderators = list(_facilitators(community.id)) if community is not None else []
    if urgent or not moderators:
        moderators += db.session.scalars(sa.select(User).where(User.is_secretariat.is_(True))).all()
    case = current_app.url_map.bind("hub.invalid").build("desk.case", {"kind": report.kind,
                                                                       "object_id": report.object_id})
    notify(REPORT, moderators, post, community=community, link=case, urgent=urgent,
           details={"reason": report.reason, "urgent": urgent})


def moderated(post, author, action: str, reason: str, bulk: bool = False) -> None:
    """The author hears what moderators decided about their post, and why (a bulk action: in the digest)."""
    notify(MODERATION, [author], post, details={"action": action, "reason": reason}, in_digest=bulk)


def report_closed(report, reporter, post, outcome: str, gone: bool, bulk: bool = False) -> None:
    """A reporter hears what became of their report; hidden or deleted content links to the home page."""
    link = current_app.url_map.bind("hub.invalid").build("core.home", {}) if gone else None
    _withdraw(sa.and_(Notification.kind == REPORT, Notification.object_type == kinds.of(post).name,
                      Notification.object_id == post.id))  # the moderators' alerts: handled now
    notify(REPORT_OUTCOME, [reporter], post, link=link, details={"outcome": outcome}, in_digest=bulk)


def _facilitators(community_id: int) -> list[User]:
    return db.session.scalars(sa.select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.community_id == community_id, Membership.status == MEMBER,
        Membership.is_facilitator.is_(True))).all()


def discussion_read(discussion, reader, upto: int) -> None:
    """Replies the person has now read on the discussion's page need no notice any more."""
    db.session.execute(sa.update(Notification).where(
        Notification.recipient_id == reader.id, Notification.read_at.is_(None), Notification.kind == REPLY,
        Notification.thread == f"discussion:{discussion.id}", Notification.object_type == "reply",
        Notification.object_id <= upto).values(read_at=utcnow()).execution_options(synchronize_session=False))


def join_requested(membership) -> None:
    """The community's facilitators hear about a request to join."""
    notify(JOIN_REQUEST, _facilitators(membership.community_id), membership, membership.user, membership.community)


def join_decided(membership, actor) -> None:
    """The person who asked to join hears the answer."""
    notify(JOIN_OUTCOME, [membership.user], membership, actor, membership.community)


def survey_round_opened(survey_round, actor) -> None:
    """Every focal point hears that a capacity survey round is open."""
    people = db.session.scalars(sa.select(User).where(User.is_focal_point.is_(True))).all()
    notify(SURVEY_ROUND, people, survey_round, actor)


def introduced(intro, actor) -> None:
    """The focal points of both organisations hear about an introduction."""
    people = db.session.scalars(sa.select(User).where(
        User.is_focal_point.is_(True), User.organisation_id.in_([intro.seeker_id, intro.helper_id]))).all()
    notify(INTRODUCTION, people, intro, actor)


def session_changed(session, change: str, people, actor=None) -> None:
    """Everyone registered for a session hears of a new time or place, or its cancellation (in-app)."""
    notify(SESSION_CHANGED, people, session, actor, session.community, details={"change": change})


def session_material_added(session, people, actor=None) -> None:
    """Registrants hear that the recording or slides are online."""
    notify(SESSION_MATERIAL, people, session, actor, session.community)


def seat_offered(session, person) -> None:
    """The first person on the waitlist hears that a seat is theirs."""
    notify(SESSION_SEAT, [person], session, None, session.community)


def session_reminder(session, person, lead_minutes: int) -> None:
    """A person's reminder before a session (sent once per lead time by the sessions' job)."""
    notify(SESSION_REMINDER, [person], session, None, session.community, details={"lead": lead_minutes})


def session_proposal_decided(session, person, decision: str, actor=None) -> None:
    """A member hears that a facilitator announced or declined the session they proposed."""
    notify(SESSION_PROPOSAL, [person], session, actor, session.community, details={"decision": decision})


def exchange_requested(intro, actor) -> None:
    """The other organisation's focal points hear that a peer exchange is asked of them."""
    people = db.session.scalars(sa.select(User).where(
        User.is_focal_point.is_(True), User.organisation_id == intro.helper_id)).all()
    notify(EXCHANGE_REQUEST, people, intro, actor)


def exchange_answered(intro, actor) -> None:
    """The asking organisation's focal points hear the answer."""
    people = db.session.scalars(sa.select(User).where(
        User.is_focal_point.is_(True), User.organisation_id == intro.seeker_id)).all()
    notify(EXCHANGE_ANSWER, people, intro, actor)


def reviewer_named(reviewer, actor) -> None:
    """The named facilitator, or the named organisation's focal points, hear they may confirm the answers
    (emailed as each chose; the outbox re-checks their access when it sends)."""
    if reviewer.reviewer_user_id is not None:
        people = [reviewer.reviewer_user]
    else:
        people = db.session.scalars(sa.select(User).where(
            User.is_focal_point.is_(True), User.organisation_id == reviewer.reviewer_organisation_id)).all()
    notify(CONFIRM_ANSWERS, people, reviewer, actor)


def answers_reopened(submission, actor) -> None:
    """The organisation's focal points hear that its answers are open again (about the round)."""
    people = db.session.scalars(sa.select(User).where(
        User.is_focal_point.is_(True), User.organisation_id == submission.organisation_id)).all()
    notify(ANSWERS_REOPENED, people, submission.round, actor)


# --- The inbox ---------------------------------------------------------------------------------

def visible_to(user):
    """Notifications of this person, not withdrawn, in communities they may still read."""
    readable = Notification.community_id.in_(sa.select(Community.id).where(permissions.readable_communities(user)))
    return sa.and_(Notification.recipient_id == user.id, Notification.withdrawn_at.is_(None),
                   sa.or_(Notification.community_id.is_(None), readable))


def _foldable():
    """SQL condition: an unread reply notice; the inbox shows one row per discussion for these."""
    return sa.and_(Notification.kind == REPLY, Notification.read_at.is_(None), Notification.thread.isnot(None))


def unread_count(user) -> int:
    """How many unread rows the inbox shows: unread replies count once per discussion (one query)."""
    row = sa.case((_foldable(), Notification.thread), else_=sa.cast(Notification.id, sa.String))
    return db.session.scalar(sa.select(sa.func.count(sa.distinct(row))).where(
        visible_to(user), Notification.read_at.is_(None)))


def inbox(user, page: int):
    """A page of the person's notifications, newest first; unread replies in one discussion make one row
    (its newest), and `page.folded` gives {thread: (how many, link to the first)} for those rows."""
    newer = aliased(Notification)
    folded_away = sa.and_(_foldable(), sa.exists().where(
        newer.recipient_id == user.id, newer.kind == REPLY, newer.read_at.is_(None), newer.withdrawn_at.is_(None),
        newer.thread == Notification.thread, newer.id > Notification.id))
    query = (sa.select(Notification).options(joinedload(Notification.actor), joinedload(Notification.community))
             .where(visible_to(user), sa.not_(folded_away)).order_by(Notification.id.desc()))
    pagination = paginate(query, page)
    threads = {n.thread for n in pagination.items if n.kind == REPLY and n.read_at is None and n.thread}
    pagination.folded = {}
    if threads:
        rows = db.session.execute(sa.select(Notification.thread, sa.func.count(Notification.id),
                                            sa.func.min(Notification.id))
                                  .where(visible_to(user), _foldable(), Notification.thread.in_(threads))
                                  .group_by(Notification.thread)).all()
        links = dict(db.session.execute(sa.select(Notification.id, Notification.link).where(
            Notification.id.in_([first for _, _, first in rows]))).all())
        pagination.folded = {thread: (count, links[first]) for thread, count, first in rows if count > 1}
    return pagination


def mark_read(user, notification_id: int | None = None) -> None:
    """Mark one of the person's notifications read, or all of them (None)."""
    query = sa.update(Notification).where(Notification.recipient_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        # A row of unread replies in one discussion is read as a whole.
        thread = sa.select(Notification.thread).where(Notification.id == notification_id,
                                                      Notification.kind == REPLY).scalar_subquery()
        query = query.where(sa.or_(Notification.id == notification_id,
                                   sa.and_(Notification.kind == REPLY, Notification.thread == thread)))
    db.session.execute(query.values(read_at=utcnow()).execution_options(synchronize_session=False))
    db.session.flush()


# --- Email preferences -------------------------------------------------------------------------

def email_choices(kind: str, user_ids) -> dict[int, str]:
    """{user id: 'immediately' | 'digest' | 'never'} for one kind (defaults where nothing is saved)."""
    saved = dict(db.session.execute(sa.select(EmailPreference.user_id, EmailPreference.email).where(
        EmailPreference.kind == kind, EmailPreference.user_id.in_(list(user_ids)))).all())
    default = KINDS[kind][1] if kind in KINDS else "digest"
    return {uid: saved.get(uid, default) for uid in user_ids}


def unsubscribe_for(user_id: int, kind: str):
    """For a feature's own mail of a notification kind (hub.mail.queue's `unsubscribe`): the one-click
    link and headers, or None unless the person wants that kind by email at once."""
    if email_choices(kind, [user_id])[user_id] != "immediately":
        return None
    return emails.unsubscribe_headers(user_id, kind)


def preferences_of(user) -> dict[str, str]:
    """{kind: email choice} for every kind, for the settings page."""
    saved = dict(db.session.execute(sa.select(EmailPreference.kind, EmailPreference.email)
                                    .where(EmailPreference.user_id == user.id)).all())
    return {kind: saved.get(kind, default) for kind, (label, default) in KINDS.items()}


def set_preference(user_id: int, kind: str, choice: str) -> None:
    """Save how one kind should reach the person by email."""
    row = db.session.scalar(sa.select(EmailPreference).where(
        EmailPreference.user_id == user_id, EmailPreference.kind == kind))
    if row is None and insert_once(db.session, EmailPreference, user_id=user_id, kind=kind, email=choice):
        return
    if row is None:  # an identical request saved it a moment ago
        row = db.session.scalar(sa.select(EmailPreference).where(
            EmailPreference.user_id == user_id, EmailPreference.kind == kind))
    row.email = choice
    db.session.flush()


def forget_content(obj, **_) -> None:
    """Hidden content deleted for good: the notifications about it go, and their mail; flushes."""
    about = sa.and_(Notification.object_type == kinds.of(obj).name, Notification.object_id == obj.id)
    if kinds.of(obj).name == "discussion":
        about = sa.or_(about, Notification.thread == f"discussion:{obj.id}")
    ids = sa.select(Notification.id).where(about, Notification.kind.not_in(PERSONAL))
    db.session.execute(sa.delete(EmailOutbox).where(EmailOutbox.notification_id.in_(ids))
                       .execution_options(synchronize_session=False))
    db.session.execute(sa.delete(Notification).where(about, Notification.kind.not_in(PERSONAL))
                       .execution_options(synchronize_session=False))
    db.session.flush()


def personal_data(user) -> dict:
    """This person's notifications and email settings, for their data export (hub/accounts/export.py)."""
    return {"notifications": export.rows(Notification, Notification.recipient_id == user.id,
                                         ("kind", "object_type", "object_id", "title", "link", "created_at",
                                          "read_at", "withdrawn_at", "emailed_at")),
            "email_preferences": export.rows(EmailPreference, EmailPreference.user_id == user.id, ("kind", "email")),
            "digest_setting": export.rows(DigestSetting, DigestSetting.user_id == user.id,
                                          ("frequency", "last_sent_at"))}


#: The references to a person whose rows personal_data() exports.
PERSONAL_DATA_COVERS = ("notification.recipient_id", "email_preference.user_id", "digest_setting.user_id")
