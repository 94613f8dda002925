"""Server-side sessions, one row per sign-in on a device: signing out deletes the row, so a copied cookie dies.

The session cookie and the remember-me cookie carry an unguessable token (Flask-Login's user id); the
database keeps only its SHA-256. Every request looks the row up (no process memory: several gunicorn
workers agree), checks the idle timeout and the absolute lifetime, and notes `last_seen_at` at most every
SESSION_TOUCH_INTERVAL, after the response, in a short transaction of its own.
"""

import hashlib
import re
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, g, request
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import joinedload

from hub import audit
from hub.accounts.models import DeviceSession, User
from hub.db import utcnow
from hub.extensions import db, login_manager
from hub.jobs.services import enqueue, handler

CLEAN_JOB, CLEAN_EVERY = "accounts.clean_sessions", timedelta(hours=1)
#: Names who signed in from this browser before, so a sign-in elsewhere is noticed.
KNOWN_COOKIE = "hub_known"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(user: User, remember: bool, user_agent: str = "") -> DeviceSession:
    """A new session row for this device; the user object then carries its token for the cookies. Flushes."""
    token = secrets.token_urlsafe(32)
    row = DeviceSession(user_id=user.id, token_hash=token_hash(token), remember=bool(remember),
                        user_agent=(user_agent or "")[:300])
    db.session.add(row)
    db.session.flush()
    schedule_cleaning()
    user.device_token = token
    return row


def expired_before(now: datetime | None = None) -> tuple[datetime, datetime]:
    """(idle limit, absolute limit): sessions last seen before the first, or started before the second, are over."""
    now = now or utcnow()
    cfg = current_app.config
    return now - cfg["SESSION_IDLE_TIMEOUT"], now - cfg["SESSION_ABSOLUTE_LIFETIME"]


def is_live(row: DeviceSession) -> bool:
    idle, absolute = expired_before()
    return row.created_at > absolute and (row.remember or row.last_seen_at > idle)


@login_manager.user_loader
def load_user(token: str):
    """The person whose live session this token names, or None (signed out, expired, suspended…)."""
    if not token or len(token) > 100:
        return None
    row = db.session.scalar(sa.select(DeviceSession).where(DeviceSession.token_hash == token_hash(token))
                            .options(joinedload(DeviceSession.user)))
    if row is None or not is_live(row) or not row.user.is_active:
        return None
    row.user.device_token = token
    g.device_session = row
    if utcnow() - row.last_seen_at > current_app.config["SESSION_TOUCH_INTERVAL"]:
        g.device_session_touch = row.id
    return row.user


def _known_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="hub.known-device")


def known_device(user: User) -> bool:
    """Whether this person signed in from this browser before (a signed cookie lists who did)."""
    try:
        ids = _known_serializer().loads(request.cookies.get(KNOWN_COOKIE, ""))
    except BadSignature:
        return False
    return isinstance(ids, list) and user.id in ids


def mark_known(response, user: User) -> None:
    """Remember in this browser that this person signed in here (for a year), so no new-device notice."""
    try:
        ids = _known_serializer().loads(request.cookies.get(KNOWN_COOKIE, ""))
    except BadSignature:
        ids = []
    ids = ([i for i in ids if isinstance(i, int) and i != user.id] + [user.id])[-5:]
    response.set_cookie(KNOWN_COOKIE, _known_serializer().dumps(ids), max_age=365 * 24 * 3600,
                        secure=current_app.config["SESSION_COOKIE_SECURE"], httponly=True, samesite="Lax")


def current() -> DeviceSession | None:
    """This request's session row (after current_user was loaded)."""
    return g.get("device_session")


