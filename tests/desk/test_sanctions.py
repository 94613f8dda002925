"""Sanctions with words: silence (read-only) and suspension, with a reason, an end date, an email in the
person's language, a banner or a sign-in refusal, and a lift by the job runner, once, audited."""

from datetime import timedelta

import pytest
import sqlalchemy as sa
from babel.dates import format_date

from hub.accounts import sanctions
from hub.accounts.models import User
from hub.audit import AuditEntry
from hub.db import utcnow
from hub.desk.models import ReplyTemplate
from hub.extensions import db
from hub.jobs import services as jobs
from hub.jobs.models import Job
from tests.notifications.conftest import smtp  # noqa: F401  (the real SMTP server)

SPANISH = "Tus mensajes atacaron a otras personas; las normas piden debatir ideas."


@pytest.fixture
def sanction_template():
    template = ReplyTemplate(purpose="sanction", name="Attacks", texts={
        "en": "Your messages attacked other people; the guidelines ask to discuss ideas.", "es": SPANISH})
    db.session.add(template)
    db.session.commit()
    return template


def entries(action):
    return list(db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action)))


def test_a_silenced_member_reads_but_cannot_post_and_is_told_in_their_language(
        app, client, auth, world, smtp, sanction_template):  # noqa: F811
    author, discussion = world["people"]["author"], world["discussion"]  # the author reads Spanish
    until = (utcnow() + timedelta(days=7)).date()
    auth.login(world["people"]["secretariat"].email)
    response = client.post(f"/desk/people/{author.id}", data={
        "action": "silence", "until": until.isoformat(), "template": str(sanction_template.id),
        "reason": "Second warning this month."})
    assert response.status_code == 302
    db.session.expire_all()
    silenced = db.session.get(User, author.id)
    assert silenced.is_silenced and silenced.silence_reason == SPANISH + "\n\nSecond warning this month."
    (entry,) = entries("silence")
    assert entry.actor_id == world["people"]["secretariat"].id and SPANISH in entry.reason

    (message,) = smtp.messages(to=author.email)
    assert message["Content-Language"] == "es"
    text = message.get_body(preferencelist=("plain",)).get_content()
    assert SPANISH in text and app.config["APPEAL_EMAIL"] in text
    assert format_date(until, "long", locale="es") in text  # the end date in the person's language

    reader = app.test_client()
    reader.post("/login", data={"email": author.email, "password": "correct horse battery staple"})
    page = reader.get(f"/discussions/{discussion.id}")
    assert page.status_code == 200 and SPANISH in page.get_data(as_text=True)  # the banner says why
    refused = reader.post(f"/discussions/{discussion.id}/replies", data={"body": "Still here"})
    assert refused.status_code == 403 and "modo de solo lectura" in refused.get_data(as_text=True)  # in Spanish
    assert reader.post(f"/discussions/{discussion.id}/helpful", data={"marked": "1"}).status_code == 403
    assert reader.post(f"/report/discussion/{discussion.id}", data={"reason": "spam"}).status_code == 403
    assert reader.get("/library/new").status_code == 403
    assert reader.get(f"/communities/{world['first'].slug}/discussions/new").status_code == 403


def test_an_end_date_in_the_past_is_refused_and_the_form_keeps_what_was_typed(client, auth, world):
    author = world["people"]["author"]
    auth.login(world["people"]["secretariat"].email)
    yesterday = (utcnow() - timedelta(days=1)).date().isoformat()
    response = client.post(f"/desk/people/{author.id}", data={
        "action": "silence", "until": yesterday, "reason": "Spam links in three communities"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "The end date is in the past" in page
    assert "Spam links in three communities" in page and yesterday in page
    db.session.expire_all()
    assert not db.session.get(User, author.id).is_silenced and entries("silence") == []


def test_a_reason_is_needed_a_template_or_words(client, auth, world):
    auth.login(world["people"]["secretariat"].email)
    response = client.post(f"/desk/people/{world['people']['author'].id}", data={"action": "suspend"})
    assert response.status_code == 400 and "Pick a template or write the reason." in response.get_data(as_text=True)


def test_the_suspension_refusal_says_why_until_when_in_their_language_and_how_to_appeal(app, client, auth, world):
    author = world["people"]["author"]
    until = (utcnow() + timedelta(days=30)).date()
    auth.login(world["people"]["secretariat"].email)
    assert client.post(f"/desk/people/{author.id}", data={
        "action": "suspend", "until": until.isoformat(), "reason": "Threats against a member"}).status_code == 302
    refused = app.test_client().post("/login", headers={"Accept-Language": "fr"},
                                     data={"email": author.email, "password": "correct horse battery staple"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert "Threats against a member" in page and app.config["APPEAL_EMAIL"] in page
    assert format_date(until, "long", locale="fr") in page


def _time_passes(person):
    """The sanction's end and its queued lift are due now."""
    person.silenced_until = person.suspended_until = utcnow() - timedelta(minutes=1)
    db.session.execute(sa.update(Job).where(Job.kind == sanctions.LIFT_JOB).values(
        run_after=utcnow() - timedelta(minutes=1)))
    db.session.commit()


@pytest.mark.parametrize("kind", [sanctions.SILENCE, sanctions.SUSPENSION])
def test_the_job_runner_lifts_an_ended_sanction_once_and_audits_it(app, world, kind):
    author = world["people"]["author"]
    (sanctions.silence if kind == sanctions.SILENCE else sanctions.suspend)(
        author, "Cooling off", until=utcnow() + timedelta(days=3))
    db.session.commit()
    _time_passes(author)
    jobs.run(once=True)
    db.session.expire_all()
    lifted = db.session.get(User, author.id)
    assert lifted.silenced_at is None and lifted.status == "active" and lifted.suspension_reason == ""
    action = "lift_silence" if kind == sanctions.SILENCE else "lift_suspension"
    (entry,) = entries(action)
    assert entry.actor_id is None and entry.object_id == author.id  # the system
    sanctions.lift_when_ended({"user_id": author.id, "kind": kind})  # a second run changes nothing
    db.session.commit()
    assert len(entries(action)) == 1


def test_a_lift_queued_for_an_earlier_end_leaves_an_extended_silence_alone(app, world):
    author = world["people"]["author"]
    sanctions.silence(author, "First", until=utcnow() + timedelta(days=1))
    db.session.commit()
    db.session.execute(sa.update(Job).where(Job.kind == sanctions.LIFT_JOB).values(
        run_after=utcnow() - timedelta(minutes=1)))
    sanctions.silence(author, "Extended", until=utcnow() + timedelta(days=20))
    db.session.commit()
    jobs.run(once=True)
    db.session.expire_all()
    assert db.session.get(User, author.id).is_silenced and entries("lift_silence") == []
