"""Readable, unique URL slugs, and the old ones of renamed objects (their links keep working)."""

import re
import unicodedata
import uuid

import sqlalchemy as sa
from flask import abort, redirect, request, url_for
from sqlalchemy.orm import Mapped, mapped_column

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


class OldSlug(db.Model):
    """A slug an object had before it was renamed: links made with it redirect to the new one."""

    __tablename__ = "old_slug"
    __table_args__ = (sa.UniqueConstraint("kind", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The object's table, e.g. 'community'.
    kind: Mapped[str] = mapped_column(sa.String(40))
    slug: Mapped[str] = mapped_column(sa.String(120))
    object_id: Mapped[int]


def rename(obj, new_slug: str) -> None:
    """Give `obj` a new slug and remember the old one (flushed with the caller's change)."""
    kind, old = obj.__tablename__, obj.slug
    if not old or old == new_slug:
        return
    db.session.execute(sa.delete(OldSlug).where(OldSlug.kind == kind, OldSlug.slug.in_([old, new_slug])))
    db.session.add(OldSlug(kind=kind, slug=old, object_id=obj.id))
    obj.slug = new_slug
    db.session.flush()


def redirect_if_renamed(model, slug: str, may_see) -> None:
    """When `slug` is an old slug of a `model` object that `may_see(obj)` allows, answer this request
    with a redirect to its new address (same endpoint and arguments); else return (the caller 404s)."""
    object_id = db.session.scalar(sa.select(OldSlug.object_id).where(
        OldSlug.kind == model.__tablename__, OldSlug.slug == slug))
    current = db.session.get(model, object_id) if object_id is not None else None
    if current is not None and request.endpoint and request.method in ("GET", "HEAD") and may_see(current):
        arguments = {**request.args.to_dict(), **(request.view_args or {}), "slug": current.slug}
        abort(redirect(url_for(request.endpoint, **arguments), 301))
