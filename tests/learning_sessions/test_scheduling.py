"""A facilitator in Nairobi schedules a session; a member in Lima sees it in Lima's time, in Spanish; bad input."""

from datetime import datetime, timezone

import pytest
import sqlalchemy as sa

from hub.audit import AuditEntry
from hub.extensions import db
from hub.learning_sessions.models import LearningSession

FORM = {"title": "Peer exchange on budgets", "description": "We read **budgets**.",
        "starts_at": "2027-03-10T17:00", "ends_at": "2027-03-10T18:30", "timezone": "Africa/Nairobi",
        "online_url": "https://meet.example.org/x", "place": "", "capacity": "20", "languages": ["en"],
        "interpretation": ["es"], "themes": ["financing"], "capacity_areas": ["budget_tracking"]}


def test_nairobi_schedules_and_lima_reads_in_spanish_in_its_own_time(client, sign_in, csrf_off, people, community):
    sign_in(people["facilitator"])
    response = client.post("/communities/budgets/sessions/new", data=FORM)
    assert response.status_code == 302
    session = db.session.scalar(sa.select(LearningSession))
    assert session.starts_at == datetime(2027, 3, 10, 14, 0, tzinfo=timezone.utc)  # 17:00 in Nairobi (UTC+3)
    assert db.session.scalar(sa.select(AuditEntry.action).where(AuditEntry.object_type == "learning_session")) \
        == "schedule_session"
    sign_in(people["member"])
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "miércoles, 10 de marzo de 2027, 9:00" in page  # Lima is UTC−5
    assert "America/Lima (UTC−05:00)" in page and "Africa/Nairobi (UTC+03:00)" in page
    assert 'rel="alternate" type="text/calendar"' in page


@pytest.mark.parametrize("change, message", [
    ({"ends_at": "2027-03-10T16:00"}, "The end must come after the start."),
    ({"ends_at": "2027-03-10T17:00"}, "The end must come after the start."),
    ({"ends_at": "2029-03-10T17:00"}, "A session lasts at most 7 days"),
    ({"capacity": "0"}, "Seats: a number from 1 to 100000"),
    ({"capacity": "-4"}, "Seats: a number from 1 to 100000"),
    ({"capacity": "99999999999999999999999"}, "Seats: a number from 1 to 100000"),
    ({"timezone": "Mars/Olympus_Mons"}, "Choose a time zone from the list."),
    ({"timezone": "Europe/Paris", "starts_at": "2027-03-28T02:30", "ends_at": "2027-03-28T04:00"},
     "This time does not exist in that time zone"),
    ({"online_url": "javascript:alert(1)"}, "Enter a web address starting with https://."),
    ({"title": "x" * 201}, "Use at most 200 characters."),
])
def test_bad_input_is_refused_with_a_message_and_kept(client, sign_in, csrf_off, people, community, change, message):
    sign_in(people["facilitator"])
    response = client.post("/communities/budgets/sessions/new", data={**FORM, **change})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and message in page
    assert "Peer exchange on budgets" in page or "x" * 201 in page
    assert db.session.scalar(sa.select(sa.func.count(LearningSession.id))) == 0


def test_members_cannot_schedule_and_outsiders_cannot_see_the_form(client, sign_in, people, community):
    sign_in(people["member"])
    assert client.get("/communities/budgets/sessions/new").status_code == 403


def test_a_change_of_time_tells_every_registrant_in_their_language(client, sign_in, csrf_off, people, community,
                                                                    make_session, outbox):
    from hub.learning_sessions import services
    session = make_session()
    services.register(session, people["member"])
    db.session.commit()
    sign_in(people["facilitator"])
    edit = {**FORM, "starts_at": "2027-05-04T10:00", "ends_at": "2027-05-04T11:00"}
    assert client.post(f"/sessions/{session.id}/edit", data=edit).status_code == 302
    db.session.refresh(session)
    assert session.sequence == 1
    from hub.mail import send_due
    send_due()
    message = outbox.last_to("lucia@example.org")
    assert message["Content-Language"] == "es"
    assert "martes, 4 de mayo de 2027, 2:00" in message.get_body(("plain",)).get_content()


def test_dashboard_counts_participants_with_the_threshold(app, people, make_session, create_user, create_org):
    from datetime import timedelta
    from hub.db import utcnow
    from hub.desk.dashboard import session_attendance
    from hub.learning_sessions import services
    session = make_session()
    shared = create_org(country="PE")
    for person in [people["member"], *[create_user(organisation=shared) for _ in range(3)]]:
        services.register(session, person)
    session.starts_at, session.ends_at = utcnow() - timedelta(hours=3), utcnow() - timedelta(hours=2)
    db.session.commit()
    with app.test_request_context():
        headers, rows = session_attendance("name", {})
        by_name = {name: registered for name, _sessions, _attended, registered in rows}
    assert by_name[shared.name] == 3  # three people of one organisation: shown
    assert by_name[people["member"].organisation.name] == "fewer than 3"  # one person: withheld


def test_the_sessions_page_costs_the_same_for_two_or_twelve_sessions(client, sign_in, people, make_session,
                                                                     count_queries):
    sign_in(people["member"])

    def cost():
        with count_queries() as n:
            assert client.get("/sessions/").status_code == 200
        return n()
    for day in (1, 2):
        make_session(days=day)
    few = cost()
    for day in range(3, 13):
        make_session(days=day)
    assert cost() == few
