"""Demo moderation: a member reports a discussion as a safety risk, waiting in the secretariat's queue."""

import sqlalchemy as sa

from hub.discussions.models import Discussion
from hub.extensions import db
from hub.moderation import services
from hub.moderation.models import SAFETY, Report

NOTE = "This post names the street where our members meet. Please hide it."


def load(people: dict) -> int:
    """File the demo report once (running the loader again creates nothing); returns how many were made."""
    reporter = people.get("member@example.org")
    if reporter is None or db.session.scalar(sa.select(Report.id).where(Report.reporter_id == reporter.id)):
        return 0
    discussion = db.session.scalar(sa.select(Discussion).where(
        Discussion.author_id != reporter.id, Discussion.deleted_at.is_(None), Discussion.hidden_at.is_(None))
        .order_by(Discussion.id))
    if discussion is None:
        return 0
    services.file_report(reporter, "discussion", discussion, SAFETY, NOTE)
    return 1
