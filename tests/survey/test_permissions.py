"""Every capacity-mapping route against every role: anonymous, member, another organisation's focal
point, the organisation's own focal point, and the secretariat."""

import pytest

from hub.extensions import db
from hub.survey.models import DRAFT, Introduction, Submission

BLUEPRINTS = ("survey", "survey_map")
LOGIN = "login"
# (endpoint, method) -> expected status for: member, other focal point, own focal point, secretariat.
EXPECTED = {
    ("survey.index", "GET"): (200, 200, 200, 200),
    ("survey.new_round", "GET"): (403, 403, 403, 200),
    ("survey.new_round", "POST"): (403, 403, 403, 302),
    ("survey.round_detail", "GET"): (200, 200, 200, 200),
    ("survey.edit_round", "GET"): (403, 403, 403, 200),
    ("survey.edit_round", "POST"): (403, 403, 403, 302),
    ("survey.close_round", "POST"): (403, 403, 403, 302),
    ("survey.reopen_round", "POST"): (403, 403, 403, 302),
    ("survey.answers", "GET"): (404, 404, 200, 200),
    ("survey.answer", "GET"): (404, 404, 200, 403),
    ("survey.answer", "POST"): (404, 404, 302, 403),
    ("survey.reopen_submission", "POST"): (404, 404, 403, 302),
    ("survey.export", "GET"): (403, 403, 403, 200),
    ("survey_map.overview", "GET"): (200, 200, 200, 200),
    ("survey_map.export_csv", "GET"): (200, 200, 200, 200),
    ("survey_map.profile", "GET"): (404, 404, 200, 200),
    ("survey_map.suggestions", "GET"): (404, 404, 200, 200),
    ("survey_map.introductions", "GET"): (403, 403, 403, 200),
    ("survey_map.introductions", "POST"): (403, 403, 403, 302),
    ("survey_map.record_outcome", "POST"): (403, 403, 403, 302),
}
ROLES = ("anonymous", "member", "other_focal_point", "focal_point", "secretariat")


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint.split(".")[0] in BLUEPRINTS:
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                yield rule, method


def test_every_route_is_in_the_table(app):
    assert {(rule.endpoint, method) for rule, method in routes(app)} == set(EXPECTED)


@pytest.mark.parametrize("role", ROLES)
def test_route_permissions(role, app, client, auth, create_user, create_org, survey_round):
    org = create_org("Answering coalition", "KE")
    other = create_org("Other coalition", "FR")
    submission = Submission(round=survey_round, organisation=org, status=DRAFT, answers={})
    db.session.add(submission)
    db.session.flush()
    intro = Introduction(round=survey_round, seeker=org, helper=other, area="mel")
    db.session.add(intro)
    db.session.commit()
    people = {"member": dict(organisation=other), "other_focal_point": dict(organisation=other, is_focal_point=True),
              "focal_point": dict(organisation=org, is_focal_point=True),
              "secretariat": dict(organisation=other, is_secretariat=True)}
    if role != "anonymous":
        auth.login(create_user(**people[role]).email)
    values = {"round_id": survey_round.id, "slug": org.slug, "fmt": "csv", "intro_id": intro.id}
    forms = {"survey.new_round": {"title": "Round two"}, "survey.edit_round": {"title": "Renamed"},
             "survey.answer": {"version": str(submission.version), "save": "1"},
             "survey_map.introductions": {"seeker": org.id, "helper": other.id, "area": "mel"},
             "survey_map.record_outcome": {"outcome": "in_contact"}}
    for rule, method in routes(app):
        with app.test_request_context():
            url = app.url_for(rule.endpoint, **{k: v for k, v in values.items() if k in rule.arguments})
        response = client.open(url, method=method, data=forms.get(rule.endpoint, {}))
        if role == "anonymous":
            assert response.status_code == 302 and "/login" in response.location, (rule.endpoint, method)
        else:
            expected = EXPECTED[(rule.endpoint, method)][ROLES.index(role) - 1]
            assert response.status_code == expected, (rule.endpoint, method, response.status_code)
