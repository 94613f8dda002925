"""Reporting, the queue, hiding and the other moderation actions, as people would notice them."""

import sqlalchemy as sa

from hub.discussions.models import Discussion, Reply
from hub.extensions import db
from hub.audit import AuditEntry
from hub.desk.demo import WAITING_REPLY
from hub.desk.models import Report

from tests.conftest import body


def report(client, kind, object_id, reason="spam", note=""):
    return client.post(f"/report/{kind}/{object_id}", data={"reason": reason, "note": note})


def test_reporting_the_same_item_twice_updates_one_report(client, auth, world):
    auth.login(world["people"]["member"].email)
    discussion = world["discussion"]
    assert report(client, "discussion", discussion.id, "spam", "first").status_code == 302
    assert report(client, "discussion", discussion.id, "safety", "second thoughts").status_code == 302
    reports = db.session.scalars(sa.select(Report)).all()
    assert len(reports) == 1
    assert (reports[0].reason, reports[0].note) == ("safety", "second thoughts")


def test_report_needs_a_reason_and_keeps_the_note(client, auth, world):
    auth.login(world["people"]["member"].email)
    response = report(client, "reply", world["reply"].id, reason="", note="kept text")
    assert response.status_code == 400
    assert "kept text" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Report.id))) == 0


def test_nobody_reports_what_they_cannot_see(client, auth, world, create_user):
    auth.login(world["people"]["member"].email)
    assert report(client, "discussion", 999_999).status_code == 404
    assert report(client, "nonsense", world["discussion"].id).status_code == 404


def test_pages_offer_a_report_link(client, auth, world):
    auth.login(world["people"]["member"].email)
    page = client.get(f"/discussions/{world['discussion'].id}").get_data(as_text=True)
    assert f"/report/discussion/{world['discussion'].id}" in page
    assert f"/report/reply/{world['reply'].id}" in page


def test_safety_risks_come_first_in_the_queue(client, auth, world):
    auth.login(world["people"]["member"].email)
    report(client, "reply", world["reply"].id, "spam")
    report(client, "discussion", world["discussion"].id, "safety", "it gives an address")
    auth.logout()
    auth.login(world["people"]["secretariat"].email)
    page = client.get("/desk/queue").get_data(as_text=True)
    assert page.index("Safety risk") < page.index(f"/desk/queue/reply/{world['reply'].id}")
    assert page.index(f"/desk/queue/discussion/{world['discussion'].id}") < page.index(
        f"/desk/queue/reply/{world['reply'].id}")


def test_facilitators_see_only_their_communities(client, auth, world):
    auth.login(world["people"]["member"].email)
    report(client, "discussion", world["discussion"].id, "spam")
    auth.logout()
    auth.login(world["people"]["other_facilitator"].email)
    assert "Where the activists meet" not in client.get("/desk/queue").get_data(as_text=True)
    auth.logout()
    auth.login(world["people"]["facilitator"].email)
    assert "Where the activists meet" in client.get("/desk/queue").get_data(as_text=True)


def test_hiding_removes_content_everywhere_and_tells_author_and_reporter(client, auth, world, mail):
    people, discussion = world["people"], world["discussion"]
    auth.login(people["member"].email)
    report(client, "discussion", discussion.id, "safety", "it gives an address")
    auth.logout()
    auth.login(people["secretariat"].email)
    response = client.post(f"/desk/queue/discussion/{discussion.id}",
                           data={"action": "hide", "reason": "It exposes a meeting place"})
    assert response.status_code == 302
    hidden_mail = mail().last_to(people["author"].email)
    assert hidden_mail["Content-Language"] == "es"
    assert "It exposes a meeting place" in body(hidden_mail)
    assert mail().to(people["member"].email), "the reporter hears the outcome"
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "hide"))
    assert (entry.object_type, entry.object_id, entry.actor_id) == ("discussion", discussion.id,
                                                                    people["secretariat"].id)
    auth.logout()
    auth.login(people["member"].email)
    assert client.get(f"/discussions/{discussion.id}").status_code == 404
    assert "Where the activists meet" not in client.get(f"/communities/{world['first'].slug}").get_data(as_text=True)
    auth.logout()
    auth.login(people["author"].email)
    page = client.get(f"/discussions/{discussion.id}").get_data(as_text=True)
    # The author reads Spanish: told why, in their language.
    assert "Contenido ocultado por los moderadores: It exposes a meeting place" in page


def test_a_hidden_reply_leaves_the_count_and_the_page(client, auth, world):
    people, discussion, reply = world["people"], world["discussion"], world["reply"]
    auth.login(people["facilitator"].email)
    client.post(f"/desk/queue/reply/{reply.id}", data={"action": "hide", "reason": "off topic"})
    db.session.expire_all()
    assert db.session.get(Discussion, discussion.id).reply_count == 0
    auth.logout()
    auth.login(people["member"].email)
    page = client.get(f"/discussions/{discussion.id}").get_data(as_text=True)
    # The member reads French.
    assert "Come at nine" not in page and "Cette réponse a été masquée par les modérateurs." in page


