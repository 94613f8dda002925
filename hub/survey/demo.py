"""Demo capacity mapping: the round "Capacity mapping 2026" answered by most demo organisations.

Answers are drawn from a seeded random generator around regional profiles (strengths and
weaknesses differ by region, North and South), so the map shows contrasts and the suggestions
make sense. Idempotent: the round is found by its title and existing answers are never touched.
"""

import random
import zlib
from datetime import date, timedelta

import sqlalchemy as sa

from hub.db import utcnow
from hub.extensions import db
from hub.survey import questionnaire as q
from hub.survey import services
from hub.survey.models import CLOSED, DRAFT, SUBMITTED, Submission, SurveyRound

TITLE, EARLIER = "Capacity mapping 2026", "Capacity mapping 2025"
#: Two years back, closed: the round comparison and the profiles' trends show growth since.
FIRST = "Capacity mapping 2024"
#: Left for the demo focal point to answer (in French) by hand.
UNANSWERED = {"coalition-france"}
STRONG = {
    "africa": {"budget_tracking", "coalition_building", "financing", "right_to_education", "advocacy"},
    "asia_pacific": {"youth_adult_learning", "emergencies", "youth_engagement", "mel", "policy_research"},
    "latin_america": {"right_to_education", "privatisation", "legal_mechanisms", "advocacy", "media"},
    "mena": {"emergencies", "gender", "inclusion", "coalition_building"},
    "europe_north_america": {"policy_research", "resource_mobilisation", "media", "digital_advocacy",
                             "financing", "knowledge_management", "mel"},
}
WEAK = {
    "africa": {"digital_advocacy", "resource_mobilisation", "knowledge_management", "mel", "digital"},
    "asia_pacific": {"legal_mechanisms", "resource_mobilisation", "digital_advocacy"},
    "latin_america": {"resource_mobilisation", "budget_tracking", "climate"},
    "mena": {"digital_advocacy", "media", "resource_mobilisation", "mel", "budget_tracking"},
    "europe_north_america": {"youth_engagement", "early_childhood"},
}
#: Nobody offers to share these, whatever their strength: the movement-wide gaps page has something to show.
NOT_OFFERED = {"legal_mechanisms", "youth_engagement"}
EVIDENCE = "We led a national campaign on this in 2025 and trained partner organisations."
OPEN_TEXTS = {
    "open.best_practice": "Monthly peer calls between coalition coordinators, with a short written summary.",
    "open.innovation": "Community scorecards filled in by parents and students, published online.",
    "open.blockers": "Little time, and most materials exist only in English.",
}


def _strength(rng, org, area) -> int:
    base = 2.6 if org.north_south == "north" else 1.6
    base += 1.2 if area in STRONG.get(org.region, ()) else 0
    base -= 1.0 if area in WEAK.get(org.region, ()) else 0
    return max(0, min(4, round(base + rng.gauss(0, 0.8))))


def _need(rng, org, strength: int) -> str:
    if strength >= 3:
        return "none"
    if strength <= 1 and (org.north_south == "south" or rng.random() < 0.3):
        return "priority" if rng.random() < 0.75 else "some"
    return "some" if rng.random() < 0.7 else "none"


def answers_for(org, questionnaire: dict, years_ago: int = 0) -> dict:
    """Plausible answers for one organisation, the same every time (seeded by its slug and the round)."""
    rng = random.Random(zlib.crc32(org.slug.encode()) + 7919 * years_ago)
    answers = {}
    for question in q.questions(questionnaire):
        qid = question["id"]
        if qid.endswith(".strength"):
            answers[qid] = _strength(rng, org, question["area"])
        elif qid.endswith(".need"):
            answers[qid] = _need(rng, org, answers[qid.replace(".need", ".strength")])
        elif qid.endswith(".evidence") and answers.get(qid.replace(".evidence", ".strength"), 0) == 4:
            answers[qid] = EVIDENCE
    answers["offer.areas"] = sorted(area for area in q.CAPACITIES
                                    if answers.get(f"capacity.{area}.strength", 0) >= 3 and rng.random() < 0.85
                                    and area not in NOT_OFFERED)
    answers["offer.formats"] = sorted(rng.sample(sorted(q.OPTIONS["formats"]), k=rng.randint(1, 3)))
    answers["offer.languages"] = sorted(set(org.working_languages or []) & set(q.OPTIONS["languages"])) or ["en"]
    answers["learn.preferences"] = sorted(rng.sample(sorted(q.OPTIONS["learning"]), k=rng.randint(1, 3)))
    answers.update({key: text for key, text in OPEN_TEXTS.items() if rng.random() < 0.6})
    return q.clean(questionnaire, answers)


