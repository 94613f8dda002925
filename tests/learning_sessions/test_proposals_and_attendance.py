"""Members propose sessions where the community allows it; facilitators approve or decline; organisers
mark who came; the dashboard keeps marked attendance and registrations apart."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from hub.accounts import sanctions
from hub.accounts.export import personal_data
from hub.audit import AuditEntry
from hub.db import utcnow
from hub.extensions import db
from hub.jobs.models import Job
from hub.learning_sessions import proposals, services
from hub.learning_sessions.models import LearningSession, Registration
from hub.mail import send_due
from hub.notifications.models import Notification
from tests.conftest import body
from tests.learning_sessions.test_scheduling import FORM


@pytest.fixture
def reader(create_user, community, add_member):
    """Another member of the community, who must not see proposals."""
    person = create_user(email="amina@example.org", name="Amina", locale="fr")
    add_member(community, person)
    return person


@pytest.fixture
def open_to_proposals(community):
    community.members_propose_sessions = True
    db.session.commit()
    return community


def actions(session_id) -> list[str]:
    return db.session.scalars(sa.select(AuditEntry.action).where(
        AuditEntry.object_type == "learning_session", AuditEntry.object_id == session_id)
        .order_by(AuditEntry.id)).all()


PROPOSE_LINK = 'href="/communities/budgets/sessions/propose"'


def propose(client, sign_in, person, **change):
    sign_in(person)
    return client.post("/communities/budgets/sessions/propose", data={**FORM, "form_token": "tok-1", **change})


def test_where_the_setting_is_off_proposing_is_refused_and_not_offered(client, sign_in, csrf_off, people, community):
    sign_in(people["member"])
    page = client.get("/communities/budgets").get_data(as_text=True)
    assert "/communities/budgets" in page and PROPOSE_LINK not in page
    response = client.get("/communities/budgets/sessions/propose")
    assert response.status_code == 403
    # The member reads Spanish.
    assert "Los miembros no pueden proponer sesiones en esta comunidad" in response.get_data(as_text=True)
    response = propose(client, sign_in, people["member"])
    assert response.status_code == 403 and db.session.scalar(sa.select(sa.func.count(LearningSession.id))) == 0


def test_facilitators_turn_the_setting_on_where_they_edit_the_community_and_it_is_audited(
        client, sign_in, csrf_off, people, community):
    sign_in(people["facilitator"])
    form = {"title": "Budgets", "description": "", "languages": ["en"], "visibility": "public",
            "join_policy": "open", "region": "", "members_propose_sessions": "y"}
    assert client.post("/communities/budgets/edit", data=form).status_code == 302
    db.session.refresh(community)
    assert community.members_propose_sessions is True
    details = db.session.scalar(sa.select(AuditEntry.details).where(AuditEntry.action == "edit_community"))
    assert "members_propose_sessions" in details["fields"]
    sign_in(people["member"])
    assert PROPOSE_LINK in client.get("/communities/budgets").get_data(as_text=True)


def test_a_proposal_is_seen_only_by_its_proposer_and_the_facilitators(
        app, client, sign_in, csrf_off, people, open_to_proposals, reader):
    app.config["SEARCH_SYNC"] = True
    response = propose(client, sign_in, people["member"], title="Budget tracking clinic")
    assert response.status_code == 302
    session = db.session.scalar(sa.select(LearningSession))
    assert session.status == "proposed" and session.created_by_id == people["member"].id
    assert "Budget tracking clinic" in client.get(f"/sessions/{session.id}").get_data(as_text=True)
    sign_in(people["facilitator"])
    page = client.get("/sessions/").get_data(as_text=True)
    assert "Proposals waiting for a decision" in page
    assert '<span class="badge">1 pending</span>' in page  # the desk's count includes it
    assert client.post(f"/sessions/{session.id}/cancel", data={"reason": "x"}).status_code == 302
    assert db.session.scalar(sa.select(LearningSession.status)) == "proposed"  # declined, never cancelled
    assert "Budget tracking clinic" in client.get("/sessions/proposals").get_data(as_text=True)
    assert f'href="/sessions/{session.id}"' in client.get("/search?q=clinic").get_data(as_text=True)  # indexed
    sign_in(reader)
    assert f'href="/sessions/{session.id}"' not in client.get("/search?q=clinic").get_data(as_text=True)
    assert client.get(f"/sessions/{session.id}").status_code == 404
    assert client.get(f"/sessions/{session.id}.ics").status_code == 404
    for path in ("/sessions/", "/", "/communities/budgets", "/sessions/proposals", "/search?q=clinic"):
        assert "Budget tracking clinic" not in client.get(path).get_data(as_text=True), path
    client.get("/accounts/logout")
    assert b"Budget tracking clinic" not in client.get("/communities/budgets/sessions.ics").data
    assert client.get(f"/sessions/{session.id}.ics").status_code == 404
    assert services.upcoming(reader) == [] and services.upcoming(people["facilitator"]) == []


def test_the_same_form_sent_again_proposes_once_and_bad_input_keeps_what_was_typed(
        client, sign_in, csrf_off, people, open_to_proposals):
    assert propose(client, sign_in, people["member"]).status_code == 302
    assert propose(client, sign_in, people["member"]).status_code == 302  # the browser's resubmission
    assert db.session.scalar(sa.select(sa.func.count(LearningSession.id))) == 1
    for change, message in (({"ends_at": "2027-03-10T16:00"}, "The end must come after the start."),
                            ({"capacity": "0"}, "Seats: a number from 1 to 100000"),
                            ({"timezone": "Mars/Olympus_Mons"}, "Choose a time zone from the list.")):
        response = propose(client, sign_in, people["facilitator"], form_token="tok-2", title="Kept title", **change)
        page = response.get_data(as_text=True)
        assert response.status_code == 200 and message in page and 'value="Kept title"' in page
    assert db.session.scalar(sa.select(sa.func.count(LearningSession.id))) == 1


def test_a_silenced_member_cannot_propose(client, sign_in, csrf_off, people, open_to_proposals):
    sanctions.silence(people["member"], "spam")
    db.session.commit()
    assert propose(client, sign_in, people["member"]).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count(LearningSession.id))) == 0


def test_approving_announces_it_and_tells_the_proposer_in_their_language(
        client, sign_in, csrf_off, people, open_to_proposals, reader, outbox):
    propose(client, sign_in, people["member"], title="Budget tracking clinic")
    session = db.session.scalar(sa.select(LearningSession))
    sign_in(reader)
    assert client.post(f"/sessions/{session.id}/proposal/approve").status_code == 404
    sign_in(people["member"])
    assert client.post(f"/sessions/{session.id}/proposal/approve").status_code == 403
    db.session.execute(sa.delete(Job))
    db.session.commit()
    sign_in(people["facilitator"])
    assert client.post(f"/sessions/{session.id}/proposal/approve").status_code == 302
    db.session.refresh(session)
    assert session.status == "scheduled" and actions(session.id) == ["approve_session_proposal"]
    assert db.session.scalar(sa.select(Job.id).where(Job.kind == "learning_sessions.remind")) is not None
    notice = db.session.scalar(sa.select(Notification).where(Notification.recipient_id == people["member"].id))
    assert notice.kind == "session_proposal" and notice.details == {"decision": "approved"}
    send_due()
    message = outbox.last_to("lucia@example.org")
    assert message["Content-Language"] == "es" and "Budget tracking clinic" in message["Subject"]
    assert message["List-Unsubscribe"] and "/notifications/unsubscribe/" in body(message)
    sign_in(reader)
    assert "Budget tracking clinic" in client.get("/sessions/").get_data(as_text=True)
    assert client.post(f"/sessions/{session.id}/register").status_code == 302


def test_declining_needs_a_reason_which_the_proposer_reads(client, sign_in, csrf_off, people, open_to_proposals,
                                                           reader, outbox):
    propose(client, sign_in, people["member"], title="Budget tracking clinic")
    session = db.session.scalar(sa.select(LearningSession))
    sign_in(people["facilitator"])
    response = client.post(f"/sessions/{session.id}/proposal/decline", data={"reason": "   "})
    assert response.status_code == 200 and "This field is required." in response.get_data(as_text=True)
    response = client.post(f"/sessions/{session.id}/proposal/decline", data={"reason": "We held one in May."})
    assert response.status_code == 302
    assert actions(session.id) == ["decline_session_proposal"]
    send_due()
    assert "We held one in May." in body(outbox.last_to("lucia@example.org"))
    sign_in(people["member"])
    assert "We held one in May." in client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert client.post(f"/sessions/{session.id}/proposal/withdraw").status_code == 403  # decided already
    sign_in(reader)
    assert client.get(f"/sessions/{session.id}").status_code == 404


def test_the_proposer_changes_or_withdraws_their_pending_proposal(client, sign_in, csrf_off, people,
                                                                  open_to_proposals, reader):
    propose(client, sign_in, people["member"])
    session = db.session.scalar(sa.select(LearningSession))
    sign_in(reader)
    assert client.post(f"/sessions/{session.id}/proposal", data={**FORM, "title": "Mine now"}).status_code == 404
    sign_in(people["member"])
    assert client.get(f"/sessions/{session.id}/proposal").status_code == 200
    assert client.post(f"/sessions/{session.id}/proposal", data={**FORM, "title": "A clearer title"}).status_code == 302
    db.session.refresh(session)
    assert session.title == "A clearer title" and session.status == "proposed"
    assert client.post(f"/sessions/{session.id}/proposal/withdraw").status_code == 302
    sign_in(people["facilitator"])
    assert client.get(f"/sessions/{session.id}").status_code == 404
    assert proposals.pending(people["facilitator"]) == []


def past_session(make_session, people, *attendees):
    session = make_session(days=1)
    for person in attendees:
        services.register(session, person)
    session.starts_at, session.ends_at = utcnow() - timedelta(hours=3), utcnow() - timedelta(hours=2)
    db.session.commit()
    return session


def test_attendance_is_marked_after_the_start_in_one_save_and_audited(client, sign_in, csrf_off, people,
                                                                      make_session, reader):
    early = make_session(days=2)
    services.register(early, people["member"])
    db.session.commit()
    sign_in(people["facilitator"])
    response = client.get(f"/sessions/{early.id}/attendance", follow_redirects=True)
    assert "Attendance can be marked once the session has started." in response.get_data(as_text=True)
    session = past_session(make_session, people, people["member"], reader)
    sign_in(people["member"])
    assert client.get(f"/sessions/{session.id}/attendance").status_code == 403
    sign_in(people["facilitator"])
    page = client.get(f"/sessions/{session.id}/attendance").get_data(as_text=True)
    mine = db.session.scalar(sa.select(Registration).where(Registration.user_id == people["member"].id,
                                                           Registration.session_id == session.id))
    assert f'<label for="attended-{mine.id}">' in page and f'id="attended-{mine.id}"' in page
    assert client.post(f"/sessions/{session.id}/attendance", data={"attended": [str(mine.id)]}).status_code == 302
    marks = dict(db.session.execute(sa.select(Registration.user_id, Registration.attended)
                                    .where(Registration.session_id == session.id)).all())
    assert marks == {people["member"].id: True, reader.id: False}
    assert actions(session.id)[-1] == "mark_session_attendance"
    exported = personal_data(people["member"])["session_registrations"]
    assert [r["attended"] for r in exported if r["session"] == session.title] == [None, True]  # the early one: not marked


def test_the_organiser_of_an_approved_proposal_marks_attendance(client, sign_in, csrf_off, people,
                                                                 open_to_proposals, reader):
    propose(client, sign_in, people["member"])
    session = db.session.scalar(sa.select(LearningSession))
    proposals.approve(session, people["facilitator"])
    services.register(session, reader)
    session.starts_at, session.ends_at = utcnow() - timedelta(hours=2), utcnow() - timedelta(hours=1)
    db.session.commit()
    sign_in(people["member"])
    assert client.post(f"/sessions/{session.id}/attendance", data={"attended": []}).status_code == 302
    assert db.session.scalar(sa.select(Registration.attended).where(Registration.user_id == reader.id)) is False


def test_the_dashboard_counts_marks_where_there_are_and_says_how_many_sessions_have_none(
        app, client, sign_in, people, make_session, create_user, create_org):
    from hub.desk.dashboard import session_attendance
    shared = create_org(country="PE")
    team = [create_user(organisation=shared) for _ in range(4)]
    marked = past_session(make_session, people, *team)
    past_session(make_session, people, *team[:3])  # nobody marks this one
    came = db.session.scalars(sa.select(Registration.id).where(Registration.session_id == marked.id)
                              .order_by(Registration.id).limit(3)).all()
    from hub.learning_sessions import attendance
    attendance.mark(marked, people["facilitator"], came)
    db.session.commit()
    with app.test_request_context():
        headers, rows = session_attendance("name", {})
        headers = [str(h) for h in headers]
    assert headers[2:] == ["Attended (marked)", "Registered (attendance not marked)"]
    assert {name: (n, a, r) for name, n, a, r in rows}[shared.name] == (2, 3, 3)  # not 7: never added together
    sign_in(create_user(is_secretariat=True))
    page = client.get("/desk/dashboard").get_data(as_text=True)
    assert "1 past session has no attendance marks" in page
