"""The password rule: 10 to 128 characters, no composition rules, common passwords refused."""

import unicodedata
from functools import lru_cache
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from werkzeug.security import generate_password_hash

_LIST = Path(__file__).with_name("common_passwords.txt")


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of passwords seen in breaches, lower-cased."""
    lines = _LIST.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().casefold() for line in lines if line.strip() and not line.startswith("#"))


def password_problem(password: str, email: str = "", name: str = "") -> str | None:
    """A translated reason the password is refused, or None when it is acceptable."""
    low, high = current_app.config["PASSWORD_MIN_LENGTH"], current_app.config["PASSWORD_MAX_LENGTH"]
    if len(password) < low:
        return _("Use at least %(num)d characters.", num=low)
    if len(password) > high:
        return _("Use at most %(num)d characters.", num=high)
    folded = password.casefold()
    if folded in common_passwords() or len(set(folded)) < 3:
        return _("This password is too common and easy to guess. Try a few unrelated words together.")
    if email and folded in (email.casefold(), email.split("@")[0].casefold()):
        return _("Do not use your email address as your password.")
    if name and folded == name.casefold():
        return _("Do not use your name as your password.")
    return None


def normalise_password(password: str) -> str:
    """NFKC, so the same password typed on another keyboard or system (composed or not) still matches."""
    return unicodedata.normalize("NFKC", password or "")


def hash_password(password: str) -> str:
    """A salted hash with a memory-hard KDF (scrypt by default; see PASSWORD_HASH_METHOD)."""
    return generate_password_hash(normalise_password(password), method=current_app.config["PASSWORD_HASH_METHOD"])
