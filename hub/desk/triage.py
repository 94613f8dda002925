"""Triage on the desk: the queue filtered and sorted, claiming a case, internal notes, reporters' records,
flags that hide a post, the pending count of the header and bulk actions. Services flush; views commit.
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import current_app, g, has_request_context
from flask_babel import lazy_gettext as _l

from hub import kinds, permissions, signals
from hub.accounts.models import User
from hub.audit import record
from hub.communities.models import Community
from hub.db import PENDING, insert_once, utcnow
from hub.discussions.models import Discussion, Reply
from hub.extensions import db
from hub.learning_sessions.models import PROPOSED as SESSION_PROPOSED
from hub.learning_sessions.models import LearningSession
from hub.library.models import LibraryItem
from hub.desk.models import (DELETED, DISMISSED, HIDDEN, LOCKED, OPEN, REASONS, REVISION, SAFETY, STATUSES,
                             CaseClaim, ModerationNote, Report)
from hub.desk.services import OWNERS, is_auto_hidden, settle

#: Queue orders: their labels (the first is the default).
SORTS = {"urgent": _l("Safety risks first, then oldest"), "oldest": _l("Oldest first"),
         "flags": _l("Most reported first")}
#: Ages a case can be filtered by: days since its first report.
AGES = {"1": _l("Older than a day"), "7": _l("Older than a week"), "30": _l("Older than a month")}
#: Outcomes moderators agreed with the reporter (the content was acted on) / disagreed (dismissed).
AGREED = (HIDDEN, LOCKED, DELETED, REVISION)


# --- The queue -----------------------------------------------------------------------------------

def _mine(user, column):
    """SQL: rows of the communities this moderator handles (the secretariat: all)."""
    if permissions.is_secretariat(user):
        return sa.true()
    return column.in_(permissions.facilitated_communities(user))


def case_query(user, filters: dict):
    """One row per case (reported object) this moderator may handle, filtered and sorted."""
    urgent = sa.func.max(sa.case((Report.reason == SAFETY, 1), else_=0))
    flags = sa.func.count(sa.distinct(Report.reporter_id))
    since = sa.func.min(Report.created_at)
    query = (sa.select(Report.kind, Report.object_id, Report.community_id, flags.label("count"),
                       urgent.label("urgent"), since.label("since"), CaseClaim.claimed_by_id, CaseClaim.claimed_at)
             .outerjoin(CaseClaim, sa.and_(CaseClaim.kind == Report.kind, CaseClaim.object_id == Report.object_id))
             .where(Report.status == filters.get("status", OPEN), _mine(user, Report.community_id))
             .group_by(Report.kind, Report.object_id, Report.community_id, CaseClaim.claimed_by_id,
                       CaseClaim.claimed_at))
    if filters.get("community"):
        query = query.where(Report.community_id == filters["community"])
    if filters.get("reason"):
        query = query.where(Report.reason == filters["reason"])
    if filters.get("age"):
        query = query.having(since <= utcnow() - timedelta(days=int(filters["age"])))
    if filters.get("claimed") == "mine":
        query = query.where(CaseClaim.claimed_by_id == user.id)
    elif filters.get("claimed") == "free":
        query = query.where(CaseClaim.claimed_by_id.is_(None))
    order = {"oldest": [since], "flags": [flags.desc(), since]}.get(filters.get("sort"), [urgent.desc(), since])
    return query.order_by(*order, Report.kind, Report.object_id)


def cases(user, filters: dict, page: int = 1) -> tuple[list[dict], int]:
    """A page of cases (with their objects and who claimed them) and how many there are in all."""
    per_page = current_app.config["DESK_QUEUE_PER_PAGE"]
    query = case_query(user, filters)
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    names = _names({row.claimed_by_id for row in rows})
    found = []
    for row in rows:
        obj = kinds.get(row.kind, row.object_id) if row.kind in kinds.REPORTABLE else None
        if obj is not None:
            found.append({"kind": row.kind, "object": obj, "title": kinds.KINDS[row.kind].title(obj),
                          "count": row.count, "urgent": bool(row.urgent), "since": row.since,
                          "claimed_by": names.get(row.claimed_by_id), "claimed_by_id": row.claimed_by_id,
                          "auto_hidden": is_auto_hidden(row.kind, obj)})
    return found, total


def _names(ids) -> dict:
    ids = {i for i in ids if i}
    return dict(db.session.execute(sa.select(User.id, User.name).where(User.id.in_(ids))).all()) if ids else {}


def filter_choices(user) -> dict:
    """The menus of the queue's filters: communities this moderator handles, reasons, ages, statuses, sorts."""
    communities = db.session.execute(sa.select(Community.id, Community.title).where(
        _mine(user, Community.id), Community.deleted_at.is_(None)).order_by(Community.title)).all()
    return {"communities": communities, "reasons": REASONS, "ages": AGES, "statuses": STATUSES, "sorts": SORTS}


# --- The Desk link's count -----------------------------------------------------------------------

