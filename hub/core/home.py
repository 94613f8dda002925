"""What the home page shows each person: news from their communities, questions waiting for an answer,
new library items, and what waits for them (as facilitator, focal point or secretariat).

Every block is one bounded query through the permission predicates, so the page costs the same for a
person in one community or fifty, and for someone whose last visit was years ago."""

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from hub import permissions
from hub.communities.models import MEMBER, REQUESTED, Community, Membership
from hub.db import PENDING, utcnow
from hub.discussions import unanswered
from hub.discussions.models import Discussion, Reply
from hub.extensions import db
from hub.learning_sessions import services as learning_sessions
from hub.library import services as library
from hub.library.models import LibraryItem
from hub.desk.models import OPEN as REPORT_OPEN, Report
from hub.survey import disclosure, exchanges, matching, memo, plans
from hub.survey.questionnaire import area_label
from hub.survey import services as survey_services
from hub.survey.models import OPEN as ROUND_OPEN, SUBMITTED, Submission, SurveyRound

#: Rows in each block; "see all" leads to the full list.
BLOCK_SIZE = 5
#: News is counted over at most this long, however long ago the last visit was.
NEWS_WINDOW = timedelta(days=90)


def _shown(model):
    """SQL condition: published, not hidden, not deleted (pending posts are hidden too)."""
    return sa.and_(model.deleted_at.is_(None), model.hidden_at.is_(None))


def _count(model, *where):
    return sa.select(sa.func.count(model.id)).where(*where).scalar_subquery()


def community_news(user) -> list[dict]:
    """The person's communities, most news first: discussions started and replies written by others since
    they last opened each community (or joined it), counted over NEWS_WINDOW at most.

    Only discussions active since then are read (ix_discussion_activity; publishing a post moves its
    discussion's last_activity_at, so no newer reply sits in an older discussion), and only their newer
    replies (ix_reply_discussion_created): the cost follows the news, not all a community ever said."""
    floor = utcnow() - NEWS_WINDOW
    last = sa.func.coalesce(Membership.last_visit_at, Membership.joined_at, floor)
    since = sa.case((last > floor, last), else_=floor)
    active = sa.and_(Discussion.community_id == Membership.community_id, Discussion.last_activity_at > since,
                     _shown(Discussion))
    discussions = _count(Discussion, active, Discussion.created_at > since, Discussion.author_id != user.id)
    replies = (sa.select(sa.func.count(Reply.id)).join(Discussion, Reply.discussion_id == Discussion.id)
               .where(active, _shown(Reply), Reply.created_at > since, Reply.author_id != user.id)
               .scalar_subquery())
    rows = db.session.execute(
        sa.select(Community, discussions, replies)
        .join(Membership, sa.and_(Membership.community_id == Community.id, Membership.user_id == user.id))
        .where(Membership.status == MEMBER, permissions.readable_communities(user))
        .order_by((discussions + replies).desc(), Community.title, Community.id).limit(BLOCK_SIZE))
    return [{"community": community, "discussions": d, "replies": r} for community, d, r in rows]


def unanswered_questions(user) -> list:
    """Recent questions nobody has replied to yet (not their own), in the person's communities and on the
    themes of their expertise (hub/discussions/unanswered.py; "see all" pages through the rest)."""
    return list(db.session.scalars(unanswered.unanswered_for(user).limit(BLOCK_SIZE)))


def best_practices(user) -> list:
    """The best practices most recently recognised, from communities this person (or visitor) may read."""
    readable = sa.select(Community.id).where(permissions.readable_communities(user))
    return list(db.session.scalars(
        sa.select(Discussion).options(joinedload(Discussion.community))
        .where(Discussion.best_practice_at.is_not(None), _shown(Discussion), Discussion.community_id.in_(readable))
        .order_by(Discussion.best_practice_at.desc(), Discussion.id.desc()).limit(BLOCK_SIZE)))


def new_items(user) -> list:
    """The newest library items this person may see (with their files, for posters and durations)."""
    return list(library.listing(user, {}, "newest", 1, BLOCK_SIZE, count=False).items)  # the block shows no total


def facilitation(user) -> list[dict]:
    """For each community the person facilitates (or, for the secretariat, any with something waiting):
    requests to join and posts waiting for review. Only communities where something waits."""
    requests = _count(Membership, Membership.community_id == Community.id, Membership.status == REQUESTED)
    pending_discussions = _count(Discussion, Discussion.community_id == Community.id,
                                 Discussion.review_status == PENDING, Discussion.deleted_at.is_(None))
    pending_replies = (sa.select(sa.func.count(Reply.id)).join(Discussion, Reply.discussion_id == Discussion.id)
                       .where(Discussion.community_id == Community.id, Reply.review_status == PENDING,
                              Reply.deleted_at.is_(None), Discussion.deleted_at.is_(None)).scalar_subquery())
    pending_items = _count(LibraryItem, LibraryItem.community_id == Community.id,
                           LibraryItem.review_status == PENDING, LibraryItem.deleted_at.is_(None))
    waiting = pending_discussions + pending_replies + pending_items
    query = (sa.select(Community, requests, waiting)
             .where(Community.deleted_at.is_(None), sa.or_(requests > 0, waiting > 0))
             .order_by((requests + waiting).desc(), Community.title).limit(BLOCK_SIZE))
    if not permissions.is_secretariat(user):
        query = query.where(Community.id.in_(permissions.facilitated_communities(user)))
    return [{"community": c, "requests": r, "waiting": w} for c, r, w in db.session.execute(query)]


