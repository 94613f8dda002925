"""Data requests: the secretariat exports everything the hub holds about a person (audited), and every
reference to a person in the schema is exported or excluded with a reason."""

import json

import sqlalchemy as sa

from hub.accounts import export
from hub.accounts.models import DeviceSession
from hub.audit import AuditEntry
from hub.discussions import services as discussions
from hub.extensions import db
from hub.notifications.models import DigestSetting, EmailPreference, Notification
from hub.survey import services as survey
from hub.survey.models import SUBMITTED, Submission


def person_references() -> set[str]:
    """Every table.column of the schema referencing user_account."""
    return {f"{table.name}.{column.name}" for table in db.metadata.sorted_tables for column in table.columns
            if any(fk.column.table.name == "user_account" for fk in column.foreign_keys)}


def test_every_reference_to_a_person_is_exported_or_excluded_with_a_reason(app):
    references = person_references()
    assert references, "the walk found no reference to user_account"
    unaccounted = references - set(export.COVERED) - set(export.EXCLUDED)
    assert unaccounted == set(), "export these rows in a feature's personal_data, or add them to EXCLUDED with why"
    assert set(export.COVERED) & set(export.EXCLUDED) == set()
    assert set(export.COVERED) | set(export.EXCLUDED) <= references  # no stale names
    with app.test_request_context():
        assert all(str(reason).strip() for reason in export.EXCLUDED.values())


def test_the_secretariat_answers_a_data_request_from_the_person_page(app, client, auth, world, create_org):
    author, discussion = world["people"]["author"], world["discussion"]
    author.organisation = create_org("Coalición Peruana")
    author.is_focal_point = True
    round_ = survey.open_round("Capacity mapping 2026", None, None, None)
    db.session.flush()
    db.session.add_all([
        Submission(round=round_, organisation=author.organisation, status=SUBMITTED, submitted_by_id=author.id,
                   answers={"learn.preferences": ["webinars"]}),
        Notification(recipient_id=author.id, kind="reply", object_type="discussion", object_id=discussion.id,
                     title="Una respuesta para ti"),
        EmailPreference(user_id=author.id, kind="reply", email="never"),
        DigestSetting(user_id=author.id, frequency="daily")])
    discussions.follow(author, discussion)
    discussions.set_helpful(author, discussion, world["reply"], True)
    db.session.commit()
    app.test_client().post("/login", data={"email": author.email, "password": "correct horse battery staple"})
    token_hash = db.session.scalar(sa.select(DeviceSession.token_hash).where(DeviceSession.user_id == author.id))

    auth.login(world["people"]["secretariat"].email)
    page = client.get(f"/desk/people/{author.id}").get_data(as_text=True)
    assert f'action="/desk/people/{author.id}/export"' in page
    refused = client.post(f"/desk/people/{author.id}/export", data={})
    assert refused.status_code == 400 and db.session.scalar(sa.select(AuditEntry.id).where(
        AuditEntry.action == "export_personal_data")) is None

    response = client.post(f"/desk/people/{author.id}/export", data={"request_note": "Email of 3 Dec, ref. 17"})
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    data = json.loads(text)
    assert data["profile"]["email"] == author.email
    assert "Una respuesta para ti" in [n["title"] for n in data["notifications"]]
    assert {"community_id": None, "discussion_id": discussion.id} in [
        {key: f[key] for key in ("community_id", "discussion_id")} for f in data["follows"]]
    assert data["reactions"][0]["reply_id"] == world["reply"].id
    assert data["email_preferences"] == [{"kind": "reply", "email": "never"}]
    assert data["digest_setting"][0]["frequency"] == "daily"
    assert data["survey_answers"][0]["answers"] == {"learn.preferences": ["webinars"]}
    assert len(data["devices"]) == 1 and "token_hash" not in data["devices"][0] and token_hash not in text
    assert "password_hash" not in text and author.password_hash not in text
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "export_personal_data"))
    assert entry.object_id == author.id and entry.reason == "Email of 3 Dec, ref. 17"
    assert entry.actor_id == world["people"]["secretariat"].id
