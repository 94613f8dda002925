"""Who can help whom, on the page, and introductions by email in each focal point's language."""

import re

import sqlalchemy as sa

from hub.extensions import db
from hub.survey.models import Introduction
from tests.conftest import body
from tests.survey.conftest import full_answers


def setup_pair(create_user, create_org, submit_answers):
    seeker = create_org("Coalition sénégalaise", "SN", working_languages=["fr"])
    helper = create_org("Coalition Éducation France", "FR", working_languages=["fr"])
    weak = create_org("Weak coalition", "GH", working_languages=["en"])
    submit_answers(seeker, full_answers(strength=1, need="some", **{"capacity.budget_tracking.need": "priority"}))
    submit_answers(helper, full_answers(strength=4, need="none", **{"offer.areas": ["budget_tracking"]}))
    submit_answers(weak, full_answers(strength=2, **{"offer.areas": ["budget_tracking"]}))
    seeker_focal = create_user(organisation=seeker, is_focal_point=True, locale="fr", email="moussa@example.org")
    helper_focal = create_user(organisation=helper, is_focal_point=True, locale="ar", email="layla@example.org")
    return seeker, helper, seeker_focal, helper_focal


def test_focal_point_sees_suggestions_with_reasons(client, auth, create_user, create_org, submit_answers):
    seeker, helper, seeker_focal, _ = setup_pair(create_user, create_org, submit_answers)
    auth.login(seeker_focal.email)
    client.post("/language", data={"lang": "en"})
    html = client.get(f"/capacity/map/suggestions/{seeker.slug}").get_data(as_text=True)
    assert "Budget tracking" in html and "Coalition Éducation France" in html
    assert "rates itself 4 of 4" in html
    assert "Weak coalition" not in html
    assert "Introduce them" not in html  # only the secretariat introduces
    assert f'href="/organisations/{helper.slug}">Coalition Éducation France</a>' in html, re.findall(r"<h3>.*?</h3>", html)
    assert client.get(f"/organisations/{helper.slug}").status_code == 200
    assert client.get(f"/capacity/map/suggestions/{helper.slug}").status_code == 404


def test_no_suggestions_without_answers(client, auth, create_user, survey_round):
    focal = create_user(is_focal_point=True)
    auth.login(focal.email)
    html = client.get(f"/capacity/map/suggestions/{focal.organisation.slug}").get_data(as_text=True)
    assert "No suggestions" in html


def test_secretariat_introduces_and_records_outcome(client, auth, create_user, create_org, submit_answers,
                                                    outbox, survey_round):
    seeker, helper, seeker_focal, helper_focal = setup_pair(create_user, create_org, submit_answers)
    auth.login(create_user(is_secretariat=True).email)
    response = client.post(f"/capacity/map/introductions?round={survey_round.id}",
                           data={"seeker": seeker.id, "helper": helper.id, "area": "budget_tracking"})
    assert response.status_code == 302
    intro = db.session.scalar(sa.select(Introduction))
    assert (intro.seeker_id, intro.helper_id, intro.area) == (seeker.id, helper.id, "budget_tracking")
    to_seeker, to_helper = outbox.last_to("moussa@example.org"), outbox.last_to("layla@example.org")
    assert to_seeker["Content-Language"] == "fr" and to_helper["Content-Language"] == "ar"
    assert "Coalition Éducation France" in body(to_seeker) and "layla@example.org" in body(to_seeker)
    assert "Coalition sénégalaise" in body(to_helper) and "moussa@example.org" in body(to_helper)
    listed = client.get("/capacity/map/introductions").get_data(as_text=True)
    assert "Coalition sénégalaise and Coalition Éducation France" in listed and "Introduced, no news yet" in listed
    response = client.post(f"/capacity/map/introductions/{intro.id}/outcome",
                           data={"outcome": "collaborating", "outcome_note": "Joint budget brief"})
    assert response.status_code == 302
    db.session.refresh(intro)
    assert intro.outcome == "collaborating" and intro.outcome_note == "Joint budget brief"
    page = client.get("/capacity/map/introductions").get_data(as_text=True)
    assert "They are working together" in page and "Joint budget brief" in page


def test_introduction_that_is_not_a_suggestion_is_refused(client, auth, create_user, create_org, submit_answers,
                                                          outbox, survey_round):
    seeker, helper, _, _ = setup_pair(create_user, create_org, submit_answers)
    auth.login(create_user(is_secretariat=True).email)
    response = client.post(f"/capacity/map/introductions?round={survey_round.id}",
                           data={"seeker": seeker.id, "helper": helper.id, "area": "media"})
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Introduction)) == 0
    assert outbox.messages == []


def test_bad_outcome_is_refused(client, auth, create_user, create_org, submit_answers, outbox, survey_round):
    seeker, helper, _, _ = setup_pair(create_user, create_org, submit_answers)
    auth.login(create_user(is_secretariat=True).email)
    client.post(f"/capacity/map/introductions?round={survey_round.id}",
                data={"seeker": seeker.id, "helper": helper.id, "area": "budget_tracking"})
    intro = db.session.scalar(sa.select(Introduction))
    client.post(f"/capacity/map/introductions/{intro.id}/outcome", data={"outcome": "married"})
    db.session.refresh(intro)
    assert intro.outcome == "sent"


def test_introduction_to_an_organisation_without_focal_point(client, auth, create_user, create_org,
                                                             submit_answers, outbox, survey_round):
    seeker, helper, _, helper_focal = setup_pair(create_user, create_org, submit_answers)
    helper_focal.is_focal_point = False
    db.session.commit()
    auth.login(create_user(is_secretariat=True).email)
    response = client.post(f"/capacity/map/introductions?round={survey_round.id}",
                           data={"seeker": seeker.id, "helper": helper.id, "area": "budget_tracking"},
                           follow_redirects=True)
    assert "Coalition Éducation France has no focal point on the hub" in response.get_data(as_text=True)
    assert [m["To"] for m in outbox.messages] == ["moussa@example.org"]
    # Moussa reads French: the email says so in his language.
    assert "le secrétariat vous mettra en relation" in body(outbox.messages[0])
