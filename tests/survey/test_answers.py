"""Answering a round: drafts, submitting, required answers, conditions and every kind of bad input."""

from datetime import date, timedelta

import sqlalchemy as sa

from hub.audit import AuditEntry
from hub.extensions import db
from hub.survey.models import DRAFT, SUBMITTED, Submission
from tests.survey.conftest import form_data, full_answers


def url(survey_round, org, edit=True):
    return f"/capacity/rounds/{survey_round.id}/answers/{org.slug}" + ("/edit" if edit else "")


def stored(survey_round, org):
    db.session.expire_all()
    return db.session.scalar(sa.select(Submission).where(Submission.round_id == survey_round.id,
                                                         Submission.organisation_id == org.id))


def test_focal_point_saves_a_draft_and_comes_back(client, auth, create_user, survey_round):
    focal = create_user(is_focal_point=True)
    auth.login(focal.email)
    page = client.get(url(survey_round, focal.organisation))
    assert page.status_code == 200
    assert "Budget tracking: strength" in page.get_data(as_text=True)
    response = client.post(url(survey_round, focal.organisation),
                           data=form_data({"capacity.budget_tracking.strength": 3, "open.blockers": "Time"}))
    assert response.status_code == 302
    submission = stored(survey_round, focal.organisation)
    assert submission.status == DRAFT
    assert submission.answers == {"capacity.budget_tracking.strength": 3, "open.blockers": "Time"}
    again = client.get(url(survey_round, focal.organisation)).get_data(as_text=True)
    assert '<input checked id="capacity__budget_tracking__strength-3"' in again
    assert "Time</textarea>" in again


def test_submit_with_required_answers_missing_shows_which_and_keeps_the_rest(client, auth, create_user,
                                                                             survey_round):
    focal = create_user(is_focal_point=True)
    auth.login(focal.email)
    answers = full_answers()
    del answers["capacity.mel.need"], answers["learn.preferences"]
    answers["open.innovation"] = "Scorecards by parents"
    response = client.post(url(survey_round, focal.organisation), data=form_data(answers, action="submit"))
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "These questions need an answer before you submit" in html
    assert "Monitoring, evaluation and learning: need for support" in html
    assert "How does your organisation prefer to learn?" in html
    assert "Scorecards by parents" in html  # what was typed stays on the page
    submission = stored(survey_round, focal.organisation)
    assert submission.status == DRAFT  # kept as a draft, not submitted
    assert submission.answers["open.innovation"] == "Scorecards by parents"


def test_submit_complete_answers(client, auth, create_user, survey_round):
    focal = create_user(is_focal_point=True)
    auth.login(focal.email)
    response = client.post(url(survey_round, focal.organisation), data=form_data(full_answers(), action="submit"))
    assert response.status_code == 302
    submission = stored(survey_round, focal.organisation)
    assert submission.status == SUBMITTED and submission.submitted_at is not None
    # Submitted answers are no longer editable until the secretariat reopens them.
    assert client.post(url(survey_round, focal.organisation), data=form_data(full_answers(), 2)).status_code == 403


def test_evidence_is_kept_only_when_strength_is_3_or_more(client, auth, create_user, survey_round):
    focal = create_user(is_focal_point=True)
    auth.login(focal.email)
    client.post(url(survey_round, focal.organisation), data=form_data({
        "theme.gender.strength": 2, "theme.gender.evidence": "Hidden box text",
        "theme.financing.strength": 4, "theme.financing.evidence": "Budget campaign 2025"}))
    answers = stored(survey_round, focal.organisation).answers
    assert "theme.gender.evidence" not in answers
    assert answers["theme.financing.evidence"] == "Budget campaign 2025"


def test_value_out_of_range_posted_by_hand_is_refused(client, auth, create_user, survey_round):
    focal = create_user(is_focal_point=True)
    auth.login(focal.email)
    for field, value in (("theme.gender.strength", 7), ("theme.gender.strength", "-1"),
                         ("capacity.mel.need", "urgent"), ("offer.formats", ["mentoring", "money"]),
                         ("theme.gender.strength", "abc")):
        response = client.post(url(survey_round, focal.organisation), data=form_data({field: value}))
        assert response.status_code == 400
        assert "Please correct the answers marked below" in response.get_data(as_text=True)
    assert stored(survey_round, focal.organisation) is None


