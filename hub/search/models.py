"""The search outbox: changes to searchable content, written in the content's own transaction."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import utcnow
from hub.extensions import db

UPSERT, DELETE = "upsert", "delete"


class SearchChange(db.Model):
    """One object to (re)index or remove; applied to the index after commit, then deleted."""

    __tablename__ = "search_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    #: A document kind of hub.search.documents.KINDS: 'organisation', 'person', 'community', …
    kind: Mapped[str] = mapped_column(sa.String(30))
    object_id: Mapped[int]
    op: Mapped[str] = mapped_column(sa.String(10), default=UPSERT)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
