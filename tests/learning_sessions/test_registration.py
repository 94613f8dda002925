"""Seats and the waitlist: registering twice, the last seat taken by two at once, moving up exactly once."""

import threading
from datetime import timedelta

import pytest
import sqlalchemy as sa

from hub.db import utcnow
from hub.extensions import db
from hub.learning_sessions import services
from hub.learning_sessions.models import REGISTERED, WAITLISTED, LearningSession, Registration
from hub.notifications.models import Notification


def states(session):
    db.session.expire_all()
    return dict(db.session.execute(sa.select(Registration.user_id, Registration.status)
                                   .where(Registration.session_id == session.id)).all())


def test_register_twice_and_the_waitlist_moves_up_once(client, sign_in, csrf_off, people, make_session, create_user):
    session = make_session(capacity=1)
    first, second = people["member"], create_user()
    sign_in(first)
    assert client.post(f"/sessions/{session.id}/register", follow_redirects=True).status_code == 200
    page = client.post(f"/sessions/{session.id}/register", follow_redirects=True).get_data(as_text=True)
    assert "Ya" in page or "already" in page  # Lucía reads Spanish; the message is translated or English
    sign_in(second)
    client.post(f"/sessions/{session.id}/register")
    assert states(session) == {first.id: REGISTERED, second.id: WAITLISTED}
    sign_in(first)
    client.post(f"/sessions/{session.id}/withdraw")
    assert states(session)[second.id] == REGISTERED
    told = db.session.scalars(sa.select(Notification.kind).where(Notification.recipient_id == second.id)).all()
    assert told == ["session_seat"]


def test_cancelling_after_the_start_is_refused(client, sign_in, csrf_off, people, make_session):
    session = make_session()
    services.register(session, people["member"])
    session.starts_at, session.ends_at = utcnow() - timedelta(minutes=5), utcnow() + timedelta(hours=1)
    db.session.commit()
    sign_in(people["member"])
    page = client.post(f"/sessions/{session.id}/withdraw", follow_redirects=True).get_data(as_text=True)
    assert states(session)[people["member"].id] == REGISTERED
    assert "too late" in page or "tarde" in page


def test_the_organiser_sees_and_exports_the_list(client, sign_in, people, make_session):
    session = make_session()
    services.register(session, people["member"])
    db.session.commit()
    sign_in(people["member"])
    assert client.get(f"/sessions/{session.id}/registrations").status_code == 403
    sign_in(people["facilitator"])
    csv = client.get(f"/sessions/{session.id}/registrations?format=csv").get_data(as_text=True)
    assert "lucia@example.org" in csv and "registered" in csv


def _register_in_thread(app, session_id, user_id, gate, results):
    with app.app_context():
        from hub.accounts.models import User
        person, session = db.session.get(User, user_id), db.session.get(LearningSession, session_id)
        gate.wait()
        try:
            results.append(services.register(session, person).status)
            db.session.commit()
        except Exception as error:  # noqa: recorded for the assertion
            db.session.rollback()
            results.append(repr(error))
        finally:
            db.session.remove()


@pytest.mark.parametrize("people_at_once", [8])
def test_the_last_seat_taken_by_many_at_once(app, make_session, create_user, people_at_once):
    session = make_session(capacity=3)
    ids = [create_user().id for _ in range(people_at_once)]
    gate, results = threading.Barrier(people_at_once), []
    threads = [threading.Thread(target=_register_in_thread, args=(app, session.id, uid, gate, results)) for uid in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == sorted([REGISTERED] * 3 + [WAITLISTED] * (people_at_once - 3)), results
    assert services.seats_taken(session.id) == 3


def _withdraw_in_thread(app, session_id, user_id, gate, results):
    with app.app_context():
        from hub.accounts.models import User
        person, session = db.session.get(User, user_id), db.session.get(LearningSession, session_id)
        gate.wait()
        try:
            services.withdraw(session, person)
            db.session.commit()
            results.append("ok")
        except Exception as error:  # noqa
            db.session.rollback()
            results.append(repr(error))
        finally:
            db.session.remove()


def test_seats_freed_at_once_move_the_waitlist_up_exactly_once_each(app, make_session, create_user):
    session = make_session(capacity=3)
    seated = [create_user() for _ in range(3)]
    waiting = [create_user() for _ in range(4)]
    for person in seated + waiting:
        services.register(session, person)
    db.session.commit()
    gate, results = threading.Barrier(3), []
    threads = [threading.Thread(target=_withdraw_in_thread, args=(app, session.id, p.id, gate, results))
               for p in seated]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["ok"] * 3
    now = states(session)
    assert [now[p.id] for p in waiting] == [REGISTERED, REGISTERED, REGISTERED, WAITLISTED]
    offers = db.session.scalars(sa.select(Notification.recipient_id).where(Notification.kind == "session_seat")).all()
    assert sorted(offers) == sorted(p.id for p in waiting[:3])