def open_reports(user) -> int:
    """Reports waiting on the desk: all of them for the secretariat."""
    return db.session.scalar(sa.select(sa.func.count(Report.id)).where(Report.status == REPORT_OPEN)) or 0


def survey_tasks(user) -> list[dict]:
    """For a focal point: the open survey rounds their organisation has not submitted (a draft or nothing yet)."""
    organisation = user.organisation
    if organisation is None or not permissions.can_answer_survey(user, organisation):
        return []
    today = date.today()
    rows = db.session.execute(
        sa.select(SurveyRound, Submission.status)
        .outerjoin(Submission, sa.and_(Submission.round_id == SurveyRound.id,
                                       Submission.organisation_id == organisation.id))
        .where(SurveyRound.status == ROUND_OPEN, sa.or_(Submission.status.is_(None), Submission.status != SUBMITTED))
        .order_by(SurveyRound.closes_on, SurveyRound.id).limit(BLOCK_SIZE))
    return [{"round": r, "draft": status is not None, "organisation": organisation}
            for r, status in rows if r.accepts_answers(today)]


def for_person(user) -> dict:
    """Everything the signed-in home page shows this person."""
    blocks = {"news": community_news(user), "questions": unanswered_questions(user), "items": new_items(user),
              "best_practices": best_practices(user), "survey": survey_tasks(user), "facilitation": [],
              "reports": None}
    blocks["upcoming_sessions"] = upcoming_sessions(user)
    blocks["capacity_building"] = capacity_building(user)
    if permissions.can_use_desk(user):
        blocks["facilitation"] = facilitation(user)
    if permissions.is_secretariat(user):
        blocks["reports"] = open_reports(user)
    return blocks


def active_public_communities() -> list:
    """Public communities, the most recently active first (what a visitor can read without an account)."""
    latest = (sa.select(sa.func.max(Discussion.last_activity_at)).where(
        Discussion.community_id == Community.id, _shown(Discussion)).scalar_subquery())
    return list(db.session.scalars(
        sa.select(Community).where(permissions.readable_communities(None), Community.visibility == "public")
        .order_by(latest.desc().nulls_last(), Community.title).limit(BLOCK_SIZE)))


def for_visitor(visitor) -> dict:
    """What the signed-out home page shows: active public communities and recent public recordings."""
    recordings = library.listing(visitor, {"kind": "recording"}, "newest", 1, BLOCK_SIZE, count=False).items
    return {"public_communities": active_public_communities(), "best_practices": best_practices(visitor),
            "recordings": list(recordings),
            "upcoming_sessions": upcoming_sessions(visitor)}


def upcoming_sessions(user) -> list:
    """The next learning sessions this person (or visitor) may see."""
    return learning_sessions.upcoming(user, limit=BLOCK_SIZE)


def capacity_building(user) -> dict:
    """For a focal point: their organisation's plan actions due soon (or overdue) and the requests for a peer
    exchange waiting for its answer. For anyone in an organisation: how many organisations need what it
    offers, from the latest round whose figures are published, each count shown only when it rests on at
    least disclosure.MIN_GROUP other organisations."""
    organisation, today = user.organisation, date.today()
    if organisation is None or not permissions.can_view_survey_answers(user, organisation):
        return {}
    blocks = {"organisation": organisation, "today": today, "due": [], "waiting": [], "needed": [],
              "min_group": disclosure.MIN_GROUP}
    if permissions.can_edit_plan(user, organisation):
        blocks["due"] = plans.due_actions(organisation, today, BLOCK_SIZE)
    if permissions.can_request_exchange(user, organisation):
        blocks["waiting"] = exchanges.waiting_for(organisation, BLOCK_SIZE)
    published = next((r for r in survey_services.rounds() if disclosure.is_published(r, today)), None)
    if published is not None:
        counts = memo.remembered(("needing", published.id, organisation.id),
                                 lambda: needing(published, organisation))
        blocks["needed"] = [(area_label(area), n if n >= disclosure.MIN_GROUP else None) for area, n in counts.items()]
        blocks["round"] = published
    return blocks if blocks["due"] or blocks["waiting"] or blocks["needed"] else {}


def needing(survey_round, organisation) -> dict[str, int]:
    """{area: how many other organisations need it} for what the organisation offers, in the round."""
    everyone = survey_services.profiles(survey_round)
    own = next((p for p in everyone if p.id == organisation.id), None)
    return matching.needing(own, everyone) if own else {}
