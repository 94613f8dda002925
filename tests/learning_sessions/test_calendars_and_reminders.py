"""Calendars (parsed by icalendar and by vobject), private feeds, reminders exactly once, privacy."""

from datetime import timedelta

import icalendar
import pytest
import sqlalchemy as sa
import vobject

from hub.db import utcnow
from hub.extensions import db
from hub.learning_sessions import calendars, reminders, services
from hub.learning_sessions.models import Reminder
from hub.notifications.models import Notification
from tests.conftest import body


def parse_both(body: bytes):
    """The one VEVENT, read by two independent parsers."""
    calendar = icalendar.Calendar.from_ical(body)
    events = [c for c in calendar.walk("VEVENT")]
    assert len(events) == 1
    other = vobject.readOne(body.decode())
    return calendar, events[0], other


def test_ics_uid_stays_sequence_grows_and_cancel_is_announced(client, sign_in, people, make_session):
    session = make_session()
    sign_in(people["member"])
    calendar, event, other = parse_both(client.get(f"/sessions/{session.id}.ics").data)
    uid = str(event["UID"])
    assert event.decoded("DTSTART") == session.starts_at and other.vevent.dtstart.value == session.starts_at
    assert int(event["SEQUENCE"]) == 0 and str(calendar["METHOD"]) == "PUBLISH"
    assert "meet.example.org" in str(event["LOCATION"])  # a public community: the link is for everyone
    services.update(session, {"starts_at": session.starts_at + timedelta(hours=2),
                              "ends_at": session.ends_at + timedelta(hours=2)}, people["facilitator"])
    services.cancel(session, people["facilitator"], "Speaker ill")
    db.session.commit()
    calendar, event, other = parse_both(client.get(f"/sessions/{session.id}.ics").data)
    assert str(event["UID"]) == uid and int(event["SEQUENCE"]) == 2
    assert str(event["STATUS"]) == "CANCELLED" and str(calendar["METHOD"]) == "CANCEL"
    assert other.vevent.status.value == "CANCELLED" and other.vevent.uid.value == uid


def test_private_feed_lists_my_sessions_and_a_wrong_or_revoked_token_is_404(client, people, make_session):
    session = make_session()
    services.register(session, people["member"])
    token = calendars.new_feed_token(people["member"])
    db.session.commit()
    body = client.get(f"/sessions/feed/{token}.ics").data
    assert [str(e["UID"]) for e in icalendar.Calendar.from_ical(body).walk("VEVENT")] == [session.uid]
    assert len(list(vobject.readOne(body.decode()).vevent_list)) == 1
    assert client.get(f"/sessions/feed/{token[:-1]}x.ics").status_code == 404
    assert client.get("/sessions/feed/not-a-token.ics").status_code == 404
    calendars.revoke_feed(people["member"])
    db.session.commit()
    assert client.get(f"/sessions/feed/{token}.ics").status_code == 404


def test_feed_pages_through_my_sessions_form(client, sign_in, csrf_off, people, make_session):
    sign_in(people["member"])
    page = client.post("/sessions/mine/feed").get_data(as_text=True)
    url = page.split('id="feed-url" type="text" readonly value="')[1].split('"')[0]
    assert client.get(url.replace("http://localhost", "")).status_code == 200
    client.post("/sessions/mine/feed/revoke")
    assert client.get(url.replace("http://localhost", "")).status_code == 404


def test_reminders_go_once_even_when_the_job_runs_again(app, people, make_session, outbox):
    session = make_session(days=0, hours=1)
    session.starts_at = utcnow() + timedelta(minutes=50)
    session.ends_at = session.starts_at + timedelta(hours=1)
    services.register(session, people["member"])
    db.session.commit()
    assert reminders.send_due() == 1
    assert reminders.send_due() == 0  # a second runner, or the same after a restart
    rows = db.session.scalars(sa.select(Reminder.lead_minutes).where(Reminder.user_id == people["member"].id)).all()
    assert sorted(rows) == [60, 1440]  # the day-before one is recorded as passed, not sent late
    kinds = db.session.scalars(sa.select(Notification.kind).where(
        Notification.recipient_id == people["member"].id)).all()
    assert kinds == ["session_reminder"]
    from hub.mail import send_due
    send_due()
    message = outbox.last_to("lucia@example.org")
    assert message["Content-Language"] == "es"
    assert "America/Lima" in body(message) and "Africa/Nairobi" in body(message)


