"""With MAIL_SERVER set, messages travel over real SMTP, as plain text plus HTML, in the reader's language."""

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller


class Collector:
    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp_server(app):
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    yield collector
    controller.stop()


def test_reset_email_goes_through_smtp_in_the_readers_language(client, csrf_off, create_user, smtp_server, outbox):
    create_user(email="chloe@example.org", name="Chloé Martin", locale="fr")
    response = client.post("/password/forgot", data={"email": "chloe@example.org"},
                           headers={"Accept-Language": "en"})
    assert response.status_code == 302
    assert outbox.messages == []  # nothing written to instance/mail/ when SMTP is configured

    (envelope,) = smtp_server.envelopes
    assert envelope.rcpt_tos == ["chloe@example.org"]
    assert envelope.mail_from == "no-reply@learninghub.example.org"
    message = email.message_from_bytes(envelope.original_content, policy=policy.default)
    assert message.get_content_type() == "multipart/alternative"
    assert message["Content-Language"] == "fr"
    assert message["Subject"] and message["Message-ID"] and message["Date"]
    plain = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "Chloé Martin" in plain and "http://localhost/password/reset/" in plain
    assert '<html lang="fr" dir="ltr">' in html and 'href="http://localhost/password/reset/' in html


def test_arabic_email_is_right_to_left(client, csrf_off, create_user, smtp_server):
    create_user(email="layla@example.org", name="ليلى", locale="ar")
    client.post("/password/forgot", data={"email": "layla@example.org"})
    message = email.message_from_bytes(smtp_server.envelopes[0].original_content, policy=policy.default)
    assert message["Content-Language"] == "ar"
    html = message.get_body(preferencelist=("html",)).get_content()
    assert '<html lang="ar" dir="rtl">' in html and "ليلى" in html


def test_approval_email_through_smtp(app, csrf_off, create_user, smtp_server, helpers):
    desk = create_user(email="desk@example.org", is_secretariat=True)
    applicant = create_user(email="pedro@example.org", status="pending", locale="pt")
    client = app.test_client()
    helpers.login(client, desk.email)
    client.post(f"/registrations/{applicant.id}", data={"approve": "Approve"})
    (envelope,) = smtp_server.envelopes
    assert envelope.rcpt_tos == ["pedro@example.org"]
    message = email.message_from_bytes(envelope.original_content, policy=policy.default)
    assert message["Content-Language"] == "pt"


def test_a_mail_server_that_is_down_does_not_break_registration(app, client, csrf_off, create_org, caplog):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port(), MAIL_TIMEOUT=2)  # nobody listens there
    org = create_org()
    response = client.post("/register", data={"name": "Amina Diallo", "email": "amina@example.org",
                                              "password": "correct horse battery staple", "organisation": str(org.id)})
    assert response.status_code == 302
    assert "Could not send 'verify_email' to amina@example.org" in caplog.text
    from hub.accounts.services import find_by_email
    assert find_by_email("amina@example.org").is_pending
