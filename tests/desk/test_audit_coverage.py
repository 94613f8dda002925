"""Approvals and survey-round actions reach the audit log, wherever in the hub they are taken."""

import sqlalchemy as sa

from hub.accounts.models import PENDING
from hub.audit import AuditEntry
from hub.communities.models import PROPOSED, Community
from hub.extensions import db
from hub.survey.models import SurveyRound


def entries():
    db.session.expire_all()
    return [(e.action, e.object_type, e.object_id, e.actor_id, e.reason)
            for e in db.session.scalars(sa.select(AuditEntry).order_by(AuditEntry.id))]


def test_survey_round_actions_are_audited(client, auth, csrf_off, create_user):
    secretariat = create_user(is_secretariat=True)
    auth.login(secretariat.email)
    client.post("/capacity/rounds/new", data={"title": "Round 2027", "opens_on": "2027-01-10",
                                              "closes_on": "2027-03-31"})
    round_id = db.session.scalar(sa.select(SurveyRound.id))
    client.post(f"/capacity/rounds/{round_id}/edit", data={"title": "Round 2027 (longer)", "opens_on": "2027-01-10",
                                                            "closes_on": "2027-04-30"})
    client.post(f"/capacity/rounds/{round_id}/close")
    client.post(f"/capacity/rounds/{round_id}/reopen")
    actions = [(action, kind, object_id, actor) for action, kind, object_id, actor, _ in entries()]
    assert actions == [(name, "survey_round", round_id, secretariat.id)
                       for name in ("open_round", "edit_round", "close_round", "reopen_round")]
    page = client.get("/desk/audit").get_data(as_text=True)
    assert "<td>survey round opened</td>" in page and "<td>survey round closed</td>" in page
    assert f"<td>survey round {round_id}</td>" in page


def test_approvals_outside_the_desk_are_audited(client, auth, csrf_off, create_user, create_org):
    secretariat = create_user(is_secretariat=True)
    focal = create_user(is_focal_point=True)
    applicant = create_user(email="new@example.org", organisation=focal.organisation, status=PENDING)
    auth.login(focal.email)
    client.post(f"/registrations/{applicant.id}", data={"approve": "Approve", "message": "Karibu!"})
    auth.logout()
    proposed_org = create_org(name="Proposed Coalition", status="proposed")
    community = Community(slug="sahel", title="Sahel", status=PROPOSED, visibility="members")
    db.session.add(community)
    db.session.commit()
    auth.login(secretariat.email)
    client.post(f"/organisations/{proposed_org.slug}/publish")
    client.post(f"/communities/proposed/{community.slug}", data={"decision": "approve"})
    assert entries() == [("approve", "person", applicant.id, focal.id, "Karibu!"),
                         ("publish_organisation", "organisation", proposed_org.id, secretariat.id, ""),
                         ("approve_community", "community", community.id, secretariat.id, "")]
    assert all(e.ip_address for e in db.session.scalars(sa.select(AuditEntry)))
    page = client.get("/desk/audit").get_data(as_text=True)
    for label in ("approved", "organisation added to the directory", "proposed community approved"):
        assert f"<td>{label}</td>" in page
