"""The secretariat opens, edits and closes rounds; a round keeps the questionnaire it opened with."""

import json

import sqlalchemy as sa

from hub.extensions import db
from hub.survey import questionnaire as q
from hub.survey.models import SurveyRound


def only_round():
    db.session.expire_all()
    return db.session.scalar(sa.select(SurveyRound))


def test_secretariat_opens_a_round_with_the_default_questionnaire(client, auth, create_user):
    auth.login(create_user(is_secretariat=True).email)
    page = client.get("/capacity/rounds/new").get_data(as_text=True)
    assert "capacity.budget_tracking.need" in page  # the questionnaire, ready to edit
    response = client.post("/capacity/rounds/new", data={"title": "Capacity mapping 2026",
                                                           "opens_on": "2026-01-10", "closes_on": "2026-03-31"})
    assert response.status_code == 302
    survey_round = only_round()
    assert survey_round.questionnaire == q.default_questionnaire()
    assert survey_round.questionnaire_version == q.VERSION and survey_round.status == "open"
    assert str(survey_round.closes_on) == "2026-03-31"


def test_an_edited_questionnaire_is_used_and_kept(client, auth, create_user):
    auth.login(create_user(is_secretariat=True).email)
    edited = q.default_questionnaire()
    edited["version"] = "2027.1"
    edited["sections"][3]["questions"].append({"id": "open.climate", "type": "long",
                                               "text": "How does climate change affect your work?"})
    client.post("/capacity/rounds/new", data={"title": "Round 2027", "questionnaire": json.dumps(edited)})
    survey_round = only_round()
    assert survey_round.questionnaire_version == "2027.1"
    focal = create_user(is_focal_point=True)
    auth.logout()
    auth.login(focal.email)
    page = client.get(f"/capacity/rounds/{survey_round.id}/answers/{focal.organisation.slug}/edit")
    assert "How does climate change affect your work?" in page.get_data(as_text=True)


def test_a_broken_questionnaire_is_refused_with_the_text_kept(client, auth, create_user):
    auth.login(create_user(is_secretariat=True).email)
    response = client.post("/capacity/rounds/new", data={"title": "Broken", "questionnaire": "{not json"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "This is not valid JSON." in html and "{not json" in html
    bad = {"sections": [{"id": "x", "questions": [{"id": "a", "type": "slider"}, {"id": "a", "type": "long"}]}]}
    html = client.post("/capacity/rounds/new", data={"title": "Broken", "questionnaire": json.dumps(bad)}
                       ).get_data(as_text=True)
    assert "Unknown type for a." in html and "Missing or repeated question id: a" in html
    assert only_round() is None


def test_dates_must_be_in_order(client, auth, create_user):
    auth.login(create_user(is_secretariat=True).email)
    html = client.post("/capacity/rounds/new", data={"title": "Dates", "opens_on": "2026-05-01",
                                                      "closes_on": "2026-04-01"}).get_data(as_text=True)
    assert "The round cannot close before it opens." in html and only_round() is None


def test_close_edit_and_reopen_a_round(client, auth, create_user, survey_round):
    auth.login(create_user(is_secretariat=True).email)
    client.post(f"/capacity/rounds/{survey_round.id}/close")
    assert only_round().status == "closed"
    assert "Open the round again" in client.get(f"/capacity/rounds/{survey_round.id}").get_data(as_text=True)
    client.post(f"/capacity/rounds/{survey_round.id}/edit", data={"title": "Renamed", "closes_on": "2026-12-31"})
    assert only_round().title == "Renamed"
    client.post(f"/capacity/rounds/{survey_round.id}/reopen")
    assert only_round().status == "open"


def test_round_page_lists_answers_for_the_secretariat(client, auth, create_user, create_org, submit_answers,
                                                     survey_round):
    submit_answers(create_org("Kenya coalition", "KE"))
    auth.login(create_user(is_secretariat=True).email)
    html = client.get(f"/capacity/rounds/{survey_round.id}").get_data(as_text=True)
    assert "Kenya coalition" in html and "Submitted" in html
    auth.logout()
    auth.login(create_user().email)
    assert "Kenya coalition" not in client.get(f"/capacity/rounds/{survey_round.id}").get_data(as_text=True)


def test_answer_page_in_french_and_arabic(client, auth, create_user, survey_round):
    focal = create_user(is_focal_point=True, locale="fr")
    auth.login(focal.email)
    page = client.get(f"/capacity/rounds/{survey_round.id}/answers/{focal.organisation.slug}/edit")
    assert '<html lang="fr" dir="ltr">' in page.get_data(as_text=True)
    client.post("/language", data={"lang": "ar"})
    page = client.get(f"/capacity/rounds/{survey_round.id}/answers/{focal.organisation.slug}/edit")
    assert '<html lang="ar" dir="rtl">' in page.get_data(as_text=True)


def test_nav_link_for_signed_in_people_only(client, auth, create_user):
    assert "Capacity map" not in client.get("/").get_data(as_text=True)
    auth.login(create_user().email)
    assert "Capacity map" in client.get("/").get_data(as_text=True)


def test_round_page_lists_organisations_that_have_not_started(client, auth, create_user, create_org,
                                                              submit_answers, survey_round):
    submit_answers(create_org("Answered coalition", "KE"))
    create_org("Silent coalition", "GH")
    auth.login(create_user(is_secretariat=True, organisation=create_org("Secretariat", "BE")).email)
    html = client.get(f"/capacity/rounds/{survey_round.id}").get_data(as_text=True)
    not_started = html.split("Not started yet")[1]
    assert "Silent coalition" in not_started and "Answered coalition" not in not_started
