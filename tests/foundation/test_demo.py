"""`flask --app hub demo load`: idempotent, plausible organisations, the four documented accounts.

One test, because loading the demo (media included) takes seconds: everything is checked on one load.
"""

import re

import sqlalchemy as sa

from hub.accounts.models import User
from hub.discussions.demo import LONG_TITLE
from hub.discussions.models import Discussion
from hub.extensions import db
from hub.notifications.models import Notification
from hub.organisations.countries import REGIONS
from hub.organisations.models import Organisation

DEMO_PASSWORD = "learning-hub-demo"
ACCOUNTS = [  # email, secretariat, focal point, their organisation's group
    ("secretariat@example.org", True, False, None),
    ("facilitator@example.org", False, False, "south"),
    ("member@example.org", False, False, "south"),
    ("focal@example.org", False, True, "north"),
]


def load_demo(runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    db.session.expire_all()


def row_counts():
    return {table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
            for table in db.metadata.sorted_tables}


def check_organisations():
    orgs = db.session.scalars(sa.select(Organisation).where(Organisation.status == "active")).all()
    assert len(orgs) >= 30
    assert {o.region for o in orgs} == set(REGIONS)
    assert {o.north_south for o in orgs} == {"north", "south"}
    assert len({o.type for o in orgs}) == 4
    text = " ".join(o.name + " " + o.description for o in orgs)
    assert re.search(r"[\u0600-\u06FF]", text), "some descriptions are in Arabic"
    for word in ("éducation", "educación", "educação"):  # French, Spanish, Portuguese
        assert word in text.lower()


def check_accounts(client, auth):
    for email, secretariat, focal, north_south in ACCOUNTS:
        user = db.session.scalar(sa.select(User).where(User.email == email))
        assert (user.is_secretariat, user.is_focal_point) == (secretariat, focal), email
        if north_south:
            assert user.organisation.north_south == north_south, email
            assert user.organisation.type == "national_coalition", email
        assert auth.login(email, DEMO_PASSWORD).status_code == 302, email
        assert 'action="/logout"' in client.get("/").get_data(as_text=True), email  # signed in
        edit = client.get(f"/organisations/{user.organisation.slug}/edit")
        assert edit.status_code == (200 if secretariat or focal else 403), email
        auth.logout()


def test_demo_load(runner, client, auth):
    load_demo(runner)
    check_organisations()
    check_accounts(client, auth)
    first = row_counts()  # after signing in, which queues the sweep of expired sessions
    load_demo(runner)
    after_second = row_counts()
    changed = {name: (first[name], after_second[name]) for name in first if first[name] != after_second[name]}
    assert changed == {}, "running `demo load` twice created rows twice"
    check_a_living_hub(client, auth)


def check_a_living_hub(client, auth):
    """Demo accounts start with a few unread notifications, a long thread they stopped reading, and a home
    page with news."""
    for email, *_ in ACCOUNTS:
        user = db.session.scalar(sa.select(User).where(User.email == email))
        unread = db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
            Notification.recipient_id == user.id, Notification.read_at.is_(None)))
        assert unread <= 5, (email, unread)
    auth.login("facilitator@example.org", DEMO_PASSWORD)
    home = client.get("/").text
    assert "News from your communities" in home and "new repl" in home
    thread = db.session.scalar(sa.select(Discussion).where(Discussion.title == LONG_TITLE))
    listing = client.get(f"/communities/{thread.community.slug}").text
    assert re.search(rf'/discussions/{thread.id}/replies/\d+">\d+ new</a>', listing), "the long thread: N new"
    auth.logout()
    check_enough_content(client, auth)


def check_enough_content(client, auth):
    """People from every region, discussions in the five languages with answers, several best practices,
    and questions waiting on the themes a demo account knows about."""
    regions = set(db.session.scalars(sa.select(Organisation.region).join(User, User.organisation_id == Organisation.id)))
    assert db.session.scalar(sa.select(sa.func.count(User.id))) >= 20 and len(regions) == 5
    assert set(db.session.scalars(sa.select(Discussion.language))) == {"en", "fr", "es", "pt", "ar"}
    assert db.session.scalar(sa.select(sa.func.count(Discussion.id)).where(Discussion.best_practice_at.is_not(None))) >= 3
    auth.login("facilitator@example.org", DEMO_PASSWORD)
    waiting = client.get("/questions/unanswered").text
    assert "Piso salarial dos professores" in waiting  # on financing, the facilitator's expertise
    auth.logout()
