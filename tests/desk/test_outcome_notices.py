"""Reporters and authors hear moderators' decisions in the hub; email follows each person's choice."""

import sqlalchemy as sa

from hub.extensions import db
from hub.notifications.models import Notification
from hub.notifications.services import set_preference
from tests.desk.test_reports_and_queue import report


def notices(user):
    return db.session.scalars(sa.select(Notification).where(Notification.recipient_id == user.id)).all()


def test_the_reporter_reads_the_outcome_in_the_hub_in_their_language(client, auth, world, mail):
    people, discussion = world["people"], world["discussion"]
    auth.login(people["member"].email)
    report(client, "discussion", discussion.id, "spam")
    auth.logout()
    auth.login(people["facilitator"].email)
    client.post(f"/desk/queue/discussion/{discussion.id}", data={"action": "dismiss", "reason": "It is fine"})
    auth.logout()

    auth.login(people["member"].email)  # reads French
    page = client.get("/notifications").get_data(as_text=True)
    assert "Where the activists meet" in page and "Aucune action n&#39;était nécessaire" in page
    assert mail().last_to(people["member"].email)["Content-Language"] == "fr"


def test_email_follows_the_persons_choice_and_notices_outlive_the_content(client, auth, world, mail):
    people, discussion = world["people"], world["discussion"]
    set_preference(people["member"].id, "report_outcome", "never")
    set_preference(people["author"].id, "moderation", "never")
    db.session.commit()
    auth.login(people["member"].email)
    report(client, "discussion", discussion.id, "safety", "an address")
    auth.logout()
    auth.login(people["secretariat"].email)
    client.post(f"/desk/queue/discussion/{discussion.id}", data={"action": "hide", "reason": "It gives an address"})
    assert mail().to(people["member"].email) == [] and mail().to(people["author"].email) == []
    client.post(f"/desk/queue/discussion/{discussion.id}/delete",
                data={"understood": "y", "word": "DELETE", "reason": "danger"})

    (outcome,) = notices(people["member"])
    assert (outcome.kind, outcome.details, outcome.withdrawn_at) == ("report_outcome", {"outcome": "hidden"}, None)
    assert outcome.link == "/", "the reporter cannot open hidden content: the notice does not send them there"
    (hidden,) = [n for n in notices(people["author"]) if n.kind == "moderation"]
    assert hidden.details == {"action": "hide", "reason": "It gives an address"} and hidden.withdrawn_at is None
    auth.logout()
    auth.login(people["author"].email)
    assert "It gives an address" in client.get("/notifications").get_data(as_text=True)
