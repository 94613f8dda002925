"""A person downloads everything the hub holds about them, as JSON."""

import json

import sqlalchemy as sa
from flask import Blueprint, Response
from flask_login import current_user, login_required

from hub.communities.models import Membership
from hub.discussions.models import Discussion, Reply
from hub.extensions import db
from hub.library.models import LibraryItem
from hub.desk.models import Report

bp = Blueprint("privacy", __name__)
PROFILE_FIELDS = ("id", "name", "email", "handle", "status", "locale", "timezone", "languages", "bio", "expertise",
                  "is_secretariat", "is_focal_point", "created_at", "email_verified_at", "approved_at",
                  "last_login_at", "organisation_request")


def _rows(model, where, fields) -> list[dict]:
    return [{field: getattr(row, field) for field in fields} for row in db.session.scalars(
        sa.select(model).where(where).order_by(model.id))]


def personal_data(user) -> dict:
    """Everything about this person: profile, organisation, memberships, posts, items and reports."""
    return {
        "profile": {field: getattr(user, field) for field in PROFILE_FIELDS},
        "organisation": user.organisation.name if user.organisation else None,
        "memberships": _rows(Membership, Membership.user_id == user.id,
                             ("community_id", "status", "is_facilitator", "joined_at", "message")),
        "discussions": _rows(Discussion, Discussion.author_id == user.id,
                             ("id", "community_id", "title", "body", "language", "created_at", "deleted_at")),
        "replies": _rows(Reply, Reply.author_id == user.id,
                         ("id", "discussion_id", "body", "created_at", "deleted_at")),
        "library_items": _rows(LibraryItem, LibraryItem.owner_id == user.id,
                               ("id", "slug", "title", "description", "created_at", "deleted_at")),
        "reports_filed": _rows(Report, Report.reporter_id == user.id,
                               ("kind", "object_id", "reason", "note", "status", "created_at")),
    }


@bp.route("/account/export")
@login_required
def export():
    """Download your own data as a JSON file."""
    text = json.dumps(personal_data(current_user), default=str, ensure_ascii=False, indent=2)
    return Response(text, mimetype="application/json",
                    headers={"Content-Disposition": "attachment; filename=my-learning-hub-data.json"})
