"""A small world for moderation tests: two communities, their facilitators, a member's discussion."""

import pytest

from hub.desk.models import ReplyTemplate
from hub.discussions import services as discussions
from hub.extensions import db
from hub.mail import send_due


@pytest.fixture
def mail(outbox):
    """The messages written so far, after sending what the notification outbox holds (as the job does)."""
    def sent():
        send_due()
        return outbox
    return sent


@pytest.fixture
def world(create_user, create_community, add_member):
    """People by role, two communities and a discussion (with one reply) in the first."""
    people = {"member": create_user(email="member@example.org", locale="fr"),
              "author": create_user(email="author@example.org", locale="es"),
              "facilitator": create_user(email="facilitator@example.org"),
              "other_facilitator": create_user(email="other@example.org"),
              "secretariat": create_user(email="secretariat@example.org", is_secretariat=True)}
    # Each facilitator created their community (the root conftest's create_community, through the service).
    first = create_community(people["facilitator"], visibility="members", slug="first", title="First")
    second = create_community(people["other_facilitator"], visibility="members", slug="second", title="Second")
    for name in ("member", "author"):
        add_member(first, people[name])
    discussion = discussions.start_discussion(first, people["author"], {
        "title": "Where the activists meet", "body": "Address: 12 Hidden Street", "language": "es"})
    reply = discussions.add_reply(discussion, people["author"], "Come at nine")
    template = ReplyTemplate(purpose="hide", name="Personal data", texts={
        "en": "Your post shows where people can be found; we hid it to keep them safe.",
        "es": "Tu publicación muestra dónde se puede encontrar a personas; la ocultamos para protegerlas."})
    db.session.add(template)
    db.session.commit()
    return {"people": people, "first": first, "second": second, "discussion": discussion, "reply": reply,
            "template": template}
