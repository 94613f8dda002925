"""Peer exchanges: a focal point asks a suggested organisation for an introduction; the other side
accepts or declines; an accepted exchange has goals, sessions, shared resources and an outcome.
They are introductions (hub/survey/models.py) with a status. Services flush; the view commits."""

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from hub import signals
from hub.audit import record
from hub.db import utcnow
from hub.extensions import db
from hub.mail import absolute_url, send_email
from hub.survey import matching
from hub.survey import questionnaire as q
from hub.survey.models import ACCEPTED, DECLINED, OUTCOMES, REQUESTED, Introduction
from hub.survey.plan_models import Plan, PlanAction


class ExchangeError(ValueError):
    """A request the hub refuses; str() is the translated message."""


def declined_pairs(survey_round) -> set[tuple[int, int, str]]:
    """(seeker, helper, area) declined in this round: not suggested again until the next round."""
    rows = db.session.execute(sa.select(Introduction.seeker_id, Introduction.helper_id, Introduction.area)
                              .where(Introduction.round_id == survey_round.id, Introduction.status == DECLINED))
    return {tuple(row) for row in rows}


def between(survey_round, seeker_id: int, helper_id: int) -> list[Introduction]:
    """Every introduction from this seeker to this helper in the round."""
    return db.session.scalars(sa.select(Introduction).where(
        Introduction.round_id == survey_round.id, Introduction.seeker_id == seeker_id,
        Introduction.helper_id == helper_id)).all()


def check_request(survey_round, seeker, helper_id: int, area: str) -> None:
    """Refuse a request to oneself, to an organisation that declined this round, or a repeated one."""
    if helper_id == seeker.id:
        raise ExchangeError(_("Your organisation cannot ask itself for an exchange."))
    earlier = between(survey_round, seeker.id, helper_id)
    if any(intro.status == DECLINED for intro in earlier):
        raise ExchangeError(_("This organisation declined an exchange with yours in this round: "
                              "you can ask again in the next round."))
    if any(intro.area == area for intro in earlier):
        raise ExchangeError(_("Your organisation has already asked this organisation about this need."))


def request(survey_round, suggestion: matching.Suggestion, seeker, helper, by, message: str,
            contacts) -> Introduction:
    """Ask the helper for an exchange; its focal points hear it by mail (their language) and in the hub."""
    check_request(survey_round, seeker, helper.id, suggestion.area)
    intro = Introduction(round=survey_round, seeker=seeker, helper=helper, area=suggestion.area,
                         reason=matching.explain(suggestion), created_by_id=by.id, requested_by_id=by.id,
                         status=REQUESTED, goals=message.strip())
    db.session.add(intro)
    db.session.flush()
    record("request_exchange", intro, details={"seeker": seeker.id, "helper": helper.id, "area": intro.area})
    link_plan_actions(intro)
    signals.exchange_requested.send(intro, actor=by)
    _tell(contacts(helper), "survey_exchange_request", intro, own=helper, other=seeker,
          contacts=contacts(seeker))
    return intro


def link_plan_actions(intro: Introduction) -> None:
    """The seeker's plan actions for this need that rely on this helper now point at the exchange."""
    actions = db.session.scalars(sa.select(PlanAction).join(Plan).where(
        Plan.round_id == intro.round_id, Plan.organisation_id == intro.seeker_id, PlanAction.area == intro.area,
        PlanAction.helper_id == intro.helper_id, PlanAction.introduction_id.is_(None),
        PlanAction.deleted_at.is_(None))).all()
    for action in actions:
        action.introduction_id = intro.id
    db.session.flush()


def answer(intro: Introduction, accept: bool, by, note: str, contacts) -> None:
    """The helper (or the secretariat stepping in) accepts or declines; the seeker's focal points hear it."""
    if intro.status != REQUESTED:
        raise ExchangeError(_("This request has already been answered."))
    intro.status = ACCEPTED if accept else DECLINED
    intro.answered_by_id, intro.answered_at, intro.answer_note = by.id, utcnow(), note.strip()
    db.session.flush()
    record("accept_exchange" if accept else "decline_exchange", intro, reason=intro.answer_note)
    signals.exchange_answered.send(intro, actor=by)
    _tell(contacts(intro.seeker), "survey_exchange_answer", intro, own=intro.seeker, other=intro.helper,
          contacts=contacts(intro.helper) if accept else [])


def _tell(people, template: str, intro, own, other, contacts) -> None:
    for person in people:
        send_email(person.email, template, locale=person.locale, user_id=person.id,
                   about=[("introduction", intro.id)], person=person, intro=intro, own=own, other=other,
                   contacts=contacts, area=q.area_label(intro.area),
                   link=absolute_url("survey_exchanges.show", intro_id=intro.id))


def update(intro: Introduction, goals: str, sessions: str, resources: str, outcome: str, outcome_note: str) -> None:
    """The exchange page: goals, sessions, shared resources and what came of it."""
    if outcome not in OUTCOMES:
        raise ExchangeError(_("Choose one of the outcomes offered."))
    intro.goals, intro.sessions, intro.resources = goals.strip(), sessions.strip(), resources.strip()
    intro.outcome, intro.outcome_note = outcome, outcome_note.strip()
    db.session.flush()
    record("edit_exchange", intro, details={"outcome": outcome})


def involving(organisation, limit: int | None = None) -> list[Introduction]:
    """The organisation's exchanges and requests, as seeker or helper, newest first."""
    query = (sa.select(Introduction).options(selectinload(Introduction.seeker), selectinload(Introduction.helper))
             .where(sa.or_(Introduction.seeker_id == organisation.id, Introduction.helper_id == organisation.id))
             .order_by(Introduction.created_at.desc(), Introduction.id.desc()))
    return db.session.scalars(query.limit(limit) if limit else query).all()


def waiting_for(organisation, limit: int) -> list[Introduction]:
    """Requests the organisation has been asked and not answered yet, oldest first."""
    return db.session.scalars(sa.select(Introduction).options(selectinload(Introduction.seeker))
                              .where(Introduction.helper_id == organisation.id, Introduction.status == REQUESTED)
                              .order_by(Introduction.created_at, Introduction.id).limit(limit)).all()
