"""The audit log (append-only, filters, CSV) and the People page's rules."""

import csv
import io

import pytest
import sqlalchemy as sa

from hub.accounts.models import PENDING, SUSPENDED, User
from hub.extensions import db
from hub.audit import AuditEntry, AuditLogIsAppendOnly, record


def test_audit_entries_cannot_be_changed_or_deleted(app, world):
    entry = record("hide", world["discussion"], "why", actor=world["people"]["secretariat"])
    db.session.commit()
    entry.reason = "rewritten"
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.get(AuditEntry, entry.id))
    with pytest.raises(AuditLogIsAppendOnly):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(AuditEntry, entry.id).reason == "why"


def test_audit_filters_and_csv_escapes_formulas(client, auth, world):
    people = world["people"]
    people["author"].name = "=HYPERLINK(\"http://evil\")"
    record("hide", world["discussion"], "+1 spam", actor=people["secretariat"])
    record("suspend", people["author"], "-rude", actor=people["author"])
    db.session.commit()
    auth.login(people["secretariat"].email)
    page = client.get("/desk/audit?action=hide").get_data(as_text=True)
    assert "+1 spam" in page and "-rude" not in page
    rows = list(csv.reader(io.StringIO(client.get("/desk/audit.csv").get_data(as_text=True))))
    cells = [cell for row in rows[1:] for cell in row]
    assert "'=HYPERLINK(\"http://evil\")" in cells
    assert "'+1 spam" in cells and "'-rude" in cells
    assert not any(cell[:1] in "=+-@" and cell for cell in cells)
    assert client.get("/desk/audit?since=not-a-date&actor=x").status_code == 200


def test_the_secretariat_suspends_and_every_session_ends(app, client, auth, world):
    people = world["people"]
    other = app.test_client()
    other.post("/login", data={"email": people["author"].email, "password": "correct horse battery staple"})
    assert other.get("/account/").status_code == 200
    auth.login(people["secretariat"].email)
    response = client.post(f"/desk/people/{people['author'].id}",
                           data={"action": "suspend", "until": "2099-01-01", "reason": "harassment"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, people["author"].id).status == SUSPENDED
    assert other.get("/account/").status_code == 302
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "suspend")).reason == "harassment"


def test_suspending_oneself_is_refused(client, auth, world):
    me = world["people"]["secretariat"]
    auth.login(me.email)
    response = client.post(f"/desk/people/{me.id}", data={"action": "suspend", "reason": "tired"})
    assert response.status_code == 400
    assert "You cannot suspend yourself." in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, me.id).status != SUSPENDED


def test_the_last_secretariat_keeps_the_role(client, auth, world, create_user):
    me = world["people"]["secretariat"]
    auth.login(me.email)
    response = client.post(f"/desk/people/{me.id}", data={"action": "remove_secretariat", "reason": "leaving"})
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.get(User, me.id).is_secretariat
    colleague = create_user(email="colleague@example.org")
    client.post(f"/desk/people/{colleague.id}", data={"action": "make_secretariat", "reason": "new staff"})
    assert client.post(f"/desk/people/{me.id}",
                       data={"action": "remove_secretariat", "reason": "leaving"}).status_code == 302
    db.session.expire_all()
    assert not db.session.get(User, me.id).is_secretariat


def test_only_the_secretariat_acts_on_accounts(client, auth, world):
    auth.login(world["people"]["facilitator"].email)
    secretariat = world["people"]["secretariat"]
    assert client.post(f"/desk/people/{secretariat.id}",
                       data={"action": "suspend", "reason": "coup"}).status_code == 403
    db.session.expire_all()
    assert db.session.get(User, secretariat.id).status != SUSPENDED


def test_approving_a_registration_tells_the_person(client, auth, world, create_user, outbox):
    applicant = create_user(email="new@example.org", status=PENDING)
    auth.login(world["people"]["secretariat"].email)
    assert "new@example.org" in client.get("/desk/people").get_data(as_text=True)
    client.post(f"/desk/people/{applicant.id}", data={"action": "approve", "reason": "known coalition"})
    db.session.expire_all()
    assert db.session.get(User, applicant.id).status == "active"
    assert outbox.to("new@example.org")
    again = client.post(f"/desk/people/{applicant.id}", data={"action": "decline", "reason": "twice"})
    assert again.status_code == 400


def test_the_log_names_actions_and_objects_in_words(client, auth, world):
    from hub.audit import ACTION_LABELS
    from hub.desk.forms import ACTIONS, PERSON_ACTIONS
    people = world["people"]
    record("hide", world["discussion"], "spam", actor=people["secretariat"])
    record("make_focal_point", people["author"], "new focal point", actor=people["secretariat"])
    db.session.commit()
    auth.login(people["secretariat"].email)
    page = client.get("/desk/audit").get_data(as_text=True)
    assert "<td>hidden</td>" in page and "<td>made focal point</td>" in page
    assert f"<td>discussion {world['discussion'].id}</td>" in page and f"<td>person {people['author'].id}</td>" in page
    assert ">hide<" not in page and ">make_focal_point<" not in page and ">user_account<" not in page
    assert '<option value="person">person</option>' in page  # the filter offers the kind's word, named
    assert set(ACTIONS) | set(PERSON_ACTIONS) | {"approve", "reject", "delete", "merge_organisation"} <= set(ACTION_LABELS)


def test_people_pages_give_the_account_state_in_words(client, auth, world, create_user):
    waiting = create_user(email="new@example.org", name="Newcomer", status=PENDING)
    auth.login(world["people"]["secretariat"].email)
    listing = client.get("/desk/people").get_data(as_text=True)
    assert "<td>Active</td>" in listing and "<td>active</td>" not in listing
    person = client.get(f"/desk/people/{waiting.id}").get_data(as_text=True)
    assert "Waiting for approval" in person and "<dd>pending" not in person