def pending_count(user) -> int:
    """Open cases, posts waiting for review and session proposals this moderator may handle: one query, once
    per request."""
    cache = g.setdefault("desk_pending", {}) if has_request_context() else {}
    if user.id in cache:
        return cache[user.id]
    reported = sa.select(sa.func.count()).select_from(
        sa.select(Report.kind, Report.object_id).where(Report.status == OPEN, _mine(user, Report.community_id))
        .distinct().subquery()).scalar_subquery()
    waiting = [sa.select(sa.func.count(model.id)).where(model.review_status == PENDING, model.deleted_at.is_(None),
                                                        _mine(user, model.community_id)).scalar_subquery()
               for model in (Discussion, LibraryItem)]
    replies = (sa.select(sa.func.count(Reply.id)).join(Discussion, Reply.discussion_id == Discussion.id)
               .where(Reply.review_status == PENDING, Reply.deleted_at.is_(None), Discussion.deleted_at.is_(None),
                      _mine(user, Discussion.community_id)).scalar_subquery())
    # Members' session proposals wait for the same facilitators (listed on /sessions/proposals, linked from the desk).
    proposed = sa.select(sa.func.count(LearningSession.id)).where(
        LearningSession.status == SESSION_PROPOSED, LearningSession.deleted_at.is_(None),
        _mine(user, LearningSession.community_id)).scalar_subquery()
    cache[user.id] = db.session.scalar(sa.select(reported + waiting[0] + waiting[1] + replies + proposed)) or 0
    return cache[user.id]


# --- Claiming a case -----------------------------------------------------------------------------

def claim_of(kind: str, object_id: int) -> CaseClaim | None:
    return db.session.scalar(sa.select(CaseClaim).where(CaseClaim.kind == kind, CaseClaim.object_id == object_id))


def claim(kind: str, obj, moderator) -> bool:
    """Take the case; False when someone else holds it (nothing is overwritten: a conditional UPDATE)."""
    insert_once(db.session, CaseClaim, kind=kind, object_id=obj.id)
    taken = db.session.execute(sa.update(CaseClaim).where(
        CaseClaim.kind == kind, CaseClaim.object_id == obj.id,
        sa.or_(CaseClaim.claimed_by_id.is_(None), CaseClaim.claimed_by_id == moderator.id))
        .values(claimed_by_id=moderator.id, claimed_at=utcnow()).execution_options(synchronize_session=False))
    if taken.rowcount == 0:
        return False
    record("claim", obj, details={"kind": kind}, actor=moderator)
    return True


def release(kind: str, obj, moderator) -> bool:
    """Give the case back (its holder, or the secretariat); False when it was not held."""
    holder = sa.true() if permissions.is_secretariat(moderator) else CaseClaim.claimed_by_id == moderator.id
    freed = db.session.execute(sa.update(CaseClaim).where(
        CaseClaim.kind == kind, CaseClaim.object_id == obj.id, CaseClaim.claimed_by_id.is_not(None), holder)
        .values(claimed_by_id=None, claimed_at=None).execution_options(synchronize_session=False))
    if freed.rowcount == 0:
        return False
    record("release", obj, details={"kind": kind}, actor=moderator)
    return True


# --- Internal notes ------------------------------------------------------------------------------

def add_note(subject: str, obj, community, author, body: str) -> ModerationNote:
    """An internal note on a case or a person (audited, with its text: the log is moderators-only too)."""
    note = ModerationNote(subject=subject, subject_id=obj.id, community_id=community.id if community else None,
                          author_id=author.id, body=body)
    db.session.add(note)
    db.session.flush()
    record("note", obj, reason=body, details={"kind": subject, "note": note.id}, actor=author)
    return note


def notes_on(subject: str, subject_id: int, reader) -> list[ModerationNote]:
    """The notes on a case or person this moderator may read (the secretariat: all; facilitators: those
    written in their communities' cases), newest first."""
    return list(db.session.scalars(sa.select(ModerationNote).where(
        ModerationNote.subject == subject, ModerationNote.subject_id == subject_id,
        sa.or_(_mine(reader, ModerationNote.community_id), ModerationNote.author_id == reader.id))
        .order_by(ModerationNote.id.desc())))


# --- Reporters' records --------------------------------------------------------------------------

def reporter_records(reporter_ids) -> dict:
    """{reporter id: {"agreed": n, "disagreed": n}}: how moderators decided on each one's closed reports."""
    ids = list({i for i in reporter_ids if i})
    if not ids:
        return {}
    agreed = sa.func.sum(sa.case((Report.status.in_(AGREED), 1), else_=0))
    disagreed = sa.func.sum(sa.case((Report.status == DISMISSED, 1), else_=0))
    rows = db.session.execute(sa.select(Report.reporter_id, agreed, disagreed).where(
        Report.reporter_id.in_(ids)).group_by(Report.reporter_id)).all()
    return {rid: {"agreed": int(a or 0), "disagreed": int(d or 0)} for rid, a, d in rows}


# --- Flags that hide a post ----------------------------------------------------------------------

def safety_flags(kind: str, object_id: int) -> int:
    """How many distinct members have an open safety-risk report on the object."""
    return db.session.scalar(sa.select(sa.func.count(sa.distinct(Report.reporter_id))).where(
        Report.kind == kind, Report.object_id == object_id, Report.status == OPEN, Report.reason == SAFETY)) or 0


def hide_when_flagged(kind: str, obj, reporter) -> bool:
    """Hide a post once enough distinct members reported a safety risk on it; True when hidden now."""
    threshold = current_app.config["FLAG_HIDE_THRESHOLD"]
    if kind not in OWNERS or not threshold or obj.is_pending:
        return False
    flags = safety_flags(kind, obj.id)
    model = kinds.KINDS[kind].model
    if flags < threshold or not settle(obj, model.hidden_at.is_(None), hidden_at=utcnow(), hidden_by_id=None,
                                       hidden_reason=""):
        return False
    OWNERS[kind].hidden(obj)
    record("auto_hide", obj, details={"kind": kind, "reporters": flags, "automatic": True}, actor=reporter)
    return True


def report_filed(report, obj, community) -> None:
    """After a report is filed: hide the post when flags say so, then alert the moderators (at once when
    it is a safety risk)."""
    hidden = report.reason == SAFETY and hide_when_flagged(report.kind, obj, report.reporter)
    signals.report_filed.send(report, post=obj, community=community, urgent=report.reason == SAFETY or hidden)
