"""Survey operations: rounds, answers, reopening, introductions. Services flush; the view commits."""

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from hub.accounts.models import ACTIVE as ACCOUNT_ACTIVE
from hub import signals
from hub.accounts import export
from hub.accounts.models import User
from hub.audit import record
from hub.db import utcnow
from hub.extensions import db
from hub.mail import absolute_url, send_email
from hub.organisations.models import Organisation
from hub.survey import exchanges, matching
from hub.survey import questionnaire as q
from hub.survey.models import CLOSED, DRAFT, OPEN, SUBMITTED, Introduction, Submission, SurveyRound


class Conflict(Exception):
    """Someone else saved these answers since this person loaded them."""


class MissingAnswers(Exception):
    """Submitting with required answers missing; .ids lists them."""

    def __init__(self, ids):
        super().__init__(ids)
        self.ids = ids


# --- Rounds ------------------------------------------------------------------------------------

def open_round(title: str, opens_on, closes_on, opened_by, questionnaire: dict | None = None) -> SurveyRound:
    """A new round, storing the questionnaire it is opened with (the default unless given)."""
    questionnaire = questionnaire or q.default_questionnaire()
    survey_round = SurveyRound(title=title.strip(), opens_on=opens_on, closes_on=closes_on, status=OPEN,
                               questionnaire=questionnaire, opened_by=opened_by,
                               questionnaire_version=str(questionnaire.get("version", q.VERSION)))
    db.session.add(survey_round)
    db.session.flush()
    record("open_round", survey_round, details={"title": survey_round.title}, actor=opened_by)
    signals.survey_round_opened.send(survey_round, actor=opened_by)
    return survey_round


def update_round(survey_round: SurveyRound, title: str, opens_on, closes_on) -> None:
    """Change a round's title and dates (never its questionnaire)."""
    survey_round.title, survey_round.opens_on, survey_round.closes_on = title.strip(), opens_on, closes_on
    db.session.flush()
    record("edit_round", survey_round, details={"title": survey_round.title, "opens_on": opens_on.isoformat() if opens_on else None,
                                                "closes_on": closes_on.isoformat() if closes_on else None})


def close_round(survey_round: SurveyRound) -> None:
    """Stop accepting answers; the round stays readable."""
    survey_round.status, survey_round.closed_at = CLOSED, utcnow()
    db.session.flush()
    record("close_round", survey_round)


def reopen_round(survey_round: SurveyRound) -> None:
    """Accept answers again."""
    survey_round.status, survey_round.closed_at = OPEN, None
    db.session.flush()
    record("reopen_round", survey_round)


def rounds():
    """Every round, newest first."""
    return db.session.scalars(sa.select(SurveyRound).order_by(SurveyRound.created_at.desc(),
                                                              SurveyRound.id.desc())).all()


def latest_round() -> SurveyRound | None:
    """The most recently opened round, or None."""
    return db.session.scalar(sa.select(SurveyRound).order_by(SurveyRound.created_at.desc(),
                                                             SurveyRound.id.desc()).limit(1))


def previous_round(survey_round: SurveyRound) -> SurveyRound | None:
    """The round opened just before this one, or None (to show change over time)."""
    return db.session.scalar(sa.select(SurveyRound).where(sa.or_(
        SurveyRound.created_at < survey_round.created_at,
        sa.and_(SurveyRound.created_at == survey_round.created_at, SurveyRound.id < survey_round.id)))
        .order_by(SurveyRound.created_at.desc(), SurveyRound.id.desc()).limit(1))


def not_started(survey_round: SurveyRound) -> list[Organisation]:
    """Listed organisations with no answers (not even a draft) to the round, by name."""
    started = sa.select(Submission.organisation_id).where(Submission.round_id == survey_round.id)
    return db.session.scalars(sa.select(Organisation).where(
        Organisation.status == "active", Organisation.deleted_at.is_(None), Organisation.id.not_in(started))
        .order_by(Organisation.name)).all()


# --- Answers -----------------------------------------------------------------------------------

def submission_for(survey_round: SurveyRound, organisation: Organisation) -> Submission | None:
    """The organisation's answers to the round, or None."""
    return db.session.scalar(sa.select(Submission).where(Submission.round_id == survey_round.id,
                                                         Submission.organisation_id == organisation.id))


def submissions(survey_round: SurveyRound, submitted_only: bool = False) -> list[Submission]:
    """The round's submissions with their organisations, by organisation name."""
    query = (sa.select(Submission).join(Submission.organisation).where(Submission.round_id == survey_round.id)
             .options(selectinload(Submission.organisation)).order_by(Organisation.name))
    if submitted_only:
        query = query.where(Submission.status == SUBMITTED)
    return db.session.scalars(query).all()


def save_answers(survey_round, organisation, answers: dict, by: User, expected_version: int | None,
                 submit: bool = False) -> Submission:
    """Save a draft (or submit) one organisation's answers; refuses a save based on an older version."""
    answers = q.clean(survey_round.questionnaire, answers)
    submission = submission_for(survey_round, organisation)
    if submission is None:
        if expected_version:
            raise Conflict()
        submission = Submission(round=survey_round, organisation=organisation, status=DRAFT)
        db.session.add(submission)
    elif submission.version != expected_version:
        raise Conflict()
    submission.answers = answers
    submission.updated_by = by
    db.session.flush()
    if submit and (missing := q.missing_required(survey_round.questionnaire, answers)):
        raise MissingAnswers(missing)  # the draft is saved; the view commits it and shows what is missing
    if submit:
        submission.status, submission.submitted_at, submission.submitted_by_id = SUBMITTED, utcnow(), by.id
    db.session.flush()
    return submission


