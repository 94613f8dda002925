"""A real SMTP server (aiosmtpd) on a free port, and factories for communities and discussions."""

import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller

from hub.discussions import services as discussions
from hub.extensions import db
from hub import mail


class Collector:
    """Accepts every message except for addresses in `refuse` (550 at RCPT, like a bouncing mailbox)."""

    def __init__(self):
        self.envelopes, self.refuse = [], set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refuse:
            return "550 5.1.1 No such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"

    def messages(self, to=None):
        found = [email.message_from_bytes(e.original_content, policy=policy.default) for e in self.envelopes]
        return [m for m in found if to is None or m["To"] == to]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(app):
    collector = Collector()
    port = free_port()
    controller = Controller(collector, hostname="127.0.0.1", port=port)
    controller.start()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port, MAIL_RETRY_DELAY=0)
    collector.port, collector.controller = port, controller
    yield collector
    if collector.controller is not None:  # a test may have stopped it (the server is "down")
        collector.controller.stop()


@pytest.fixture
def send():
    """Send what is due, as `flask --app hub notifications send` does."""
    return mail.send_due


@pytest.fixture
def start(app):
    counter = iter(range(1, 10_000))

    def make(community, author, body=None, **data):
        n = next(counter)
        discussion = discussions.start_discussion(community, author, {
            "title": data.pop("title", f"Discussion {n}"), "body": body or f"Opening post {n}",
            "language": "en", "themes": data.pop("themes", []), "kind": data.pop("kind", "discussion")})
        db.session.commit()
        return discussion
    return make


def plain(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


@pytest.fixture(autouse=True)
def _app_context(app):
    """Every test here works inside the app (the factories need the database)."""
    return app
