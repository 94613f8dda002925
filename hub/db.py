"""The declarative base, naming conventions and the small mixins every feature shares."""

import logging
from datetime import datetime, timezone

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, registry

log = logging.getLogger(__name__)

#: Milliseconds an SQLite connection waits for another's write lock before giving up.
SQLITE_BUSY_TIMEOUT_MS = 10_000

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time in UTC, timezone-aware."""
    return datetime.now(timezone.utc)


class UTCDateTime(sa.types.TypeDecorator):
    """A datetime stored as UTC and always read back timezone-aware (SQLite forgets the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc) if value is not None else None

    def process_result_value(self, value, dialect):
        if value is not None and value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value


def insert_once(session, model, **values) -> bool:
    """Insert a row a unique rule allows once; False when it is there already (read it back).

    Two clicks or two tabs send the same write at once: INSERT … ON CONFLICT DO NOTHING makes the
    loser wait for the winner's commit on PostgreSQL, then do nothing, and its transaction goes on.
    (Not a savepoint: SQLite's Python driver would commit the outer transaction on releasing it.)"""
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[session.get_bind().dialect.name]
    # RETURNING, not rowcount: an ORM-enabled INSERT on psycopg 3 reports rowcount -1 whatever happened.
    statement = insert(model).values(**values).on_conflict_do_nothing()
    return session.execute(statement.returning(*model.__table__.primary_key.columns)).first() is not None


def made_from_form(session, model, token: str | None):
    """The row already created from this one-time form token (the same form sent again), or None."""
    if not token:
        return None
    return session.scalar(sa.select(model).where(model.form_token == token))


class Base(DeclarativeBase):
    registry = registry(metadata=sa.MetaData(naming_convention=NAMING_CONVENTION),
                        type_annotation_map={datetime: UTCDateTime()})


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SoftDeleteMixin:
    """Deletion is soft first: rows stay, marked with when they were deleted."""

    deleted_at: Mapped[datetime | None] = mapped_column(default=None)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


#: Pre-moderation: a new post waits for review ('pending'), then is 'approved' or 'rejected'.
PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"


class HideableMixin:
    """Moderators hide content reversibly: it disappears for everyone but its author and moderators."""

    hidden_at: Mapped[datetime | None] = mapped_column(default=None)
    hidden_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user_account.id"), default=None)
    hidden_reason: Mapped[str] = mapped_column(sa.Text, default="")
    #: None for a post published at once. A post waiting for review is hidden too (hidden_at set), so
    #: every query that leaves hidden content out leaves it out; approving unhides it, rejecting keeps
    #: it hidden with the reason.
    review_status: Mapped[str | None] = mapped_column(sa.String(10), default=None, index=True)

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None

    @property
    def is_pending(self) -> bool:
        return self.review_status == PENDING

    @property
    def is_rejected(self) -> bool:
        return self.review_status == REJECTED

    def hold_for_review(self) -> None:
        """Keep a new post out of sight until a moderator approves it."""
        self.hidden_at, self.review_status = utcnow(), PENDING

    @classmethod
    def ever_published(cls):
        """SQL condition: not a post that waits for review or was rejected (nobody else ever saw those)."""
        return sa.or_(cls.review_status.is_(None), cls.review_status == APPROVED)


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, connection_record):
    """SQLite for the default deployment: foreign keys, WAL (readers never wait for the writer), a busy
    timeout instead of an immediate "database is locked", and synchronous=NORMAL (safe with WAL, and
    a commit costs no fsync). Other databases are left alone."""
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def side_write(engine: sa.Engine, statement, wait_ms: int = 1000) -> bool:
    """Run one short write of its own, outside the caller's transaction: committed at once, waiting at
    most `wait_ms` for locks. Errors (opening the connection included) are logged, never raised: for
    counters and heartbeats, not content. Returns whether it was written."""
    try:
        with engine.begin() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                connection.exec_driver_sql(f"PRAGMA busy_timeout={wait_ms}")
            elif connection.dialect.name == "postgresql":
                connection.exec_driver_sql(f"SET LOCAL lock_timeout = {int(wait_ms)}")
            try:
                connection.execute(statement)
            finally:
                if sqlite:
                    connection.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        return True
    except sa.exc.SQLAlchemyError:
        log.warning("a side write was not made", exc_info=True)
        return False