def touch_after_request(response):
    """Note that the session is in use, at most every few minutes, outside the view's transaction."""
    row_id = g.pop("device_session_touch", None)
    if row_id is not None:
        try:
            with db.engine.begin() as connection:
                connection.execute(sa.update(DeviceSession).where(DeviceSession.id == row_id)
                                   .values(last_seen_at=utcnow()))
        except SQLAlchemyError:  # a busy database: the next request tries again
            current_app.logger.warning("Could not note the use of session %s", row_id)
    return response


def end(row_id: int | None = None, token: str | None = None) -> None:
    """Delete one session (by id, or by the token the cookie carries). Flushes."""
    query = sa.delete(DeviceSession)
    query = query.where(DeviceSession.id == row_id) if row_id is not None else query.where(
        DeviceSession.token_hash == token_hash(token or ""))
    db.session.execute(query.execution_options(synchronize_session=False))
    db.session.flush()


def end_all(user: User, keep: str | None = None, audited: bool = False) -> int:
    """End every session of this person, except the one with the token `keep`. Flushes; returns how many.

    `audited` when the person asked for it ("sign out everywhere else"); otherwise the action that ends
    the sessions (a password change, a suspension…) is what is recorded, if anything."""
    query = sa.delete(DeviceSession).where(DeviceSession.user_id == user.id)
    if keep:
        query = query.where(DeviceSession.token_hash != token_hash(keep))
    count = db.session.execute(query.execution_options(synchronize_session=False)).rowcount
    db.session.flush()
    if audited:
        audit.record("sign_out_everywhere", user, details={"sessions": count}, actor=user)
    return count


def active_for(user: User) -> list[DeviceSession]:
    """The person's live sessions, most recently used first."""
    idle, absolute = expired_before()
    return list(db.session.scalars(sa.select(DeviceSession).where(
        DeviceSession.user_id == user.id, DeviceSession.created_at > absolute,
        sa.or_(DeviceSession.remember.is_(True), DeviceSession.last_seen_at > idle))
        .order_by(DeviceSession.last_seen_at.desc(), DeviceSession.id.desc())))


def clean_expired() -> int:
    """Delete sessions past their idle timeout or lifetime. Flushes; returns how many."""
    idle, absolute = expired_before()
    count = db.session.execute(sa.delete(DeviceSession).where(sa.or_(
        DeviceSession.created_at <= absolute,
        sa.and_(DeviceSession.remember.is_(False), DeviceSession.last_seen_at <= idle)))
        .execution_options(synchronize_session=False)).rowcount
    db.session.flush()
    return count


def schedule_cleaning() -> None:
    """Make sure a cleaning job waits in the queue (one at a time; signing in calls this). Flushes."""
    enqueue(CLEAN_JOB, run_after=utcnow() + CLEAN_EVERY, unique=True)


@handler(CLEAN_JOB)
def clean_job(payload: dict) -> None:
    """The job runner's hourly sweep of expired sessions; it queues the next sweep while sessions remain."""
    clean_expired()
    if db.session.scalar(sa.select(DeviceSession.id).limit(1)) is not None:
        schedule_cleaning()


_BROWSERS = [("Edge", r"Edg(e|A|iOS)?/"), ("Opera", r"OPR/|Opera"), ("Samsung Internet", r"SamsungBrowser/"),
             ("Firefox", r"Firefox/|FxiOS/"), ("Chrome", r"Chrome/|CriOS/|Chromium/"), ("Safari", r"Safari/")]
_PLATFORMS = [("Android", r"Android"), ("iPhone", r"iPhone"), ("iPad", r"iPad"), ("Windows", r"Windows"),
              ("ChromeOS", r"CrOS"), ("macOS", r"Mac OS X|Macintosh"), ("Linux", r"Linux")]


def describe(user_agent: str) -> tuple[str, str]:
    """(browser, platform) named simply from a user agent; empty strings when unknown."""
    browser = next((name for name, pattern in _BROWSERS if re.search(pattern, user_agent or "")), "")
    platform = next((name for name, pattern in _PLATFORMS if re.search(pattern, user_agent or "")), "")
    return browser, platform

