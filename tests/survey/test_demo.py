"""The demo round: most organisations answer, regions differ, and loading twice creates nothing twice."""

import sqlalchemy as sa

from hub.extensions import db
from hub.organisations.models import Organisation
from hub.survey import services
from hub.survey.models import SUBMITTED, Introduction, Submission, SurveyRound
from hub.survey.plan_models import Plan


def counts():
    return (db.session.scalar(sa.select(sa.func.count()).select_from(SurveyRound)),
            db.session.scalar(sa.select(sa.func.count()).select_from(Submission)))


def test_demo_load_is_idempotent_and_meaningful(runner):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    first = counts()
    organisations = db.session.scalar(sa.select(sa.func.count()).select_from(Organisation))
    assert first[0] == 3 and first[1] >= organisations * 0.7 * 3
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    assert counts() == first
    survey_round = services.latest_round()
    assert survey_round.title == "Capacity mapping 2026" and survey_round.status == "open"
    france = db.session.scalar(sa.select(Organisation).where(Organisation.slug == "coalition-france"))
    assert services.submission_for(survey_round, france) is None  # left for the demo focal point
    # A Southern organisation with priority needs gets suggestions.
    senegal = db.session.scalar(sa.select(Organisation).where(Organisation.slug == "cse-senegal"))
    found = services.suggestions_for(survey_round, senegal)
    assert found and any(found.values())
    submitted = db.session.scalars(sa.select(Submission).where(Submission.status == SUBMITTED)).all()
    assert len(submitted) >= first[1] * 0.7
    # Members see the closed round's averages on the map (the open round's are published at its close).
    earlier = services.previous_round(survey_round)
    assert earlier.title == "Capacity mapping 2025" and earlier.status == "closed"
    # The Senegalese coalition's plan, one requested and one accepted exchange, last year's with its outcome.
    plan = db.session.scalar(sa.select(Plan).where(Plan.organisation_id == senegal.id))
    assert plan.round_id == survey_round.id and plan.priorities and len(plan.actions) >= 2
    states = sorted(i.status for i in db.session.scalars(sa.select(Introduction).where(
        Introduction.seeker_id == senegal.id, Introduction.round_id == survey_round.id)))
    assert states == ["accepted", "requested"]
    assert db.session.scalar(sa.select(Introduction.outcome).where(Introduction.round_id == earlier.id)) == "collaborating"
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Plan)) == 1  # loaded twice, added once


def test_demo_shows_change_between_closed_rounds(runner, client, auth):
    assert runner.invoke(args=["demo", "load"]).exit_code == 0
    first = db.session.scalar(sa.select(SurveyRound).where(SurveyRound.title == "Capacity mapping 2024"))
    earlier = db.session.scalar(sa.select(SurveyRound).where(SurveyRound.title == "Capacity mapping 2025"))
    assert first.status == "closed" and services.previous_round(earlier).id == first.id
    auth.login("member@example.org", "learning-hub-demo")
    html = client.get(f"/capacity/map/change?round={earlier.id}&since={first.id}").get_data(as_text=True)
    assert "Los mayores aumentos" in html  # "The largest rises", the demo member reads Spanish
    latest = services.latest_round()
    gaps = client.get("/capacity/map/gaps").get_data(as_text=True)  # the latest closed round, for a member
    assert "<table" in gaps and "Capacity mapping 2025" in gaps.split("<caption>")[1]
    html = client.get(f"/capacity/map/?round={latest.id}").get_data(as_text=True)
    assert "Las respuestas de 1 organización están reabiertas" in html  # "1 organisation's answers are reopened"
