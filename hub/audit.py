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
    "schedule_session": _l("session scheduled"), "edit_session": _l("session changed"),
    "cancel_session": _l("session cancelled"), "move_session": _l("session moved to another community"),
    "delete_session": _l("session deleted"), "attach_session_material": _l("session recording or notes attached"),
    "open_session_discussion": _l("session discussion started"),
    "session_best_practice": _l("session summary made a best practice"),
    "approve_session_proposal": _l("member's session proposal approved"),
    "decline_session_proposal": _l("member's session proposal declined"),
    "mark_session_attendance": _l("session attendance marked"),
    "silence": _l("silenced (read-only)"), "unsilence": _l("silence lifted"),
    "lift_silence": _l("silence ended (its end date)"), "lift_suspension": _l("suspension ended (its end date)"),
    "export_personal_data": _l("personal data exported (data request)"),
    "create_reply_template": _l("reply template written"), "edit_reply_template": _l("reply template changed"),
    "plan_priorities": _l("plan priorities chosen"), "plan_action": _l("plan action added"),
    "plan_action_status": _l("plan action updated"), "delete_plan_action": _l("plan action deleted"),
    "restore_plan_action": _l("plan action restored"), "request_exchange": _l("peer exchange requested"),
    "accept_exchange": _l("peer exchange accepted"), "decline_exchange": _l("peer exchange declined"),
    "edit_exchange": _l("peer exchange updated"), "answer_note": _l("note added to survey answers"),
    "name_reviewer": _l("reviewer named for survey answers"), "introduce": _l("organisations introduced"),
    "introduction_outcome": _l("outcome of an introduction recorded"),
    "import_answers": _l("survey answers imported"),
    # Facilitators' actions, wherever the button is (one service each):
    "unlock": _l("unlocked"), "pin": _l("pinned"), "unpin": _l("unpinned"),
    "move": _l("moved to another community"), "mark_best_practice": _l("marked as a best practice"),
    "unmark_best_practice": _l("no longer a best practice"), "mark_answer": _l("marked as the answer"),
    "unmark_answer": _l("no longer the answer"), "edit_community": _l("community settings changed"),
    "approve_join": _l("request to join approved"), "decline_join": _l("request to join declined"),
    "invite_member": _l("invited to a community"), "make_facilitator": _l("made facilitator"),
    "remove_facilitator": _l("facilitator role removed"), "remove_member": _l("removed from a community"),
    "edit_organisation": _l("organisation profile changed"),
    "edit_item": _l("library item changed by a moderator"), "delete_item": _l("library item deleted by a moderator"),
    "add_captions": _l("captions added by a moderator"), "remove_captions": _l("captions removed by a moderator"),
    "retry_processing": _l("media processing restarted by a moderator"),
    "claim": _l("case claimed"), "release": _l("case released"), "note": _l("internal note added"),
    "auto_hide": _l("hidden after several safety reports"),
}
OBJECT_LABELS = {"discussion": _l("discussion"), "reply": _l("reply"), "item": _l("library item"),
                 "person": _l("person"), "introduction": _l("introduction"), "membership": _l("membership"),
                 "organisation": _l("organisation"), "community": _l("community"),
                 "survey_round": _l("survey round"), "survey_submission": _l("survey answers"),
                 "learning_session": _l("learning session"), "reply_template": _l("reply template"),
                 "survey_plan": _l("capacity-building plan"), "survey_plan_action": _l("plan action"),
                 "survey_answer_note": _l("note on survey answers"),
                 "survey_answer_reviewer": _l("reviewer of survey answers"), "moderation_note": _l("internal note")}


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


class AuditRewrite(db.Model):
    """A permit, held only inside the transaction that anonymises a person (hub/desk/erasure.py): while a
    row exists, the database lets that transaction rewrite an entry's reason, details and address — never
    who, what, which object or when, and never a DELETE. Nothing else writes this table."""

    __tablename__ = "audit_rewrite"

    id: Mapped[int] = mapped_column(primary_key=True)
    reason: Mapped[str] = mapped_column(sa.String(80))


#: The database's own guard (SQLite and PostgreSQL), installed by the migration and by create_all alike.
_REFUSAL = "audit entries cannot be changed or deleted"
_FIXED = ("id", "actor_id", "action", "object_type", "object_id", "created_at")
APPEND_ONLY = {
    "sqlite": [
        f"CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON audit_entry "
        f"BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END",
        "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry "
        "WHEN NOT EXISTS (SELECT 1 FROM audit_rewrite) OR "
        + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in _FIXED)
        + f" BEGIN SELECT RAISE(ABORT, '{_REFUSAL}'); END",
    ],
    "postgresql": [
        "CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$ BEGIN "
        "IF TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM audit_rewrite) AND "
        + " AND ".join(f"NEW.{c} IS NOT DISTINCT FROM OLD.{c}" for c in _FIXED)
        + f" THEN RETURN NEW; END IF; RAISE EXCEPTION '{_REFUSAL}'; END $$ LANGUAGE plpgsql",
        "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry "
        "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()",
    ],
}


@event.listens_for(AuditEntry.__table__, "after_create")
def _install_guard(table, connection, **kw):
    for statement in APPEND_ONLY.get(connection.dialect.name, []):
        connection.exec_driver_sql(statement)


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


def record_unless_own(action: str, obj, owner_id: int | None, reason: str = "", details: dict | None = None,
                      actor=None) -> AuditEntry | None:
    """Audit a change made to someone else's content (a moderator's); a person's change to their own is not."""
    if actor is None and has_request_context() and current_user.is_authenticated:
        actor = current_user
    if actor is None or actor.id == owner_id:  # (no one known: a script, the demo)
        return None
    return record(action, obj, reason, details, actor=actor)


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
