"""Demo notifications: the periodic notifications job, and Lucía's weekly Spanish digest with a question
her organisation could answer. Called by `flask --app hub demo load`; creates nothing twice."""

import sqlalchemy as sa

from hub.communities.models import Community
from hub.discussions import services as discussions
from hub.discussions.models import Discussion
from hub.db import utcnow
from hub.extensions import db
from hub.notifications import digest
from hub.notifications.cli import schedule
from hub.notifications.models import Notification

LUCIA, HELPER_AUTHOR = "member@example.org", "moussa@example.org"
QUESTION = "¿Cómo presentar datos de financiamiento a los medios?"


#: Unread notifications each demo account starts with: enough to see what they look like, not a backlog.
FRESH = 5


def settle_backlog(people: dict) -> None:
    """Loading the demo tells everyone about everything at once: keep only the newest few unread per account."""
    db.session.flush()
    for person in people.values():
        newest = (sa.select(Notification.id).where(Notification.recipient_id == person.id,
                                                   Notification.read_at.is_(None))
                  .order_by(Notification.id.desc()).limit(FRESH))
        db.session.execute(sa.update(Notification).where(
            Notification.recipient_id == person.id, Notification.read_at.is_(None),
            Notification.id.not_in(newest)).values(read_at=utcnow()).execution_options(synchronize_session=False))


def load(people: dict) -> None:
    """Queue the periodic job; make sure Lucía's digest is weekly and holds a question she could answer."""
    schedule()
    lucia = people.get(LUCIA)
    if lucia is None:
        return
    digest.set_frequency(lucia.id, "weekly")
    themes = sorted(digest.strong_themes(lucia))
    if not themes or digest.helpable_questions(lucia):
        return
    community = db.session.scalar(sa.select(Community).where(Community.visibility == "public",
                                                             Community.status == "active").order_by(Community.id))
    if community is None or db.session.scalar(sa.select(Discussion.id).where(Discussion.title == QUESTION)):
        return
    discussions.start_discussion(community, people[HELPER_AUTHOR], {
        "title": QUESTION, "language": "es", "kind": "question", "themes": [themes[0]],
        "body": "Preparamos una nota de prensa sobre el presupuesto educativo. ¿Qué gráficos funcionaron mejor?"},
        review=False)
