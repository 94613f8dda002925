"""Queued mail asks again, when it is sent, whether its reader may still see what it is about."""

import sqlalchemy as sa
from aiosmtpd.controller import Controller

from hub.communities import membership as memberships
from hub.discussions import services as discussions
from hub.extensions import db
from hub.mail import DROPPED, EmailOutbox
from hub.notifications import digest, services
from hub.notifications.models import REPLY

from .conftest import plain


def down(smtp):
    smtp.controller.stop()
    smtp.controller = None


def back(smtp):
    smtp.controller = Controller(smtp, hostname="127.0.0.1", port=smtp.port)
    smtp.controller.start()


def private_thread(create_user, create_community, start):
    facilitator, leaving, staying = (create_user(email=f"{who}@example.org") for who in ("f", "leaving", "staying"))
    community = create_community(facilitator, visibility="private", title="Caucus", members=(leaving, staying))
    discussion = start(community, leaving, title="Our confidential budget line")
    discussions.follow(staying, discussion)
    db.session.commit()
    return community, facilitator, leaving, staying, discussion


def remove(community, person, facilitator):
    memberships.remove_member(memberships.get_membership(community, person.id), facilitator)
    db.session.commit()


def test_a_member_removed_while_mail_waits_receives_nothing_about_it(create_user, create_community, start, smtp,
                                                                     send):
    community, facilitator, leaving, staying, discussion = private_thread(create_user, create_community, start)
    for person in (leaving, staying):
        services.set_preference(person.id, REPLY, "immediately")
    db.session.commit()
    down(smtp)
    discussions.add_reply(discussion, facilitator, "The figures stay between us.")
    db.session.commit()
    assert send()["delayed"] == 1

    remove(community, leaving, facilitator)
    back(smtp)
    assert send() == {"sent": 1, "refused": 0, "delayed": 0, "dropped": 1}
    assert [m["To"] for m in smtp.messages()] == ["staying@example.org"]
    dropped = db.session.scalar(sa.select(EmailOutbox).where(EmailOutbox.recipient == "leaving@example.org"))
    assert dropped.status == DROPPED


def test_a_queued_digest_is_rebuilt_without_what_its_reader_lost(create_user, create_community, add_member, start,
                                                               smtp, send):
    community, facilitator, leaving, _staying, discussion = private_thread(create_user, create_community, start)
    open_community = create_community(facilitator, title="Open forum")
    add_member(open_community, leaving)
    discussions.add_reply(discussion, facilitator, "The figures stay between us.")
    start(open_community, facilitator, title="A public question")
    db.session.commit()
    down(smtp)
    assert digest.run_digests() >= 1

    remove(community, leaving, facilitator)
    back(smtp)
    send()
    assert smtp.messages(to="leaving@example.org") == []  # the queued digest named the private thread
    digest.run_digests()
    send()
    (message,) = smtp.messages(to="leaving@example.org")
    assert "A public question" in plain(message) and "confidential" not in plain(message)
