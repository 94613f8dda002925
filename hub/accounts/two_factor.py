"""Two-factor sign-in: an authenticator app (TOTP, RFC 6238) and ten single-use recovery codes.

A code is accepted for the current 30-second step and one step either side (a clock a little off);
never twice, and never older than the last accepted step. Recovery codes are random, so a SHA-256 is
enough to store them. A device that gave a code may be remembered by a signed cookie that names the
person and a fingerprint of their secret, so a reset forgets every remembered device.
"""

import hashlib
import hmac
import secrets
import string

import pyotp
import segno
import sqlalchemy as sa
from flask import current_app
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.orm.attributes import set_committed_value

from hub import audit
from hub.accounts.models import RecoveryCode, User
from hub.db import utcnow
from hub.extensions import db

RECOVERY_CODES = 10
REMEMBER_COOKIE = "hub_device"
_ALPHABET = string.ascii_lowercase + string.digits


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=current_app.config["TWO_FACTOR_ISSUER"])


def qr_svg(uri: str) -> str:
    """The QR code of `uri` as inline SVG, drawn here: the secret never reaches another service."""
    return segno.make(uri, error="m").svg_inline(scale=5)


def clean(code: str) -> str:
    """What people type: spaces and dashes dropped, lower case."""
    return "".join((code or "").split()).replace("-", "").lower()


def matching_step(secret: str, code: str, after: int | None) -> int | None:
    """The time step (now, or one either side) whose code is `code` and is later than `after`, or None."""
    code = clean(code)
    if not (len(code) == 6 and code.isdigit()):
        return None
    totp = pyotp.TOTP(secret)
    now = totp.timecode(utcnow())
    for step in (now - 1, now, now + 1):
        if (after is None or step > after) and hmac.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def check_code(user: User, code: str) -> bool:
    """An authenticator code for this person's secret, not used before; remembers its step (an UPDATE)."""
    step = matching_step(user.totp_secret or "", code, user.totp_last_step) if user.totp_secret else None
    if step is None:
        return False
    # Claimed in one UPDATE: two requests racing with the same code cannot both win.
    won = db.session.execute(sa.update(User).where(
        User.id == user.id, sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step))
        .values(totp_last_step=step).execution_options(synchronize_session=False)).rowcount == 1
    if won:
        set_committed_value(user, "totp_last_step", step)  # what the UPDATE wrote, without a second one
    return won


def _hash(code: str) -> str:
    return hashlib.sha256(clean(code).encode()).hexdigest()


def new_recovery_codes(user: User) -> list[str]:
    """Replace the person's recovery codes with ten new ones; returns them (shown once). Flushes."""
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(_ALPHABET) for _ in range(5)) + "-"
             + "".join(secrets.choice(_ALPHABET) for _ in range(5)) for _ in range(RECOVERY_CODES)]
    db.session.add_all([RecoveryCode(user_id=user.id, code_hash=_hash(code)) for code in codes])
    db.session.flush()
    audit.record("new_recovery_codes", user, actor=user)
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    """Spend one unused recovery code of this person (each works once). Flushes."""
    if len(clean(code)) != 10:
        return False
    spent = db.session.execute(sa.update(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(code), RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow()).execution_options(synchronize_session=False)).rowcount
    db.session.flush()
    return spent == 1


def recovery_codes_left(user: User) -> int:
    return db.session.scalar(sa.select(sa.func.count(RecoveryCode.id)).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))


def enable(user: User, secret: str, step: int) -> list[str]:
    """Turn two-factor sign-in on with a secret the person proved with a code; returns recovery codes."""
    user.totp_secret, user.totp_last_step, user.two_factor_enabled_at = secret, step, utcnow()
    codes = new_recovery_codes(user)
    audit.record("enable_two_factor", user, actor=user)
    return codes


def turn_off(user: User) -> None:
    """The person turns two-factor sign-in off themselves (audited; a reset by the secretariat is its own action)."""
    disable(user)
    audit.record("disable_two_factor", user, actor=user)


def disable(user: User) -> None:
    """Turn two-factor sign-in off: the secret and the recovery codes are gone. Flushes."""
    user.totp_secret = user.totp_last_step = user.two_factor_enabled_at = None
    db.session.execute(sa.delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="hub.two-factor-device")


def _fingerprint(user: User) -> str:
    return hashlib.sha256(f"{user.id}:{user.totp_secret}".encode()).hexdigest()[:16]


def device_cookie(user: User) -> str:
    """The value of the "remember this device" cookie for this person."""
    return _serializer().dumps({"u": user.id, "f": _fingerprint(user)})


def device_remembered(user: User, cookie: str | None) -> bool:
    """Whether this browser gave a code recently enough (TWO_FACTOR_REMEMBER_DEVICE) for this secret."""
    if not cookie:
        return False
    max_age = current_app.config["TWO_FACTOR_REMEMBER_DEVICE"].total_seconds()
    try:
        data = _serializer().loads(cookie, max_age=max_age)
    except BadSignature:
        return False
    return isinstance(data, dict) and data.get("u") == user.id and data.get("f") == _fingerprint(user)
