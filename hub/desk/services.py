"""Reporting and the moderation queue. Services flush; the view commits once.

Each action changes state with an UPDATE whose WHERE checks the state it expects, so when two
moderators act on the same item at once, the second changes nothing and is told.
"""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from hub import kinds, permissions, signals
from hub.accounts import export
from hub.accounts.models import User
from hub.audit import record
from hub.db import APPROVED, PENDING, insert_once, utcnow
from hub.discussions import services as discussions
from hub.discussions.models import Discussion, Reply
from hub.extensions import db
from hub.library import services as library
from hub.library.models import LibraryItem
from hub.desk.models import DELETED, DISMISSED, HIDDEN, LOCKED, OPEN, REVISION, SAFETY, Report

#: The feature that owns each hideable kind's rows: it hides, restores and purges them.
OWNERS = {"discussion": discussions, "reply": discussions, "item": library}


# --- The reported object -------------------------------------------------------------------------

def get_target(kind: str, object_id: int):
    """The reported object, or None (a kind that cannot be reported, or an unknown id)."""
    return kinds.get(kind, object_id) if kind in kinds.REPORTABLE else None


# --- Reporting -----------------------------------------------------------------------------------

def file_report(reporter, kind: str, obj, reason: str, note: str) -> Report:
    """Report an object; reporting it again updates (and reopens) the same report."""
    community = kinds.KINDS[kind].community(obj)
    same = (Report.reporter_id == reporter.id, Report.kind == kind, Report.object_id == obj.id)
    report = db.session.scalar(sa.select(Report).where(*same))
    if report is None:  # (or an identical request made it a moment ago)
        insert_once(db.session, Report, reporter_id=reporter.id, kind=kind, object_id=obj.id, reason=reason,
                    note=note)
        report = db.session.scalar(sa.select(Report).where(*same))
    report.reason, report.note, report.status = reason, note, OPEN
    report.community_id = community.id if community is not None else None
    report.author_id = kinds.KINDS[kind].author_id(obj)
    report.handled_by_id = report.handled_at = None
    db.session.flush()
    return report


# --- The queue -----------------------------------------------------------------------------------

def facilitated_ids(user) -> list[int]:
    """The communities this person facilitates."""
    return list(db.session.scalars(permissions.facilitated_communities(user)))


def reports_for(kind: str, object_id: int) -> list[Report]:
    """Every report about the object, open ones first, urgent ones first."""
    return list(db.session.scalars(sa.select(Report).options(joinedload(Report.reporter)).where(
        Report.kind == kind, Report.object_id == object_id).order_by(
        (Report.status == OPEN).desc(), (Report.reason == SAFETY).desc(), Report.created_at)))


def author_history(author_id: int | None) -> dict:
    """Counts about the author: what they wrote, how often reported, how often hidden."""
    if author_id is None:
        return {}

    def count(model, *where):
        return db.session.scalar(sa.select(sa.func.count()).select_from(model).where(*where))

    def hidden(model):  # by moderators: posts waiting for review are hidden only until decided
        return sa.and_(model.hidden_at.is_not(None), model.review_status.is_distinct_from(PENDING))
    return {
        "discussions": count(Discussion, Discussion.author_id == author_id),
        "replies": count(Reply, Reply.author_id == author_id),
        "items": count(LibraryItem, LibraryItem.owner_id == author_id),
        "reports": count(Report, Report.author_id == author_id),
        "hidden": count(Discussion, Discussion.author_id == author_id, hidden(Discussion))
        + count(Reply, Reply.author_id == author_id, hidden(Reply))
        + count(LibraryItem, LibraryItem.owner_id == author_id, hidden(LibraryItem)),
    }


# --- Actions -------------------------------------------------------------------------------------

def _close_reports(kind: str, object_id: int, outcome: str, moderator) -> list[Report]:
    """Mark the object's open reports with the outcome; returns those closed now (for notifying)."""
    reports = list(db.session.scalars(sa.select(Report).where(
        Report.kind == kind, Report.object_id == object_id, Report.status == OPEN)))
    db.session.execute(sa.update(Report).where(Report.id.in_([r.id for r in reports] or [0]),
                                               Report.status == OPEN)
                       .values(status=outcome, handled_by_id=moderator.id, handled_at=utcnow()))
    return reports


def _changed(statement) -> bool:
    return db.session.execute(statement).rowcount > 0


def settle(obj, expected, **values) -> bool:
    """Change `obj` only while `expected` holds; False when another moderator already acted."""
    # Through the ORM too, so the search outbox sees it (a reply's text joins or leaves its discussion's).
    model = type(obj)
    if not _changed(sa.update(model).where(model.id == obj.id, expected).values(**values)
                    .execution_options(synchronize_session=False)):
        return False
    for name, value in values.items():
        setattr(obj, name, value)
    db.session.flush()
    return True


