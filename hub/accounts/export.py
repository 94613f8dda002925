"""A person downloads everything the hub holds about them, as JSON (/account/export).

Accounts sits below the features that hold a person's posts, so each feature gives its own part: a
function of the person returning {section: rows}, added once in create_app (hub/__init__.py).
"""

import json

import sqlalchemy as sa
from flask import Response
from flask_login import current_user

from hub.extensions import db

PROFILE_FIELDS = ("id", "name", "email", "handle", "status", "locale", "timezone", "languages", "bio", "expertise",
                  "is_secretariat", "is_focal_point", "created_at", "email_verified_at", "approved_at",
                  "last_login_at", "organisation_request")
#: The features' parts, in the order they appear in the file.
PARTS = []


def add_part(part) -> None:
    """Include `part(user) -> {section: rows}` in every export (adding it twice is harmless)."""
    if part not in PARTS:
        PARTS.append(part)


def rows(model, where, fields) -> list[dict]:
    """The rows of `model` matching `where`, as {field: value}, oldest first."""
    return [{field: getattr(row, field) for field in fields} for row in db.session.scalars(
        sa.select(model).where(where).order_by(model.id))]


def personal_data(user) -> dict:
    """Everything about this person: profile, organisation, then each feature's part."""
    found = {"profile": {field: getattr(user, field) for field in PROFILE_FIELDS},
             "organisation": user.organisation.name if user.organisation else None}
    for part in PARTS:
        found.update(part(user))
    return found


def download():
    """Download your own data as a JSON file."""
    text = json.dumps(personal_data(current_user), default=str, ensure_ascii=False, indent=2)
    return Response(text, mimetype="application/json",
                    headers={"Content-Disposition": "attachment; filename=my-learning-hub-data.json"})
