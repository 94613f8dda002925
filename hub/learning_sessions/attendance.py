"""Who actually came: the organisers tick the registrants who attended, after the start, in one save.

Once a session has marks (attendance_marked_at), the desk's dashboard counts its attendees instead of its
registrations (hub.desk.dashboard.session_attendance). Services flush, views commit.
"""

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from hub import audit
from hub.accounts.models import User
from hub.db import utcnow
from hub.extensions import db
from hub.learning_sessions.models import REGISTERED, Registration


class TooEarly(Exception):
    """Attendance is marked once the session has started."""


def sheet(session) -> list[Registration]:
    """The registered people, in the order they registered, with their marks."""
    return list(db.session.scalars(sa.select(Registration).options(joinedload(Registration.user).joinedload(
        User.organisation)).where(Registration.session_id == session.id, Registration.status == REGISTERED)
        .order_by(Registration.queued_at, Registration.id)))


def mark(session, actor, attended_ids) -> int:
    """Save who attended (registration ids ticked; every other registrant did not); audited; flushes.
    Returns how many attended."""
    if not session.has_started():
        raise TooEarly()
    wanted, came = {int(i) for i in attended_ids}, 0
    for row in sheet(session):
        row.attended = row.id in wanted
        came += row.attended
    session.attendance_marked_at = utcnow()
    db.session.flush()
    audit.record("mark_session_attendance", session, details={"attended": came})
    return came
