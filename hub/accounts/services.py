"""Account operations. Services flush; the calling view commits once."""

from datetime import datetime
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

from hub import audit, permissions
from hub.accounts import sessions
from hub.accounts.models import ACTIVE, DECLINED, PENDING, SUSPENDED, User
from hub.db import utcnow
from hub.extensions import db
from hub.organisations.models import Organisation
from hub.organisations.services import create_organisation
from hub.slugs import unique_slug

@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    """Checked when no account matches, so that a wrong email costs as much time as a wrong password."""
    return generate_password_hash("no account has this password", method=method)


def normalise_email(email: str) -> str:
    """Emails are stored trimmed and lower-cased."""
    return (email or "").strip().lower()


def find_by_email(email: str) -> User | None:
    """The account using this email, or None."""
    return db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))


def authenticate(email: str, password: str) -> User | None:
    """The account with this email and password, or None; as slow for unknown emails (no enumeration)."""
    user = find_by_email(email)
    if user is None or user.is_deleted:
        check_password_hash(_dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password or "")
        return None
    return user if user.check_password(password) else None


def email_taken(email: str, except_user: User | None = None) -> bool:
    """Whether another account already uses this email."""
    user = find_by_email(email)
    return user is not None and (except_user is None or user.id != except_user.id)


def register(name: str, email: str, password: str, organisation: Organisation | None,
             new_organisation: dict | None = None, locale: str | None = None) -> User:
    """A pending, unverified account; with new_organisation, a proposed organisation for the secretariat."""
    if organisation is None and new_organisation:
        organisation = create_organisation(status="proposed", **new_organisation)
    handle = unique_slug(User, name, column="handle")  # queries: before the new object exists (autoflush)
    user = User(name=name.strip(), email=normalise_email(email), organisation=organisation,
                status=PENDING, locale=locale, handle=handle,
                organisation_request=(new_organisation or {}).get("name", ""))
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def mark_verified(user: User) -> bool:
    """Record the email as verified; False when it already was."""
    if user.email_verified_at is not None:
        return False
    user.email_verified_at = utcnow()
    return True


def approvers_for(user: User) -> list[User]:
    """Who should review this registration: the organisation's focal points, else the secretariat."""
    focal_points = []
    if user.organisation is not None and user.organisation.is_listed:
        focal_points = db.session.scalars(sa.select(User).where(
            User.organisation_id == user.organisation_id, User.is_focal_point.is_(True),
            User.status == ACTIVE)).all()
    if focal_points:
        return list(focal_points)
    return list(db.session.scalars(sa.select(User).where(User.is_secretariat.is_(True), User.status == ACTIVE)))


def pending_registrations(reviewer: User) -> list[User]:
    """Verified accounts waiting for this reviewer's decision, oldest first."""
    query = sa.select(User).where(User.status == PENDING, User.email_verified_at.is_not(None),
                                  User.deleted_at.is_(None)).order_by(User.created_at)
    if not permissions.is_secretariat(reviewer):
        query = query.where(User.organisation_id == reviewer.organisation_id)
    return list(db.session.scalars(query))


def approve(user: User, reviewer: User) -> None:
    """Activate a pending account; the secretariat's approval also lists a proposed organisation."""
    user.status = ACTIVE
    user.approved_at = utcnow()
    user.approved_by_id = reviewer.id
    if user.organisation is not None and user.organisation.status == "proposed" and permissions.is_secretariat(reviewer):
        user.organisation.status = "active"


def decline(user: User, reviewer: User) -> None:
    """Refuse a pending account."""
    user.status = DECLINED
    user.approved_by_id = reviewer.id


def change_password(user: User, new_password: str, keep_session: str | None = None) -> None:
    """Set a new password; every session of this person ends, except the one whose token is `keep_session`."""
    user.set_password(new_password)
    user.session_version += 1
    sessions.end_all(user, keep=keep_session)


def suspend(user: User, until: datetime | None = None) -> None:
    """Suspend the account (until a time, or until lifted); every session of the person ends."""
    user.status = SUSPENDED
    user.suspended_until = until
    user.session_version += 1
    sessions.end_all(user)


def change_email(user: User, new_email: str) -> None:
    """Switch to a confirmed new email."""
    user.email = normalise_email(new_email)
    user.email_verified_at = utcnow()


def stop_email_change(user: User) -> None:
    """The old address said "not me": pending email-change links die and every session ends."""
    user.session_version += 1
    sessions.end_all(user)
    audit.record("stop_email_change", user, actor=user)


def update_profile(user: User, data: dict) -> None:
    """Copy the profile fields present in data onto the person."""
    for field in ("name", "locale", "timezone", "languages", "bio", "expertise"):
        if field in data:
            setattr(user, field, data[field])


def record_login(user: User) -> None:
    """Note when the person last signed in."""
    user.last_login_at = utcnow()