def _close_with(outcome: str, action: str, kind: str, obj, moderator, reason: str) -> list[Report] | None:
    """Close the open reports with `outcome` and audit `action`; None when none were left (already handled)."""
    reports = _close_reports(kind, obj.id, outcome, moderator)
    if not reports:
        return None
    record(action, obj, reason, {"kind": kind, "reports": [r.id for r in reports]}, actor=moderator)
    return reports


def dismiss(kind: str, obj, moderator, reason: str) -> list[Report] | None:
    """Close the open reports with no action; a post hidden by flags is shown again (through restore)."""
    if is_auto_hidden(kind, obj):  # dismissing the flags that hid it would otherwise leave it hidden, unwatched
        return restore(kind, obj, moderator, reason)
    return _close_with(DISMISSED, "dismiss", kind, obj, moderator, reason)


def ask_revision(kind: str, obj, moderator, reason: str) -> list[Report] | None:
    """Close the open reports as "asked to revise" (the view emails the author)."""
    return _close_with(REVISION, "revise", kind, obj, moderator, reason)


def hide(kind: str, obj, moderator, reason: str) -> list[Report] | None:
    """Hide the object everywhere at once (reversible); None when it was already hidden."""
    model = kinds.KINDS[kind].model
    flagged = sa.and_(model.hidden_by_id.is_(None), model.review_status.is_distinct_from(PENDING))  # hidden by flags
    if not settle(obj, sa.or_(model.hidden_at.is_(None), flagged), hidden_at=utcnow(), hidden_by_id=moderator.id,
                  hidden_reason=reason):
        return None
    OWNERS[kind].hidden(obj)
    record("hide", obj, reason, {"kind": kind}, actor=moderator)
    return _close_reports(kind, obj.id, HIDDEN, moderator)


def is_auto_hidden(kind: str, obj) -> bool:
    """Hidden by flags, waiting for a moderator (not by a moderator, not waiting for pre-moderation)."""
    return (kind in OWNERS and obj.hidden_at is not None and obj.hidden_by_id is None
            and obj.review_status != PENDING)


def restore(kind: str, obj, moderator, reason: str) -> list[Report] | None:
    """Show hidden content again and dismiss its open reports (returned, for telling the reporters), with one
    audit entry; None when it was not hidden (already restored, or waiting for review)."""
    model = kinds.KINDS[kind].model
    values = {"hidden_at": None, "hidden_by_id": None, "hidden_reason": ""}
    if obj.is_rejected:
        values["review_status"] = APPROVED  # restoring a rejected post publishes it
    if not settle(obj, sa.and_(model.hidden_at.is_not(None), model.review_status.is_distinct_from(PENDING)),
                  **values):
        return None
    OWNERS[kind].unhidden(obj)
    reports = _close_reports(kind, obj.id, DISMISSED, moderator)
    record("restore", obj, reason, {"kind": kind, "reports": [r.id for r in reports]}, actor=moderator)
    return reports


def lock(discussion, moderator, reason: str) -> list[Report] | None:
    """Lock the discussion against new replies; None when it was already locked."""
    if not discussions.set_locked(discussion, True, moderator, reason):
        return None
    return _close_reports("discussion", discussion.id, LOCKED, moderator)


def delete_permanently(kind: str, obj, moderator, reason: str) -> bool:
    """Remove hidden content for good (its rows, and an item's files); False unless it is hidden."""
    if obj.hidden_at is None or obj.is_pending:
        return False
    record("delete", obj, reason, {"kind": kind, "title": kinds.KINDS[kind].title(obj)}, actor=moderator)
    _close_reports(kind, obj.id, DELETED, moderator)
    signals.post_purged.send(obj)
    OWNERS[kind].purge(obj)
    return True


# --- Telling people ------------------------------------------------------------------------------

def tell_author(kind: str, obj, action: str, reason: str, bulk: bool = False) -> None:
    """The author hears what moderators decided about their post, and why (in-app; email as they chose —
    in the digest for a bulk action, so one action on 500 posts sends no 500 emails)."""
    author = db.session.get(User, kinds.KINDS[kind].author_id(obj))
    if author is not None:
        signals.post_moderated.send(obj, author=author, action=action, reason=reason, bulk=bulk)


def tell_reporters(reports, kind: str, obj, bulk: bool = False) -> None:
    """Each reporter hears what became of their report (in-app; email as they chose, in the digest for a
    bulk action)."""
    for report in reports:
        signals.report_closed.send(report, reporter=report.reporter, post=obj, outcome=report.status,
                                   gone=report.status in (HIDDEN, DELETED), bulk=bulk)


def personal_data(user) -> dict:
    """The reports this person filed, for their data export (hub/accounts/export.py)."""
    return {"reports_filed": export.rows(Report, Report.reporter_id == user.id,
                                         ("kind", "object_id", "reason", "note", "status", "created_at"))}


#: The references to a person whose rows personal_data() exports.
PERSONAL_DATA_COVERS = ("moderation_report.reporter_id",)
