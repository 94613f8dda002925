"""Merging organisations, anonymising a departed member, and downloading one's own data."""

import json

import sqlalchemy as sa

from hub.accounts.models import User
from hub.discussions.models import Discussion
from hub.extensions import db
from hub.audit import AuditEntry
from hub.organisations.models import Organisation


def test_merging_moves_members_and_retires_the_duplicate(client, auth, world, create_org, create_user):
    keep, duplicate = create_org("Education Coalition Kenya"), create_org("Educ. Coalition Kenya")
    moving = create_user(email="moving@example.org", organisation=duplicate)
    auth.login(world["people"]["secretariat"].email)
    preview = client.post("/desk/organisations/merge",
                          data={"source": duplicate.id, "target": keep.id, "reason": "same coalition"})
    assert preview.status_code == 200 and "moving@example.org" in preview.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(User, moving.id).organisation_id == duplicate.id  # a preview changes nothing
    response = client.post("/desk/organisations/merge/confirm",
                           data={"source": duplicate.id, "target": keep.id, "reason": "same coalition"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, moving.id).organisation_id == keep.id
    assert db.session.get(Organisation, duplicate.id).deleted_at is not None
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "merge_organisation"))
    assert entry.details["members"] == 1


def test_merging_into_itself_is_refused(client, auth, world, create_org):
    only = create_org("Only One")
    auth.login(world["people"]["secretariat"].email)
    response = client.post("/desk/organisations/merge", data={"source": only.id, "target": only.id, "reason": "x"})
    assert response.status_code == 400
    assert "cannot be merged into itself" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Organisation, only.id).deleted_at is None


def test_anonymising_keeps_content_and_ends_sessions(app, client, auth, world):
    author = world["people"]["author"]
    other = app.test_client()
    other.post("/login", data={"email": author.email, "password": "correct horse battery staple"})
    auth.login(world["people"]["secretariat"].email)
    assert client.post(f"/desk/people/{author.id}", data={"action": "anonymise", "reason": "left"}).status_code == 302
    db.session.expire_all()
    gone = db.session.get(User, author.id)
    assert gone.name == "former member" and "author@example.org" not in gone.email and gone.bio == ""
    assert db.session.get(Discussion, world["discussion"].id).author_id == author.id
    assert other.get("/account/").status_code == 302
    page = client.get(f"/discussions/{world['discussion'].id}").get_data(as_text=True)
    assert "former member" in page


def test_people_download_only_their_own_data(client, auth, world):
    auth.login(world["people"]["author"].email)
    response = client.get("/account/export")
    data = json.loads(response.get_data(as_text=True))
    assert data["profile"]["email"] == "author@example.org"
    assert list(data) == ["profile", "organisation", "devices", "recovery_codes_left", "emails", "actions_recorded",
                          "actions_about_you", "memberships", "follows", "communities_proposed", "discussions",
                          "replies", "reactions", "read_marks", "library_items", "survey_answers", "survey_answer_notes",
                          "asked_to_confirm_answers", "reports_filed",
                          "notifications", "email_preferences", "digest_setting", "session_registrations",
                          "session_reminders", "session_settings", "sessions_scheduled"]  # each feature gives its part
    assert [d["title"] for d in data["discussions"]] == ["Where the activists meet"]
    assert "member@example.org" not in response.get_data(as_text=True)


def test_anonymous_visitors_cannot_export(client):
    assert client.get("/account/export").status_code == 302
