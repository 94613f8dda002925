"""People: accounts, their standing, their preferences and their roles."""

from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash

from hub.accounts.passwords import hash_password, normalise_password
from hub.accounts.sealing import SealedString
from hub.db import SoftDeleteMixin, TimestampMixin, utcnow
from hub.extensions import db

#: Account states. 'pending' waits for approval by a focal point or the secretariat.
PENDING, ACTIVE, DECLINED, SUSPENDED = "pending", "active", "declined", "suspended"
STATUS_LABELS = {PENDING: _l("Waiting for approval"), ACTIVE: _l("Active"), DECLINED: _l("Declined"),
                 SUSPENDED: _l("Suspended")}


class User(UserMixin, TimestampMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    name: Mapped[str] = mapped_column(sa.String(120))
    #: The @handle others use to mention this person (a slug of the name, unique).
    handle: Mapped[str | None] = mapped_column(sa.String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    organisation_id: Mapped[int | None] = mapped_column(sa.ForeignKey("organisation.id"), index=True)
    status: Mapped[str] = mapped_column(sa.String(20), default=PENDING)
    email_verified_at: Mapped[datetime | None]
    approved_at: Mapped[datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"))
    suspended_until: Mapped[datetime | None]
    #: Why the account is suspended, as the person was told (in their language).
    suspension_reason: Mapped[str] = mapped_column(sa.Text, default="")
    #: Silence (read-only): the person reads but cannot post, reply, upload, react or report, from
    #: silenced_at until silenced_until (None: until lifted). hub.accounts.sanctions sets and lifts it.
    silenced_at: Mapped[datetime | None]
    silenced_until: Mapped[datetime | None]
    silence_reason: Mapped[str] = mapped_column(sa.Text, default="")
    is_secretariat: Mapped[bool] = mapped_column(default=False)
    is_focal_point: Mapped[bool] = mapped_column(default=False)
    #: Bumped when the password changes or the account is suspended: every session ends.
    session_version: Mapped[int] = mapped_column(default=1)
    locale: Mapped[str | None] = mapped_column(sa.String(5))
    #: The zone the person chose (UTC too); None: not chosen, times follow their organisation's country.
    timezone: Mapped[str | None] = mapped_column(sa.String(64), default=None)
    languages: Mapped[list] = mapped_column(sa.JSON, default=list)
    bio: Mapped[str] = mapped_column(sa.Text, default="")
    expertise: Mapped[str] = mapped_column(sa.Text, default="")
    last_login_at: Mapped[datetime | None]
    #: When registering with "my organisation is not listed": what the person told us.
    organisation_request: Mapped[str] = mapped_column(sa.Text, default="")
    #: Two-factor sign-in: the authenticator's base32 secret (None: not enrolled; stored sealed, see
    #: hub/accounts/sealing.py) and the last time step accepted, so a code is never accepted twice.
    totp_secret: Mapped[str | None] = mapped_column(SealedString())
    totp_last_step: Mapped[int | None] = mapped_column(sa.BigInteger)
    two_factor_enabled_at: Mapped[datetime | None]

    organisation = relationship("Organisation", back_populates="members")

    def set_password(self, password: str) -> None:
        self.password_hash = hash_password(password)

    def check_password(self, password: str) -> bool:
        """Compare in NFKC; a hash made before normalisation still matches the raw text, and is then redone."""
        if not password:
            return False
        if check_password_hash(self.password_hash, normalise_password(password)):
            return True
        if normalise_password(password) != password and check_password_hash(self.password_hash, password):
            self.set_password(password)  # committed with the sign-in
            return True
        return False

    #: The unguessable token of the device session this request belongs to (set when signing in or loading).
    device_token = None  # not a column: set per request

    def get_id(self) -> str | None:
        """Flask-Login's id: the device session's token, so the session and remember-me cookies name a row."""
        return self.device_token

    @property
    def has_two_factor(self) -> bool:
        return self.totp_secret is not None and self.two_factor_enabled_at is not None

    @property
    def is_active(self) -> bool:
        standing = self.status == ACTIVE or (self.status == SUSPENDED and not self.is_suspended)
        return standing and self.email_verified_at is not None and not self.is_deleted

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    @property
    def is_suspended(self) -> bool:
        return self.status == SUSPENDED and (self.suspended_until is None or self.suspended_until > utcnow())

    @property
    def is_silenced(self) -> bool:
        return self.silenced_at is not None and (self.silenced_until is None or self.silenced_until > utcnow())

    @property
    def is_pending(self) -> bool:
        return self.status == PENDING

    @property
    def status_label(self) -> str:
        """The account's state in words; a suspension that has run out reads as active."""
        return str(STATUS_LABELS[ACTIVE] if self.status == SUSPENDED and not self.is_suspended
                   else STATUS_LABELS.get(self.status, self.status))

    @property
    def display_name(self) -> str:
        return self.name


class DeviceSession(db.Model):
    """One sign-in on one device: the cookies carry its token, the database keeps only the token's hash."""
    __tablename__ = "device_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    #: "Keep me signed in": the session outlives the browser and has no idle timeout.
    remember: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    #: Updated at most every SESSION_TOUCH_INTERVAL, never on every request.
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_agent: Mapped[str] = mapped_column(sa.String(300), default="")

    user = relationship("User")


class RecoveryCode(db.Model):
    """A single-use code that replaces the authenticator once (stored hashed)."""
    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(sa.String(64))
    used_at: Mapped[datetime | None]