def test_a_private_communitys_session_stays_inside(client, sign_in, people, make_session, create_community, add_member):
    private = create_community(creator=people["facilitator"], visibility="private", slug="inner", title="Inner")
    session = make_session(community=private, title="Closed-door strategy")
    sign_in(people["outsider"])
    assert client.get(f"/sessions/{session.id}").status_code == 404
    assert client.get(f"/sessions/{session.id}.ics").status_code == 404
    assert "Closed-door strategy" not in client.get("/sessions/").get_data(as_text=True)
    assert "Closed-door strategy" not in client.get("/").get_data(as_text=True)
    assert client.get("/communities/inner/sessions.ics").status_code == 404
    assert f'href="/sessions/{session.id}"' not in client.get("/search?q=strategy").get_data(as_text=True)


def test_a_session_moved_to_a_private_community_follows_it(client, sign_in, people, make_session, create_community):
    session = make_session(title="Moving target")
    services.register(session, people["outsider"])
    token = calendars.new_feed_token(people["outsider"])
    db.session.commit()
    sign_in(people["outsider"])
    assert f'href="/sessions/{session.id}"' in client.get("/search?q=target").get_data(as_text=True)
    private = create_community(creator=people["facilitator"], visibility="private", slug="inner", title="Inner")
    services.move(session, private, people["facilitator"])
    db.session.commit()
    assert client.get(f"/sessions/{session.id}").status_code == 404
    assert f'href="/sessions/{session.id}"' not in client.get("/search?q=target").get_data(as_text=True)
    assert "Moving target" not in client.get(f"/sessions/feed/{token}.ics").get_data(as_text=True)
    assert "Moving target" not in client.get("/communities/budgets/sessions.ics").get_data(as_text=True)
    # and no reminder reaches the outsider any more
    session.starts_at, session.ends_at = utcnow() + timedelta(minutes=30), utcnow() + timedelta(minutes=90)
    db.session.commit()
    reminders.send_due()
    assert db.session.scalar(sa.select(sa.func.count(Notification.id)).where(
        Notification.recipient_id == people["outsider"].id)) == 0


@pytest.mark.parametrize("zone, local, utc_hour", [
    ("Africa/Nairobi", "2027-01-15T12:00", 9), ("America/Lima", "2027-01-15T12:00", 17),
    ("Europe/Paris", "2027-01-15T12:00", 11), ("Europe/Paris", "2027-07-15T12:00", 10),
    ("Asia/Kolkata", "2027-01-15T12:00", 6), ("Asia/Kathmandu", "2027-01-15T12:00", 6),
])
def test_times_typed_in_a_zone_are_stored_in_utc(zone, local, utc_hour):
    from datetime import datetime
    from hub.learning_sessions.times import local_to_utc, zone_or_none
    moment = local_to_utc(datetime.fromisoformat(local), zone_or_none(zone))
    assert moment.hour == utc_hour
    if zone == "Asia/Kathmandu":
        assert moment.minute == 15  # +5:45
    if zone == "Asia/Kolkata":
        assert moment.minute == 30  # +5:30


