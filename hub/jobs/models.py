"""A job waiting for, or done by, the job runner."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from hub.db import TimestampMixin, utcnow
from hub.extensions import db

#: Job states. A failed job ran out of attempts; it keeps its last error and can be retried.
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


class Job(TimestampMixin, db.Model):
    __tablename__ = "job"
    __table_args__ = (sa.Index("ix_job_status_run_after", "status", "run_after"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Which handler runs it, e.g. 'search.apply' (see hub.jobs.services.handler).
    kind: Mapped[str] = mapped_column(sa.String(60), index=True)
    payload: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(sa.String(10), default=QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    max_attempts: Mapped[int] = mapped_column(default=5)
    #: Not before this time (retries back off by moving it forward).
    run_after: Mapped[datetime] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(sa.Text, default="")
    #: The runner ("host:pid") that claimed it, and when; a stale lock is taken back.
    locked_by: Mapped[str | None] = mapped_column(sa.String(100))
    locked_at: Mapped[datetime | None]
    #: Last sign of life from that runner (hub.jobs.services.heartbeat).
    heartbeat_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    @property
    def is_pending(self) -> bool:
        return self.status in (QUEUED, RUNNING)


class JobRunner(db.Model):
    """A job runner process ("host:pid") and its last sign of life (`doctor` and /metrics read it)."""

    __tablename__ = "job_runner"

    name: Mapped[str] = mapped_column(sa.String(100), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    beat_at: Mapped[datetime] = mapped_column(default=utcnow)