def test_answering_for_another_organisation_by_changing_the_id(client, auth, create_user, create_org,
                                                               survey_round):
    focal = create_user(is_focal_point=True)
    other = create_org("Other coalition", "SN")
    db.session.commit()
    auth.login(focal.email)
    assert client.get(url(survey_round, other)).status_code == 404
    assert client.post(url(survey_round, other), data=form_data(full_answers())).status_code == 404
    assert client.get(url(survey_round, other, edit=False)).status_code == 404
    assert stored(survey_round, other) is None


def test_member_who_is_not_focal_point_can_read_but_not_answer(client, auth, create_user, survey_round):
    member = create_user()
    auth.login(member.email)
    assert client.get(url(survey_round, member.organisation, edit=False)).status_code == 200
    assert client.post(url(survey_round, member.organisation), data=form_data(full_answers())).status_code == 403


def test_two_focal_points_saving_at_the_same_time(client, app, auth, create_user, survey_round):
    first = create_user(is_focal_point=True)
    second = create_user(is_focal_point=True, organisation=first.organisation)
    org = first.organisation
    auth.login(first.email)
    client.post(url(survey_round, org), data=form_data({"open.blockers": "Start"}, version=0))
    version = stored(survey_round, org).version
    # Both open the page at this version; the first saves, then the second.
    client.post(url(survey_round, org), data=form_data({"open.blockers": "First's words"}, version=version))
    other = app.test_client()
    other.post("/login", data={"email": second.email, "password": "correct horse battery staple"})
    response = other.post(url(survey_round, org), data=form_data({"open.blockers": "Second's words"}, version=version))
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "Someone else saved these answers" in html
    assert "Second&#39;s words" in html  # the second person's text is still on their page
    assert stored(survey_round, org).answers["open.blockers"] == "First's words"  # nothing overwritten


def test_two_people_starting_the_same_draft(client, app, auth, create_user, survey_round):
    first = create_user(is_focal_point=True)
    second = create_user(is_focal_point=True, organisation=first.organisation)
    auth.login(first.email)
    client.post(url(survey_round, first.organisation), data=form_data({"open.blockers": "A"}, version=0))
    other = app.test_client()
    other.post("/login", data={"email": second.email, "password": "correct horse battery staple"})
    response = other.post(url(survey_round, first.organisation), data=form_data({"open.blockers": "B"}, version=0))
    assert response.status_code == 409
    assert stored(survey_round, first.organisation).answers == {"open.blockers": "A"}


def test_answering_a_closed_round(client, auth, create_user, survey_round):
    focal = create_user(is_focal_point=True)
    survey_round.status = "closed"
    db.session.commit()
    auth.login(focal.email)
    page = client.get(url(survey_round, focal.organisation), follow_redirects=True)
    assert "This round is closed" in page.get_data(as_text=True)
    assert client.post(url(survey_round, focal.organisation), data=form_data(full_answers())).status_code == 403
    assert stored(survey_round, focal.organisation) is None


def test_answering_after_the_closing_date(client, auth, create_user, survey_round):
    focal = create_user(is_focal_point=True)
    survey_round.closes_on = date.today() - timedelta(days=1)
    db.session.commit()
    auth.login(focal.email)
    assert client.post(url(survey_round, focal.organisation), data=form_data(full_answers())).status_code == 403


def test_secretariat_reopens_a_submission(client, auth, create_user, survey_round, submit_answers):
    focal = create_user(is_focal_point=True)
    secretariat = create_user(is_secretariat=True)
    submission = submit_answers(focal.organisation)
    auth.login(secretariat.email)
    response = client.post(url(survey_round, focal.organisation, edit=False) + "/reopen")
    assert response.status_code == 302
    assert stored(survey_round, focal.organisation).status == DRAFT
    audited = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "reopen_answers"))
    assert (audited.object_id, audited.actor_id) == (submission.id, secretariat.id)
    auth.logout()
    auth.login(focal.email)
    version = stored(survey_round, focal.organisation).version
    response = client.post(url(survey_round, focal.organisation),
                           data=form_data(full_answers(strength=4), version=version, action="submit"))
    assert response.status_code == 302
    assert stored(survey_round, focal.organisation).answers["theme.gender.strength"] == 4
    assert submission.id == stored(survey_round, focal.organisation).id


def test_earlier_rounds_stay_readable(client, auth, create_user, survey_round, submit_answers):
    focal = create_user(is_focal_point=True)
    submit_answers(focal.organisation, full_answers(strength=1, **{"open.blockers": "Old answer"}))
    survey_round.status = "closed"
    db.session.commit()
    auth.login(focal.email)
    page = client.get(url(survey_round, focal.organisation, edit=False))
    assert page.status_code == 200
    assert "Old answer" in page.get_data(as_text=True)
