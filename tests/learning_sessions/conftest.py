"""A facilitator in Nairobi, a member in Lima (reading Spanish), and a factory of sessions in their community."""

from datetime import timedelta

import pytest

from hub.db import utcnow
from hub.extensions import db
from hub.learning_sessions import services


@pytest.fixture
def people(create_user):
    return {"facilitator": create_user(email="wanjiru@example.org", name="Wanjiru", timezone="Africa/Nairobi",
                                       locale="en"),
            "member": create_user(email="lucia@example.org", name="Lucía", timezone="America/Lima", locale="es"),
            "outsider": create_user(email="out@example.org", name="Outsider", timezone="Europe/Paris", locale="fr")}


@pytest.fixture
def community(create_community, add_member, people):
    made = create_community(creator=people["facilitator"], visibility="public", slug="budgets", title="Budgets")
    add_member(made, people["member"])
    return made


@pytest.fixture
def make_session(community, people):
    """A scheduled session (committed): starts in `days`, lasts `hours`; fields override."""
    def make(days=3, hours=1, community=community, **fields):
        starts = (utcnow() + timedelta(days=days)).replace(second=0, microsecond=0)
        data = {"title": "Reading the budget", "description": "How to read it.", "starts_at": starts,
                "ends_at": starts + timedelta(hours=hours), "timezone": "Africa/Nairobi",
                "online_url": "https://meet.example.org/budget", "place": "", "languages": ["en"],
                "interpretation": ["es"], "capacity": None, "themes": ["financing"],
                "capacity_areas": ["budget_tracking"], **fields}
        session = services.schedule(community, people["facilitator"], data)
        db.session.commit()
        return session
    return make