def test_across_the_paris_autumn_change_the_reader_sees_the_right_hour(client, sign_in, people, make_session):
    from datetime import datetime, timezone
    session = make_session()
    # 2026-10-25 01:30 UTC is 02:30 summer... 03:00 CEST→02:00 CET at 01:00 UTC: 01:30 UTC is 02:30 CET
    session.starts_at = datetime(2026, 10, 25, 1, 30, tzinfo=timezone.utc)
    session.ends_at = datetime(2026, 10, 25, 2, 30, tzinfo=timezone.utc)
    db.session.commit()
    sign_in(people["outsider"])  # reads French, lives in Paris
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "dimanche 25 octobre 2026, 02:30" in page or "dimanche 25 octobre 2026 02:30" in page, page[page.find("session-when"):][:300]
    assert "Europe/Paris (UTC+01:00)" in page


def test_the_job_runner_sends_a_reminder_once_across_runs(app, people, make_session):
    from hub.jobs import services as jobs
    from hub.jobs.models import Job
    session = make_session()
    session.starts_at, session.ends_at = utcnow() + timedelta(minutes=30), utcnow() + timedelta(minutes=90)
    services.register(session, people["member"])
    db.session.commit()
    assert jobs.run_one("runner-a:1")  # the tick queued when the session was scheduled
    # a restarted runner (another name) runs the next tick now instead of in a minute
    db.session.execute(sa.update(Job).where(Job.kind == reminders.JOB, Job.status == "queued")
                       .values(run_after=utcnow()))
    db.session.commit()
    assert jobs.run_one("runner-b:2")
    sent = db.session.scalars(sa.select(Notification).where(Notification.kind == "session_reminder")).all()
    assert [n.recipient_id for n in sent] == [people["member"].id]


def test_a_person_chooses_lead_times_and_only_those_are_sent(client, sign_in, csrf_off, people, make_session):
    sign_in(people["member"])
    assert 'checked id="lead_minutes-1"' in client.get("/sessions/mine").get_data(as_text=True)  # one day before
    assert client.post("/sessions/mine", data={"lead_minutes": ["15"]}).status_code == 302
    assert reminders.lead_times_of(people["member"].id) == [15]
    assert client.post("/sessions/mine", data={"lead_minutes": ["7"]}).status_code == 200  # not a choice
    session = make_session()
    session.starts_at, session.ends_at = utcnow() + timedelta(minutes=50), utcnow() + timedelta(minutes=110)
    services.register(session, people["member"])
    db.session.commit()
    assert reminders.send_due() == 0  # 50 minutes before: the 15-minute reminder is not due yet


def test_an_explicit_utc_stays_utc_on_session_pages_and_in_reminders(client, sign_in, csrf_off, people, make_session,
                                                                     community, create_user, create_org, add_member,
                                                                     outbox):
    from hub.mail import send_due
    peru = create_org(country="PE")
    chose_utc = create_user(email="utc@example.org", organisation=peru, locale="en")
    unset = create_user(email="unset@example.org", organisation=peru, locale="en")
    assert unset.timezone is None  # never chosen
    for person in (chose_utc, unset):
        add_member(community, person)
    sign_in(chose_utc)
    form = client.get("/account/").get_data(as_text=True)
    assert "Not chosen: my organisation" in form
    client.post("/account/", data={"name": "Chose UTC", "locale": "en", "timezone": "UTC", "languages": ["en"]})
    db.session.expire_all()
    assert db.session.get(type(chose_utc), chose_utc.id).timezone == "UTC"
    session = make_session(days=0, hours=1)
    session.starts_at = utcnow() + timedelta(minutes=50)
    session.ends_at = session.starts_at + timedelta(hours=1)
    db.session.commit()
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "UTC (UTC+00:00)" in page and "America/Lima" not in page
    sign_in(unset)
    assert "America/Lima" in client.get(f"/sessions/{session.id}").get_data(as_text=True)
    for person in (chose_utc, unset):
        services.register(session, person)
    db.session.commit()
    reminders.send_due()
    send_due()
    assert "UTC" in body(outbox.last_to("utc@example.org")) and "America/Lima" not in body(outbox.last_to("utc@example.org"))
    assert "America/Lima" in body(outbox.last_to("unset@example.org"))
