"""Merging organisations: a preview of what moves, then the confirmation; answers to a round both answered."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from hub.audit import AuditEntry
from hub.db import utcnow
from hub.extensions import db
from hub.organisations.models import Organisation
from hub.survey import services as survey
from hub.survey.models import SUBMITTED, Submission


@pytest.fixture
def both_answered(create_org):
    """Two records of one coalition; both answered the same round (the duplicate more recently)."""
    keep, duplicate = create_org("Coalición Peruana"), create_org("Coalicion Peruana (dup)")
    round_ = survey.open_round("Capacity mapping 2026", None, None, None)
    db.session.flush()
    old = Submission(round=round_, organisation=keep, status=SUBMITTED, answers={"learn.preferences": ["old"]},
                     submitted_at=utcnow() - timedelta(days=30))
    new = Submission(round=round_, organisation=duplicate, status=SUBMITTED, answers={"learn.preferences": ["new"]},
                     submitted_at=utcnow() - timedelta(days=1))
    db.session.add_all([old, new])
    db.session.commit()
    return keep, duplicate, round_


def answers_of(org_id):
    return [s.answers for s in db.session.scalars(sa.select(Submission).where(Submission.organisation_id == org_id))]


def test_the_preview_shows_both_answers_and_changes_nothing(client, auth, world, both_answered):
    keep, duplicate, round_ = both_answered
    auth.login(world["people"]["secretariat"].email)
    preview = client.post("/desk/organisations/merge", data={"source": duplicate.id, "target": keep.id,
                                                            "reason": "same coalition"})
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "Both answered" in page and f'name="keep-{round_.id}"' in page
    assert f'value="source" checked' in page  # the newest answers are kept unless chosen otherwise
    db.session.expire_all()
    assert db.session.get(Organisation, duplicate.id).deleted_at is None
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "merge_organisation")) is None


@pytest.mark.parametrize("choice, kept", [(None, ["new"]), ("target", ["old"]), ("source", ["new"])])
def test_a_round_both_answered_keeps_one_set_and_leaves_nothing_on_the_duplicate(
        client, auth, world, both_answered, choice, kept):
    keep, duplicate, round_ = both_answered
    auth.login(world["people"]["secretariat"].email)
    data = {"source": duplicate.id, "target": keep.id, "reason": "same coalition"}
    if choice:
        data[f"keep-{round_.id}"] = choice
    assert client.post("/desk/organisations/merge/confirm", data=data).status_code == 302
    db.session.expire_all()
    assert db.session.get(Organisation, duplicate.id).deleted_at is not None
    assert answers_of(duplicate.id) == []  # nothing left attached to the deleted organisation
    assert answers_of(keep.id) == [{"learn.preferences": kept}]
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "merge_organisation"))
    (removed,) = entry.details["answers_removed"]  # the other set is kept in the audit log
    assert removed["answers"]["learn.preferences"] != kept


def test_merging_into_itself_is_refused_at_the_confirmation_too(client, auth, world, create_org):
    only = create_org("Only One")
    auth.login(world["people"]["secretariat"].email)
    response = client.post("/desk/organisations/merge/confirm",
                           data={"source": only.id, "target": only.id, "reason": "x"}, follow_redirects=True)
    assert "cannot be merged into itself" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(Organisation, only.id).deleted_at is None
