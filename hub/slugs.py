"""Readable, unique URL slugs."""

import re
import unicodedata
import uuid

import sqlalchemy as sa

from hub.extensions import db


def slugify(text: str, max_length: int = 80) -> str:
    """ASCII slug: accents folded, other scripts dropped (then the caller falls back)."""
    folded = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    return slug[:max_length].strip("-")


def unique_slug(model, text: str, column: str = "slug") -> str:
    """A slug for `text` not yet used by `model` (suffixes -2, -3 … when taken)."""
    base = slugify(text) or uuid.uuid4().hex[:8]
    attr = getattr(model, column)
    taken = set(db.session.scalars(sa.select(attr).where(attr.like(f"{base}%"))))
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"
