"""Notification email through a real SMTP server: language, links, one-click unsubscribe, retries."""

import sqlalchemy as sa
from aiosmtpd.controller import Controller
from itsdangerous import URLSafeTimedSerializer

from hub.extensions import db
from hub.jobs.models import Job
from hub.notifications import services
from hub.notifications.cli import schedule
from hub.notifications.emails import unsubscribe_token
from hub.mail import FAILED, SENT, EmailOutbox
from hub.notifications.models import EmailPreference

from .conftest import plain


def mentioned(create_user, create_community, add_member, start, **person):
    community = create_community(title="Budget watchers")
    author = create_user(name="Amara")
    reader = create_user(handle="reader", **person)
    add_member(community, author), add_member(community, reader)
    start(community, author, title="Tracking school budgets", body="What do you think, @reader?")
    return reader


def test_mention_is_emailed_at_once_in_the_readers_language(create_user, create_community, add_member, start, smtp, send):
    reader = mentioned(create_user, create_community, add_member, start, email="fr@example.org", locale="fr")
    assert smtp.envelopes == []  # queued, not sent inside the request
    assert send()["sent"] == 1
    (message,) = smtp.messages()
    assert message["To"] == "fr@example.org" and message["Content-Language"] == "fr"
    assert "Tracking school budgets" in message["Subject"]
    text = plain(message)
    assert "http://localhost/discussions/" in text and "http://localhost/notifications/settings" in text
    link = message["List-Unsubscribe"].strip("<>")
    assert link.startswith("http://localhost/notifications/unsubscribe/") and link in text
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    raw = smtp.envelopes[0].original_content
    assert f"List-Unsubscribe: <{link}>\r\n".encode() in raw  # one raw URL, not an encoded word
    html = message.get_body(preferencelist=("html",)).get_content()
    assert '<html lang="fr"' in html and link in html
    assert send()["sent"] == 0 and len(smtp.envelopes) == 1  # nothing is sent twice
    assert reader.id


def test_one_click_unsubscribe_works_without_a_session(app, create_user, create_community, add_member, start, smtp, send,
                                                       client):
    app.config["WTF_CSRF_ENABLED"] = True  # the POST must not need a CSRF token
    reader = mentioned(create_user, create_community, add_member, start, email="r@example.org")
    send()
    path = "/" + smtp.messages()[0]["List-Unsubscribe"].strip("<>").split("/", 3)[3]
    page = client.get(path)
    assert page.status_code == 200 and db.session.scalar(sa.select(EmailPreference)) is None  # GET changes nothing

    response = client.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200 and "no longer receive" in response.get_data(as_text=True)
    assert services.email_choices("mention", [reader.id]) == {reader.id: "never"}


def test_tampered_or_expired_link_is_refused_in_the_readers_language(app, create_user, client):
    person = create_user()
    token = unsubscribe_token(person.id, "mention")
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    response = client.post(f"/notifications/unsubscribe/{tampered}", headers={"Accept-Language": "en"})
    assert response.status_code == 400 and "not valid" in response.get_data(as_text=True)
    app.config["UNSUBSCRIBE_TOKEN_MAX_AGE"] = -1
    response = client.get(f"/notifications/unsubscribe/{token}", headers={"Accept-Language": "fr"})
    assert response.status_code == 400 and '<html lang="fr"' in response.get_data(as_text=True)
    assert "expired" in response.get_data(as_text=True) or "expiré" in response.get_data(as_text=True)
    forged = URLSafeTimedSerializer("another-key", salt="notifications-unsubscribe").dumps({"u": person.id, "k": "digest"})
    assert client.post(f"/notifications/unsubscribe/{forged}").status_code == 400
    assert services.email_choices("mention", [person.id]) == {person.id: "immediately"}


def test_bouncing_address_fails_after_retries_others_are_sent(app, create_user, create_community, add_member, start, smtp,
                                                              send):
    community = create_community()
    author = create_user()
    good, bad = create_user(handle="good", email="good@example.org"), create_user(handle="bad", email="bad@example.org")
    for person in (author, good, bad):
        add_member(community, person)
    smtp.refuse.add("bad@example.org")
    start(community, author, body="Hello @bad and @good")
    for _ in range(app.config["MAIL_MAX_ATTEMPTS"] + 2):
        send()
    rows = {row.recipient: row for row in db.session.scalars(sa.select(EmailOutbox))}
    assert rows["good@example.org"].status == SENT
    assert rows["bad@example.org"].status == FAILED
    assert rows["bad@example.org"].attempts == app.config["MAIL_MAX_ATTEMPTS"]
    assert "550" in rows["bad@example.org"].last_error
    assert [m["To"] for m in smtp.messages()] == ["good@example.org"]


def test_smtp_down_delays_mail_then_sends_it_once(app, create_user, create_community, add_member, start, smtp, send):
    reader = mentioned(create_user, create_community, add_member, start, email="wait@example.org")
    smtp.controller.stop()
    smtp.controller = None
    assert send() == {"sent": 0, "refused": 0, "delayed": 1, "dropped": 0}
    row = db.session.scalar(sa.select(EmailOutbox))
    assert row.status == "queued" and row.attempts == 0 and "Error" in row.last_error

    smtp.controller = Controller(smtp, hostname="127.0.0.1", port=smtp.port)
    smtp.controller.start()
    assert send()["sent"] == 1
    assert send()["sent"] == 0
    assert [m["To"] for m in smtp.messages()] == ["wait@example.org"]
    assert reader.id


def test_rate_limit_holds_back_the_rest(app, create_user, create_community, add_member, start, smtp, send):
    app.config["MAIL_RATE_PER_MINUTE"] = 2
    community = create_community()
    author = create_user()
    handles = [f"person{i}" for i in range(4)]
    for handle in handles:
        add_member(community, create_user(handle=handle))
    add_member(community, author)
    start(community, author, body=" ".join(f"@{h}" for h in handles))
    assert send()["sent"] == 2 and send()["sent"] == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(EmailOutbox).where(EmailOutbox.status == "queued")) == 2


def test_send_command_and_job(runner, create_user, create_community, add_member, start, smtp):
    mentioned(create_user, create_community, add_member, start, email="cli@example.org")
    result = runner.invoke(args=["notifications", "send"])
    assert result.exit_code == 0 and "1 sent" in result.output
    assert [m["To"] for m in smtp.messages()] == ["cli@example.org"]


def test_the_job_runner_sends_mail_and_keeps_the_periodic_job_going(runner, create_user, create_community, add_member,
                                                                    start, smtp):
    mentioned(create_user, create_community, add_member, start, email="job@example.org")
    schedule()
    db.session.commit()
    result = runner.invoke(args=["jobs", "run", "--once"])
    assert result.exit_code == 0, result.output
    assert "job@example.org" in [m["To"] for m in smtp.messages()]
    queued = db.session.scalars(sa.select(Job.kind).where(Job.status == "queued")).all()
    assert queued == ["notifications.tick"]  # the next run, a minute later
