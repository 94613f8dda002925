"""Anonymising reaches every copy: a scan of every table and column finds the name and address nowhere."""

import email
import json
from email.policy import default

import sqlalchemy as sa

from hub.discussions import services as discussions
from hub.discussions.models import Discussion
from hub.extensions import db
from hub.notifications import services as notifications
from hub.mail import EmailOutbox, send_due
from hub.notifications.models import KINDS, Notification
from hub.search import services as search
from tests.conftest import body

NAME, ADDRESS = "Zenobia Quartermaine", "Zenobia.Q@example.org"


def texts(value) -> list[str]:
    """What a stored value says, decoded: a mail's headers and text parts, JSON as text."""
    if isinstance(value, bytes):
        message = email.message_from_bytes(value, policy=default)
        parts = [part.get_content() for part in message.walk()
                 if part.get_content_maintype() == "text" and not part.is_multipart()]
        return [value.decode("utf-8", "replace"), *map(str, message.values()), *parts]
    if isinstance(value, (dict, list)):
        return [json.dumps(value, ensure_ascii=False)]
    return [value] if isinstance(value, str) else []


def copies_of(*needles) -> list[str]:
    """table.column of every stored value, in every table the hub has, that holds one of the needles."""
    found = []
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(sa.select(table)).mappings():
            for column, value in row.items():
                if any(n.lower() in text.lower() for text in texts(value) for n in needles):
                    found.append(f"{table.name}.{column}")
    return sorted(set(found))


def test_anonymising_leaves_no_copy_of_the_name_or_address(app, client, auth, world, create_user, add_member, outbox):
    person = create_user(name=NAME, email=ADDRESS.lower(), handle="zenobia")
    create_user(bio=f"Ask {ADDRESS} about budgets.")  # someone else's profile holds the address too
    facilitator, secretariat = world["people"]["facilitator"], world["people"]["secretariat"]
    add_member(world["first"], person)
    for someone in (person, facilitator):
        for kind in KINDS:
            notifications.set_preference(someone.id, kind, "immediately")
    started = discussions.start_discussion(world["first"], person, {"title": "Girls' schooling", "body": "Ideas?",
                                                                    "language": "en"})
    discussions.add_reply(started, facilitator, "Welcome @zenobia, see the library.")
    db.session.commit()
    send_due()  # some mail is sent (its rendered copy stays in the outbox) …
    discussions.add_reply(started, person, "Thank you!")
    discussions.add_reply(world["discussion"], facilitator, "Ask @zenobia too.")
    db.session.commit()  # … and some waits
    auth.login(secretariat.email)
    assert client.post(f"/desk/people/{person.id}", data={"action": "suspend",
                                                          "reason": f"{NAME} <{ADDRESS}> asked"}).status_code == 302
    assert client.post(f"/desk/people/{person.id}", data={"action": "reinstate", "reason": "ok"}).status_code == 302
    assert copies_of(NAME, ADDRESS), "the scenario must leave copies for the anonymisation to reach"
    assert db.session.scalar(sa.select(sa.func.count(EmailOutbox.id))) > 0

    response = client.post(f"/desk/people/{person.id}", data={"action": "anonymise", "reason": f"{NAME} left"})
    assert response.status_code == 302
    db.session.expire_all()
    assert copies_of(NAME, ADDRESS) == []
    # Content stays, the author id too; search no longer knows the name; the mail still waiting to others goes.
    assert db.session.get(Discussion, started.id).author_id == person.id
    with app.test_request_context():
        assert search.search("Quartermaine", secretariat).total == 0
    assert db.session.scalar(sa.select(sa.func.count(EmailOutbox.id)).where(EmailOutbox.status == "queued")) > 0
    send_due()
    waiting = body(outbox.last_to(facilitator.email))
    assert "former member" in waiting and NAME not in waiting


def test_deleting_for_good_takes_its_notifications_and_mail(client, auth, world):
    people, discussion = world["people"], world["discussion"]
    notifications.set_preference(people["author"].id, "reply", "immediately")
    discussions.add_reply(discussion, people["member"], "Bring the banner to 12 Hidden Street")
    db.session.commit()
    send_due()  # the author was emailed the reply: a rendered copy stays in the outbox
    assert "outbox" in " ".join(copies_of("12 Hidden Street", "Where the activists meet")).replace("email_", "")
    auth.login(people["secretariat"].email)
    client.post(f"/desk/queue/discussion/{discussion.id}", data={"action": "hide", "reason": "danger"})
    response = client.post(f"/desk/queue/discussion/{discussion.id}/delete",
                           data={"understood": "y", "word": "DELETE", "reason": "danger"})
    assert response.status_code == 302
    db.session.expire_all()
    assert copies_of("12 Hidden Street") == []
    # What keeps the title: the moderation notice to its author (and its mail), and the audit entry.
    assert set(copies_of("Where the activists meet")) <= {"audit_entry.details", "notification.title",
                                                          "email_outbox.message"}
    kinds = db.session.scalars(sa.select(Notification.kind).join(
        EmailOutbox, EmailOutbox.notification_id == Notification.id)).all()
    assert kinds and set(kinds) == {"moderation"}
