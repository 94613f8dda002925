"""The audit log: who did what to which object, when (UTC), why and from which address.

Entries are only ever added: the application has no path to change or remove one, and the ORM
refuses an UPDATE or DELETE of an entry outright.
"""

from datetime import datetime

import sqlalchemy as sa
from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import event
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import utcnow
from hub.extensions import db
from hub.spreadsheets import csv_text

PER_PAGE = 50
#: How the log page names actions and objects (entries and the CSV keep the stored codes).
ACTION_LABELS = {
    "approve": _l("approved"), "reject": _l("rejected"), "hide": _l("hidden"), "restore": _l("restored"),
    "lock": _l("locked"), "delete": _l("deleted permanently"), "dismiss": _l("reports dismissed"),
    "revise": _l("revision requested"), "merge_organisation": _l("organisations merged"),
    "suspend": _l("suspended"), "reinstate": _l("reinstated"), "decline": _l("registration declined"),
    "anonymise": _l("anonymised"), "make_focal_point": _l("made focal point"),
    "remove_focal_point": _l("focal point role removed"), "make_secretariat": _l("made secretariat"),
    "remove_secretariat": _l("secretariat role removed"), "reset_two_factor": _l("two-factor sign-in reset"),
    "enable_two_factor": _l("two-factor sign-in turned on"), "disable_two_factor": _l("two-factor sign-in turned off"),
    "new_recovery_codes": _l("new recovery codes made"), "sign_out_everywhere": _l("signed out everywhere else"),
    "stop_email_change": _l("email change stopped from the old address"),
    "publish_organisation": _l("organisation added to the directory"),
    "decline_organisation": _l("proposed organisation declined"),
    "approve_community": _l("proposed community approved"), "decline_community": _l("proposed community declined"),
    "open_round": _l("survey round opened"), "edit_round": _l("survey round changed"),
    "close_round": _l("survey round closed"), "reopen_round": _l("survey round reopened"),
    "reopen_answers": _l("survey answers reopened"),
}
OBJECT_LABELS = {"discussion": _l("discussion"), "reply": _l("reply"), "item": _l("library item"),
                 "person": _l("person"), "introduction": _l("introduction"), "membership": _l("membership"), "organisation": _l("organisation"), "community": _l("community"),
                 "survey_round": _l("survey round"), "survey_submission": _l("survey answers")}


class AuditEntry(db.Model):
    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), index=True)
    action: Mapped[str] = mapped_column(sa.String(40), index=True)
    object_type: Mapped[str] = mapped_column(sa.String(40), index=True)
    object_id: Mapped[int | None]
    reason: Mapped[str] = mapped_column(sa.Text, default="")
    ip_address: Mapped[str] = mapped_column(sa.String(45), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)


class AuditLogIsAppendOnly(RuntimeError):
    """Raised when anything tries to change or remove an audit entry."""


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_change(mapper, connection, target):
    raise AuditLogIsAppendOnly("audit entries cannot be changed or deleted")


def _table_name(obj) -> str | None:
    return getattr(obj, "__tablename__", type(obj).__name__.lower())


#: obj → its kind's word in hub/kinds.py ('item', 'person'), or None; given by create_app (the kinds
#: registry sits above every feature, the audit below them).
_kind_name = _table_name


def use_kind_names(kind_name) -> None:
    """Store an object's kind word from `kind_name(obj)` (None: its table name)."""
    global _kind_name
    _kind_name = kind_name


def object_type(obj) -> str:
    """The word an entry stores for what `obj` is: its kind's name, else its table's."""
    return _kind_name(obj) or _table_name(obj)


def record(action: str, obj, reason: str = "", details: dict | None = None, actor=None) -> AuditEntry:
    """Add an audit entry about `obj` (a model instance) in the current transaction; flushes."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    entry = AuditEntry(actor_id=actor.id if actor is not None else None, action=action,
                       object_type=object_type(obj),
                       object_id=getattr(obj, "id", None), reason=reason or "",
                       ip_address=(request.remote_addr or "") if has_request_context() else "",
                       details=details or {})
    db.session.add(entry)
    db.session.flush()
    return entry


def filtered(filters: dict):
    """A select() of entries matching the filters (action, actor, object_type, since, until), newest first."""
    query = sa.select(AuditEntry).order_by(AuditEntry.created_at.desc(), AuditEntry.id.desc())
    if filters.get("action"):
        query = query.where(AuditEntry.action == filters["action"])
    if filters.get("actor"):
        query = query.where(AuditEntry.actor_id == filters["actor"])
    if filters.get("object_type"):
        query = query.where(AuditEntry.object_type == filters["object_type"])
    if filters.get("since"):
        query = query.where(AuditEntry.created_at >= filters["since"])
    if filters.get("until"):
        query = query.where(AuditEntry.created_at < filters["until"])
    return query


def known_values(column) -> list[str]:
    """The distinct values of a column, for the filter menus."""
    return list(db.session.scalars(sa.select(column).distinct().order_by(column)))


def as_csv(entries, names: dict) -> str:
    """The entries as CSV text; `names` maps actor ids to names."""
    return csv_text(["created_at_utc", "actor", "action", "object_type", "object_id", "reason", "ip_address",
                     "details"],
                    [(e.created_at.isoformat(), names.get(e.actor_id, ""), e.action, e.object_type, e.object_id,
                      e.reason, e.ip_address, e.details) for e in entries])


def exempt(reason: str):
    """Mark a view whose state changes write no audit entry, saying why (e.g. "a member's own
    registration"). The audit walk (tests/desk) accepts a POST route that writes no entry only when its
    view carries this mark; functools.wraps-based decorators keep it."""
    def mark(view):
        view.audit_exempt = reason
        return view
    return mark
