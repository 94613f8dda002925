"""Secrets the hub must read back (an authenticator's TOTP secret) are stored sealed, not in clear.

A copy of the database alone — a backup, a dump handed to a contractor — then holds no second factor.
The key comes from the setting TWO_FACTOR_KEYS (a list: the first seals, every one opens, so a key can be
rotated) or, when that is empty, is derived from SECRET_KEY. Values stored before sealing existed are
read as they are and sealed the next time they are written."""

import base64

import sqlalchemy as sa
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app

PREFIX = "sealed:v1:"


def _fernet_key(material: str) -> bytes:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                   info=b"learning-hub two-factor secrets").derive(material.encode())
    return base64.urlsafe_b64encode(derived)


def _keys() -> MultiFernet:
    materials = list(current_app.config.get("TWO_FACTOR_KEYS") or []) or [current_app.config["SECRET_KEY"]]
    return MultiFernet([Fernet(_fernet_key(str(m))) for m in materials])


def seal(value: str) -> str:
    return PREFIX + _keys().encrypt(value.encode()).decode()


def unseal(stored: str) -> str:
    """The clear value; a value from before sealing is returned as it is."""
    if not stored.startswith(PREFIX):
        return stored
    try:
        return _keys().decrypt(stored[len(PREFIX):].encode()).decode()
    except InvalidToken as error:
        raise RuntimeError("A sealed two-factor secret cannot be opened: SECRET_KEY changed without "
                           "listing the old one in TWO_FACTOR_KEYS.") from error


class SealedString(sa.types.TypeDecorator):
    """A string column written sealed and read back in clear (needs the application's configuration)."""

    impl = sa.String(255)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        return seal(value) if value is not None else None

    def process_result_value(self, value, dialect):
        return unseal(value) if value is not None else None
