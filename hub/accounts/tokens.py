"""Signed, expiring links for email verification, password reset and email change.

Reset and email-change links carry a fingerprint of what they change, so each works once.
"""

import hashlib

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from hub.accounts.models import User
from hub.extensions import db

VERIFY, RESET, CHANGE_EMAIL = "verify-email", "reset-password", "change-email"
#: The link to the old address that stops an email change (and every session).
STOP_EMAIL_CHANGE = "stop-email-change"
_MAX_AGE = {VERIFY: "VERIFY_TOKEN_MAX_AGE", RESET: "RESET_TOKEN_MAX_AGE", CHANGE_EMAIL: "EMAIL_CHANGE_TOKEN_MAX_AGE",
            STOP_EMAIL_CHANGE: "EMAIL_CHANGE_TOKEN_MAX_AGE"}
#: Links that die when session_version changes (a password change, a suspension, a stopped email change).
_VERSIONED = (CHANGE_EMAIL, STOP_EMAIL_CHANGE)


class TokenError(Exception):
    """The link is invalid, expired or already used; `expired` tells which."""

    def __init__(self, expired: bool = False):
        super().__init__("expired" if expired else "invalid")
        self.expired = expired


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt=f"hub.{purpose}")


def fingerprint(value: str) -> str:
    """A short hash of a value, so a link stops working once the value changes."""
    return hashlib.sha256(value.encode()).hexdigest()[:16]


def make_token(purpose: str, user: User, **extra) -> str:
    """A signed, timestamped link token for one purpose and one person."""
    payload = {"u": user.id, **extra}
    if purpose == RESET:
        payload["p"] = fingerprint(user.password_hash)
    if purpose in (VERIFY, CHANGE_EMAIL, STOP_EMAIL_CHANGE):
        payload["e"] = fingerprint(user.email)
    if purpose in _VERSIONED:
        payload["v"] = user.session_version
    return _serializer(purpose).dumps(payload)


def read_token(purpose: str, token: str) -> tuple[User, dict]:
    """The user a link is for and its payload, or TokenError."""
    max_age = current_app.config[_MAX_AGE[purpose]]
    try:
        payload = _serializer(purpose).loads(token, max_age=max_age)
    except SignatureExpired as exc:
        raise TokenError(expired=True) from exc
    except BadSignature as exc:
        raise TokenError() from exc
    user = db.session.get(User, payload.get("u")) if isinstance(payload, dict) else None
    if user is None or user.is_deleted:
        raise TokenError()
    if purpose == RESET and payload.get("p") != fingerprint(user.password_hash):
        raise TokenError()
    if purpose in (VERIFY, CHANGE_EMAIL, STOP_EMAIL_CHANGE) and payload.get("e") != fingerprint(user.email):
        raise TokenError()
    if purpose in _VERSIONED and payload.get("v") != user.session_version:
        raise TokenError()
    return user, payload
