"""Everything the hub holds about a person, as JSON: downloaded by the person (/account/export), or by
the secretariat answering a data request (the desk's person page, audited).

Accounts sits below the features that hold a person's posts, so each feature gives its own part: a
function of the person returning {section: rows}, added once in create_app (hub/__init__.py), naming
the columns (table.column, each referencing user_account) whose rows it exports. Every such column of
the schema is either exported by a part or listed in EXCLUDED with the reason; a test walks db.metadata.
"""

import json

import sqlalchemy as sa
from flask import Response
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from hub.accounts.models import DeviceSession, RecoveryCode, User
from hub.audit import AuditEntry
from hub.extensions import db
from hub.mail import EmailOutbox

PROFILE_FIELDS = ("id", "name", "email", "handle", "status", "locale", "timezone", "languages", "bio", "expertise",
                  "is_secretariat", "is_focal_point", "created_at", "email_verified_at", "approved_at",
                  "last_login_at", "organisation_request", "suspended_until", "suspension_reason", "silenced_at",
                  "silenced_until", "silence_reason")
#: The features' parts, in the order they appear in the file.
PARTS = []
#: "table.column" → the part exporting the rows where that column names the person.
COVERED = {}
#: Columns referencing a person whose rows are NOT exported, and why (read by the generic test and
#: by whoever answers a data request).
EXCLUDED = {
    "user_account.approved_by_id": _l("Who approved other people's accounts: the approver's action, in the "
                                      "audit log (exported as the entries they made)."),
    "survey_round.opened_by_id": _l("A secretariat action (opening a round), in the audit log."),
    "survey_introduction.created_by_id": _l("A secretariat action (an introduction), in the audit log."),
    "survey_introduction.requested_by_id": _l("A focal point asking for a peer exchange on behalf of their "
                                              "organisation, in the audit log."),
    "survey_introduction.answered_by_id": _l("A focal point answering a peer exchange on behalf of their "
                                             "organisation, in the audit log."),
    "survey_answer_reviewer.named_by_id": _l("A focal point naming someone to confirm the organisation's "
                                             "answers, in the audit log."),
    "case_claim.claimed_by_id": _l("Which case a moderator is handling: the desk's working state; claims and "
                                   "releases are in the audit log."),
    "moderation_note.author_id": _l("Internal notes a moderator wrote on cases and people: the moderators' "
                                    "working notes, in the audit log."),
    "discussion.best_practice_by_id": _l("A facilitator's mark on someone else's post, not data about them."),
    "discussion.hidden_by_id": _l("A moderator's action on someone else's post, in the audit log."),
    "reply.hidden_by_id": _l("A moderator's action on someone else's post, in the audit log."),
    "library_item.hidden_by_id": _l("A moderator's action on someone else's item, in the audit log."),
    "moderation_report.author_id": _l("Reports others filed about the person's content: exporting them would "
                                      "tell the person who reported them (a safety risk for the reporters)."),
    "moderation_report.handled_by_id": _l("A moderator's handling of reports, in the audit log."),
    "notification.actor_id": _l("Notices the person's actions caused for others: the recipients' data (the "
                                "posts themselves are exported)."),
    "form_submission.user_id": _l("One-time form tokens kept briefly so a double submit counts once: no content."),
    "library_upload.owner_id": _l("Unfinished uploads (bytes in transit), removed when they expire; finished "
                                  "ones are library items, exported."),
}


def add_part(part, covers=()) -> None:
    """Include `part(user) -> {section: rows}` in every export (adding it twice is harmless); `covers`
    names the "table.column" references to the person whose rows it exports."""
    if part not in PARTS:
        PARTS.append(part)
    for column in covers:
        COVERED[column] = part


def rows(model, where, fields) -> list[dict]:
    """The rows of `model` matching `where`, as {field: value}, oldest first."""
    order = getattr(model, "id", None) or list(model.__table__.primary_key)[0]
    return [{field: getattr(row, field) for field in fields} for row in db.session.scalars(
        sa.select(model).where(where).order_by(order))]


def account_part(user) -> dict:
    """The account's own records: devices (never the token hashes), recovery codes left, emails sent to
    the person, and the audit entries made by them or about them (without the staff's addresses)."""
    return {
        "devices": rows(DeviceSession, DeviceSession.user_id == user.id,
                        ("created_at", "last_seen_at", "user_agent", "remember")),
        "recovery_codes_left": db.session.scalar(sa.select(sa.func.count(RecoveryCode.id)).where(
            RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))),
        "emails": rows(EmailOutbox, EmailOutbox.user_id == user.id,
                       ("template", "status", "created_at", "sent_at")),
        "actions_recorded": rows(AuditEntry, AuditEntry.actor_id == user.id,
                                 ("action", "object_type", "object_id", "reason", "ip_address", "created_at")),
        "actions_about_you": rows(AuditEntry, sa.and_(AuditEntry.object_type == User.__tablename__,
                                                      AuditEntry.object_id == user.id),
                                  ("action", "reason", "created_at")),
    }


add_part(account_part, covers=("device_session.user_id", "recovery_code.user_id", "email_outbox.user_id",
                               "audit_entry.actor_id"))


def personal_data(user) -> dict:
    """Everything about this person: profile, organisation, then each feature's part."""
    found = {"profile": {field: getattr(user, field) for field in PROFILE_FIELDS},
             "organisation": user.organisation.name if user.organisation else None}
    for part in PARTS:
        found.update(part(user))
    return found


def as_file(user, filename: str) -> Response:
    """The person's data as a JSON download."""
    text = json.dumps(personal_data(user), default=str, ensure_ascii=False, indent=2)
    return Response(text, mimetype="application/json",
                    headers={"Content-Disposition": f"attachment; filename={filename}"})


def download():
    """Download your own data as a JSON file."""
    return as_file(current_user, "my-learning-hub-data.json")