def reopen_submission(submission: Submission, by: User | None = None) -> None:
    """The secretariat sends a submitted answer back to draft so the focal points can change it; they
    are told (a notification, and an email in each one's language)."""
    submission.status = DRAFT
    db.session.flush()
    record("reopen_answers", submission, details={"round": submission.round_id,
                                                  "organisation": submission.organisation_id}, actor=by)
    signals.answers_reopened.send(submission, actor=by)
    for person in focal_points(submission.organisation):
        send_email(person.email, "survey_answers_reopened", locale=person.locale, user_id=person.id,
                   about=[("survey_round", submission.round_id)], person=person, org=submission.organisation,
                   survey_round=submission.round,
                   link=absolute_url("survey.answer", round_id=submission.round_id, slug=submission.organisation.slug))


# --- Matching and introductions ------------------------------------------------------------------

def profiles(survey_round: SurveyRound) -> list[matching.Profile]:
    """Matching profiles of every listed organisation that submitted answers to the round."""
    return [matching.profile_from_answers(s.organisation, s.answers)
            for s in submissions(survey_round, submitted_only=True) if s.organisation.is_listed]


def suggestions_for(survey_round: SurveyRound, organisation: Organisation) -> dict:
    """{area: [Suggestion]} for the organisation's needs in this round, priority needs first ({} without
    answers); a pairing declined in this round is left out for that area."""
    everyone = profiles(survey_round)
    seeker = next((p for p in everyone if p.id == organisation.id), None)
    return matching.suggestions(seeker, everyone, excluded=exchanges.declined_pairs(survey_round)) if seeker else {}


def focal_points(organisation: Organisation) -> list[User]:
    """The organisation's active focal points."""
    return db.session.scalars(sa.select(User).where(
        User.organisation_id == organisation.id, User.is_focal_point.is_(True),
        User.status == ACCOUNT_ACTIVE, User.deleted_at.is_(None)).order_by(User.id)).all()


def introduce(survey_round, suggestion: matching.Suggestion, by: User) -> Introduction:
    """Record an introduction and email the focal points of both organisations, each in their language."""
    seeker = db.session.get(Organisation, suggestion.seeker.id)
    helper = db.session.get(Organisation, suggestion.helper.id)
    intro = Introduction(round=survey_round, seeker=seeker, helper=helper, area=suggestion.area,
                         reason=matching.explain(suggestion), created_by_id=by.id)
    db.session.add(intro)
    db.session.flush()
    record("introduce", intro, details={"seeker": seeker.id, "helper": helper.id, "area": intro.area}, actor=by)
    signals.introduced.send(intro, actor=by)
    for own, other in ((seeker, helper), (helper, seeker)):
        for person in focal_points(own):
            send_email(person.email, "survey_introduction", locale=person.locale, user_id=person.id,
                       about=[("introduction", intro.id)], person=person,
                       own=own, other=other, area=suggestion.area, seeking=own.id == seeker.id,
                       contacts=focal_points(other), strength=suggestion.strength, area_label=q.area_label,
                       link=absolute_url("organisations.detail", slug=other.slug))
    current_app.logger.info("Introduction %s: %s -> %s (%s)", intro.id, seeker.id, helper.id, intro.area)
    return intro


def introductions() -> list[Introduction]:
    """Every introduction, newest first."""
    return db.session.scalars(sa.select(Introduction).options(
        selectinload(Introduction.seeker), selectinload(Introduction.helper))
        .order_by(Introduction.created_at.desc(), Introduction.id.desc())).all()


def record_outcome(intro: Introduction, outcome: str, note: str) -> None:
    """Record what became of an introduction."""
    intro.outcome, intro.outcome_note = outcome, note.strip()
    db.session.flush()
    record("introduction_outcome", intro, intro.outcome_note, {"outcome": outcome})


def personal_data(user) -> dict:
    """The survey answers this person submitted or last edited for their organisation, the comments and
    evidence they wrote on answers, and the requests to confirm answers they received (hub/accounts/export.py)."""
    from hub.survey.plan_models import AnswerNote, AnswerReviewer
    return {"survey_answers": export.rows(Submission, sa.or_(Submission.submitted_by_id == user.id,
                                                             Submission.updated_by_id == user.id),
                                          ("round_id", "organisation_id", "status", "answers", "submitted_at",
                                           "updated_at")),
            "survey_answer_notes": export.rows(AnswerNote, AnswerNote.author_id == user.id,
                                               ("round_id", "organisation_id", "question_id", "kind", "text",
                                                "item_id", "document_url", "created_at")),
            "asked_to_confirm_answers": export.rows(AnswerReviewer, AnswerReviewer.reviewer_user_id == user.id,
                                                    ("round_id", "organisation_id", "created_at"))}


#: The references to a person whose rows personal_data() exports.
PERSONAL_DATA_COVERS = ("survey_submission.submitted_by_id", "survey_submission.updated_by_id",
                        "survey_answer_note.author_id", "survey_answer_reviewer.reviewer_user_id")
