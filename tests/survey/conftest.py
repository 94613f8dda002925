"""Survey fixtures: an open round and a helper that writes submitted answers directly."""

import pytest

from hub.db import utcnow
from hub.extensions import db
from hub.survey import questionnaire as q
from hub.survey import services
from hub.survey.models import SUBMITTED, Submission


def full_answers(strength=2, need="some", **overrides):
    """Every required question answered (strength and need the same everywhere unless overridden)."""
    answers = {}
    for question in q.questions(q.default_questionnaire()):
        if question["id"].endswith(".strength"):
            answers[question["id"]] = strength
        elif question["id"].endswith(".need"):
            answers[question["id"]] = need
    answers["learn.preferences"] = ["webinars"]
    answers.update(overrides)
    return answers


@pytest.fixture
def survey_round(app):
    survey_round = services.open_round("Capacity mapping 2026", None, None, None)
    db.session.commit()
    return survey_round


@pytest.fixture
def submit_answers(survey_round):
    """Store submitted answers for an organisation (bypassing the form)."""
    def make(org, answers=None, round_=None, **kwargs):
        submission = Submission(round=round_ or survey_round, organisation=org, status=SUBMITTED, submitted_at=utcnow(),
                                answers=answers if answers is not None else full_answers(**kwargs))
        db.session.add(submission)
        db.session.commit()
        return submission
    return make


def form_data(answers, version=0, action="save"):
    """Answers as the browser posts them (dots become double underscores)."""
    data = {"version": str(version), action: "1"}
    for key, value in answers.items():
        data[key.replace(".", "__")] = [str(v) for v in value] if isinstance(value, list) else str(value)
    return data