def load(people: dict, organisations: dict) -> SurveyRound:
    """Open the demo round (once) and answer it for most demo organisations (once each); the year
    before is a closed round, whose averages members see on the map (an open round's are withheld)."""
    earlier = db.session.scalar(sa.select(SurveyRound).where(SurveyRound.title == EARLIER))
    if earlier is None:  # added as it stands a year on: closed, nobody notified
        earlier = closed_round(EARLIER, days_ago=365)
    _answer(earlier, organisations, years_ago=1)
    load_history(organisations)
    survey_round = db.session.scalar(sa.select(SurveyRound).where(SurveyRound.title == TITLE))
    if survey_round is None:
        survey_round = services.open_round(TITLE, date.today() - timedelta(days=14), date.today() + timedelta(days=60),
                                           people.get("secretariat@example.org"))
    _answer(survey_round, organisations, years_ago=0)
    reopen_one(survey_round, organisations)
    return survey_round


def _answer(survey_round: SurveyRound, organisations: dict, years_ago: int) -> None:
    answered = set(db.session.scalars(sa.select(Submission.organisation_id).where(
        Submission.round_id == survey_round.id)))
    for slug, org in sorted(organisations.items()):
        rng = random.Random(zlib.crc32(slug.encode()) + 1 + 7919 * years_ago)
        if slug in UNANSWERED or org.id in answered or rng.random() < 0.1:
            continue
        submitted = rng.random() < 0.9
        answers = answers_for(org, survey_round.questionnaire, years_ago)
        db.session.add(Submission(round=survey_round, organisation=org, answers=answers,
                                  status=SUBMITTED if submitted else DRAFT,
                                  submitted_at=utcnow() if submitted else None))
    db.session.flush()


def closed_round(title: str, days_ago: int) -> SurveyRound:
    """A round of the default questionnaire as it stands once closed, opened `days_ago` (nobody notified)."""
    opened, questionnaire = date.today() - timedelta(days=days_ago), q.default_questionnaire()
    survey_round = SurveyRound(title=title, questionnaire=questionnaire, status=CLOSED,
                               questionnaire_version=str(questionnaire.get("version", q.VERSION)),
                               opens_on=opened, closes_on=opened + timedelta(days=60),
                               created_at=utcnow() - timedelta(days=days_ago),
                               closed_at=utcnow() - timedelta(days=days_ago - 60))
    db.session.add(survey_round)
    return survey_round


def load_history(organisations: dict) -> SurveyRound:
    """The closed round of two years ago (once), answered lower than the year after: capacities grew."""
    first = db.session.scalar(sa.select(SurveyRound).where(SurveyRound.title == FIRST))
    if first is not None:
        return first
    first = closed_round(FIRST, days_ago=730)
    questionnaire = first.questionnaire
    for slug, org in sorted(organisations.items()):
        rng = random.Random(zlib.crc32(slug.encode()) + 2 * 7919)
        if slug in UNANSWERED or rng.random() < 0.1:
            continue
        answers = answers_for(org, questionnaire, years_ago=1)  # the year after's answers, a step lower
        for qid, value in list(answers.items()):
            if qid.endswith(".strength") and value > 0 and rng.random() < 0.6:
                answers[qid] = value - 1
                if qid.replace(".strength", ".need") in answers:
                    answers[qid.replace(".strength", ".need")] = _need(rng, org, value - 1)
        db.session.add(Submission(round=first, organisation=org, answers=q.clean(questionnaire, answers),
                                  status=SUBMITTED, submitted_at=utcnow() - timedelta(days=680)))
    db.session.flush()
    return first


def reopen_one(survey_round: SurveyRound, organisations: dict) -> None:
    """One organisation's answers reopened by the secretariat (the map counts them), once: answers a person
    has touched since are left alone."""
    for slug in ("lebanon-network", "palestine-coalition", "arab-campaign"):
        org = organisations.get(slug)
        submission = services.submission_for(survey_round, org) if org else None
        if submission is not None and submission.submitted_at is not None and submission.updated_by_id is None:
            if submission.status == SUBMITTED:
                submission.status = DRAFT
                db.session.flush()
            return
