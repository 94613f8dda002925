"""Asking the author to revise: the author is emailed in their language, the post stays, it is audited once."""

import sqlalchemy as sa

from hub.discussions.models import Discussion
from hub.extensions import db
from hub.audit import AuditEntry
from hub.desk.models import REVISION, Report
from tests.conftest import body
from tests.desk.test_reports_and_queue import report


def test_asking_to_revise_emails_the_author_and_is_audited_once(client, auth, world, mail):
    people, discussion = world["people"], world["discussion"]
    auth.login(people["member"].email)
    report(client, "discussion", discussion.id, "misinformation", "the date is wrong")
    auth.logout()
    auth.login(people["facilitator"].email)
    path = f"/desk/queue/discussion/{discussion.id}"
    assert 'value="revise"' in client.get(path).get_data(as_text=True)
    response = client.post(path, data={"action": "revise", "reason": "Please correct the date"})
    assert response.status_code == 302
    message = mail().last_to(people["author"].email)
    assert message["Content-Language"] == "es"
    assert "Please correct the date" in body(message)
    again = client.post(path, data={"action": "revise", "reason": "twice"}, follow_redirects=True)
    assert "Another moderator already handled this" in again.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Discussion, discussion.id).hidden_at is None
    assert db.session.scalar(sa.select(Report.status)) == REVISION
    entries = db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == "revise")).all()
    assert [(e.object_id, e.reason) for e in entries] == [(discussion.id, "Please correct the date")]


def test_a_member_cannot_ask_for_a_revision(client, auth, world):
    auth.login(world["people"]["member"].email)
    response = client.post(f"/desk/queue/discussion/{world['discussion'].id}",
                           data={"action": "revise", "reason": "x"})
    assert response.status_code == 403