def test_a_hidden_reply_leaves_search_until_restored(client, auth, world):
    people, reply = world["people"], world["reply"]
    auth.login(people["facilitator"].email)

    def found():
        page = client.get("/search", query_string={"q": "nine"}).get_data(as_text=True)
        return "Where the activists meet" in page.replace("<mark>", "").replace("</mark>", "")
    assert found(), "the discussion is found by its reply's words"
    client.post(f"/desk/queue/reply/{reply.id}", data={"action": "hide", "reason": "off topic"})
    assert not found()
    client.post(f"/desk/queue/reply/{reply.id}", data={"action": "restore", "reason": "it was fine"})
    assert found()


def test_a_second_moderator_is_told_and_nothing_doubles(client, auth, world, mail):
    people, discussion = world["people"], world["discussion"]
    auth.login(people["member"].email)
    report(client, "discussion", discussion.id, "spam")
    auth.logout()
    path = f"/desk/queue/discussion/{discussion.id}"
    auth.login(people["facilitator"].email)
    client.post(path, data={"action": "hide", "reason": "spam"})
    auth.logout()
    auth.login(people["secretariat"].email)
    response = client.post(path, data={"action": "hide", "reason": "spam too"}, follow_redirects=True)
    assert "Another moderator already handled this" in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "hide")) == 1
    assert len(mail().to(people["author"].email)) == 1
    response = client.post(path, data={"action": "dismiss", "reason": "late"}, follow_redirects=True)
    assert "Another moderator already handled this" in response.get_data(as_text=True)


def test_restore_and_lock(client, auth, world):
    people, discussion = world["people"], world["discussion"]
    path = f"/desk/queue/discussion/{discussion.id}"
    auth.login(people["facilitator"].email)
    client.post(path, data={"action": "hide", "reason": "check"})
    client.post(path, data={"action": "restore", "reason": "it was fine"})
    client.post(path, data={"action": "lock", "reason": "heated"})
    db.session.expire_all()
    found = db.session.get(Discussion, discussion.id)
    assert found.hidden_at is None and found.is_locked
    actions = db.session.scalars(sa.select(AuditEntry.action).order_by(AuditEntry.id)).all()
    assert actions == ["hide", "restore", "lock"]


def test_an_action_needs_a_reason(client, auth, world):
    auth.login(world["people"]["secretariat"].email)
    response = client.post(f"/desk/queue/discussion/{world['discussion'].id}", data={"action": "hide", "reason": ""})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(Discussion, world["discussion"].id).hidden_at is None


def test_permanent_deletion_needs_hiding_and_two_confirmations(client, auth, world):
    people, discussion = world["people"], world["discussion"]
    auth.login(people["secretariat"].email)
    delete = f"/desk/queue/discussion/{discussion.id}/delete"
    assert client.post(delete, data={"understood": "y", "word": "DELETE", "reason": "x"}).status_code == 302
    assert db.session.get(Discussion, discussion.id) is not None, "not hidden yet: nothing deleted"
    client.post(f"/desk/queue/discussion/{discussion.id}", data={"action": "hide", "reason": "danger"})
    assert client.post(delete, data={"word": "DELETE", "reason": "x"}).status_code == 400
    assert client.post(delete, data={"understood": "y", "word": "delete", "reason": "x"}).status_code == 400
    db.session.expire_all()
    assert db.session.get(Discussion, discussion.id) is not None
    assert client.post(delete, data={"understood": "y", "word": "DELETE", "reason": "danger"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Discussion, discussion.id) is None
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "delete")).reason == "danger"


def test_demo_report_and_waiting_reply_are_made_once(runner, auth, client):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    reports = db.session.scalars(sa.select(Report)).all()
    assert len(reports) == 1 and reports[0].reason == "safety"
    waiting = db.session.scalars(sa.select(Reply).where(Reply.review_status == "pending")).all()
    assert len(waiting) == 1 and waiting[0].body == WAITING_REPLY
    auth.login("secretariat@example.org", "learning-hub-demo")
    queue = client.get("/desk/queue").get_data(as_text=True)
    assert "Safety risk" in queue and "os professores gravam as sessões" in queue
    discussion = client.get(f"/discussions/{waiting[0].discussion_id}").get_data(as_text=True)
    assert "os professores gravam as sessões" in discussion  # moderators see it in place, marked
    auth.logout()
    auth.login("member@example.org", "learning-hub-demo")
    seen = client.get(f"/discussions/{waiting[0].discussion_id}")
    assert seen.status_code == 200 and "os professores gravam" not in seen.get_data(as_text=True)
