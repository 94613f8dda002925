"""Capacity-building plans: from an organisation's needs in a round, priorities and actions; the
secretariat's movement-wide view. Services flush; the view commits."""

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from hub.audit import record
from hub.db import utcnow
from hub.extensions import db
from hub.organisations.models import Organisation
from hub.survey import questionnaire as q
from hub.survey.models import ACCEPTED, Introduction, Submission
from hub.survey.plan_models import OPEN_STATES, SUPPORT, ACTION_STATES, Plan, PlanAction

#: The home page's "plan actions due" looks this far ahead.
DUE_SOON = timedelta(days=30)


class PlanError(ValueError):
    """Input a plan cannot take; str() is the translated message for the form."""


def needs_of(survey_round, organisation) -> dict[str, str]:
    """{area: 'priority' | 'some'} from the organisation's answers to the round (drafts too: it is their own)."""
    answers = db.session.scalar(sa.select(Submission.answers).where(
        Submission.round_id == survey_round.id, Submission.organisation_id == organisation.id)) or {}
    needs = {}
    for key, value in answers.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[2] == "need" and value in ("priority", "some"):
            needs[parts[1]] = value
    return dict(sorted(needs.items(), key=lambda kv: (kv[1] != "priority", kv[0])))


def plan_for(survey_round, organisation) -> Plan | None:
    """The organisation's plan for the round, with its actions, or None."""
    return db.session.scalar(sa.select(Plan).options(selectinload(Plan.actions)).where(
        Plan.round_id == survey_round.id, Plan.organisation_id == organisation.id))


def _plan(survey_round, organisation) -> Plan:
    plan = plan_for(survey_round, organisation)
    if plan is None:
        plan = Plan(round=survey_round, organisation=organisation, priorities=[])
        db.session.add(plan)
        db.session.flush()
    return plan


def set_priorities(survey_round, organisation, areas: list[str]) -> Plan:
    """Choose which needs the plan works on (only the organisation's own needs are taken)."""
    needs = needs_of(survey_round, organisation)
    unknown = [area for area in areas if area not in needs]
    if unknown:
        raise PlanError(_("You can only choose your own organisation's needs in this round."))
    plan = _plan(survey_round, organisation)
    plan.priorities = list(dict.fromkeys(areas))
    db.session.flush()
    record("plan_priorities", plan, details={"areas": plan.priorities})
    return plan


def check_action(survey_round, organisation, data: dict, today: date) -> None:
    """Refuse an action for a need the organisation does not have, an unknown support or a past date."""
    if data["area"] not in needs_of(survey_round, organisation):
        raise PlanError(_("This need is not one of your organisation's needs in this round: "
                          "choose one of the needs listed."))
    if data["support"] not in SUPPORT:
        raise PlanError(_("Choose the kind of support sought."))
    if data["due_on"] is None or data["due_on"] < today:
        raise PlanError(_("The date is in the past: choose today or a later date."))


def add_action(survey_round, organisation, data: dict, today: date) -> PlanAction:
    """A new action in the organisation's plan (the plan is created if need be)."""
    check_action(survey_round, organisation, data, today)
    plan = _plan(survey_round, organisation)
    if data["area"] not in plan.priorities:
        plan.priorities = [*plan.priorities, data["area"]]
    action = PlanAction(plan=plan, area=data["area"], what=data["what"].strip(), who=data["who"].strip(),
                        due_on=data["due_on"], support=data["support"], helper_id=data.get("helper_id"))
    db.session.add(action)
    db.session.flush()
    record("plan_action", action, details={"area": action.area, "due_on": action.due_on.isoformat(),
                                           "support": action.support})
    return action


def update_action(action: PlanAction, status: str, progress: str, due_on: date | None, today: date) -> None:
    """Record where an action stands (a new date may not be in the past)."""
    if status not in ACTION_STATES:
        raise PlanError(_("Choose one of the states offered."))
    if due_on is not None and due_on != action.due_on:
        if due_on < today:
            raise PlanError(_("The date is in the past: choose today or a later date."))
        action.due_on = due_on
    action.status, action.progress = status, progress.strip()
    db.session.flush()
    record("plan_action_status", action, details={"status": status})


def load_action(plan: Plan, action_id: int, deleted: bool = False) -> PlanAction | None:
    """One action of this plan, deleted or not as asked (None for another plan's action)."""
    action = db.session.get(PlanAction, action_id)
    if action is None or action.plan_id != plan.id or (action.deleted_at is not None) != deleted:
        return None
    return action


def delete_action(action: PlanAction) -> None:
    """Delete an action softly: it leaves the plan, the home page and the movement view until restored."""
    action.deleted_at = utcnow()
    db.session.flush()
    record("delete_plan_action", action, details={"area": action.area, "what": action.what[:200]})


def restore_action(action: PlanAction) -> None:
    """Bring a deleted action back into its plan."""
    action.deleted_at = None
    db.session.flush()
    record("restore_plan_action", action, details={"area": action.area})


def deleted_actions(plan: Plan | None) -> list[PlanAction]:
    """The plan's deleted actions, latest deleted first (to restore one)."""
    if plan is None:
        return []
    return db.session.scalars(sa.select(PlanAction).where(PlanAction.plan_id == plan.id,
                                                          PlanAction.deleted_at.is_not(None))
                              .order_by(PlanAction.deleted_at.desc(), PlanAction.id)).all()


def exchanges_of(organisation) -> list[Introduction]:
    """Accepted exchanges the organisation took part in (any round), newest first, for their outcomes."""
    return db.session.scalars(sa.select(Introduction).options(
        selectinload(Introduction.seeker), selectinload(Introduction.helper), selectinload(Introduction.round))
        .where(Introduction.status == ACCEPTED, sa.or_(Introduction.seeker_id == organisation.id,
                                                        Introduction.helper_id == organisation.id))
        .order_by(Introduction.created_at.desc(), Introduction.id.desc())).all()


def earlier_outcomes(survey_round, organisation) -> list[Introduction]:
    """Accepted exchanges of earlier rounds with an outcome recorded: what to weigh when answering this one."""
    return [intro for intro in exchanges_of(organisation)
            if intro.round_id != survey_round.id and intro.round.created_at <= survey_round.created_at
            and (intro.outcome != "sent" or intro.outcome_note)]


def due_actions(organisation, today: date, limit: int) -> list[PlanAction]:
    """Open actions of the organisation due within DUE_SOON or overdue, soonest first."""
    return db.session.scalars(sa.select(PlanAction).join(Plan).options(selectinload(PlanAction.plan))
                              .where(Plan.organisation_id == organisation.id, PlanAction.status.in_(OPEN_STATES),
                                     PlanAction.deleted_at.is_(None),
                                     PlanAction.due_on <= today + DUE_SOON)
                              .order_by(PlanAction.due_on, PlanAction.id).limit(limit)).all()


@dataclass
class AreaRow:
    """The movement-wide view of one area: organisations working on it, open and overdue actions."""

    area: str
    organisations: int
    open: int
    overdue: int
    done: int


def movement(survey_round, today: date) -> tuple[list[AreaRow], list[PlanAction]]:
    """For the secretariat: per area, what is being worked on; and every overdue action (with its plan)."""
    overdue_case = sa.case((sa.and_(PlanAction.status.in_(OPEN_STATES), PlanAction.due_on < today), 1), else_=0)
    rows = db.session.execute(
        sa.select(PlanAction.area, sa.func.count(sa.distinct(Plan.organisation_id)),
                  sa.func.sum(sa.case((PlanAction.status.in_(OPEN_STATES), 1), else_=0)),
                  sa.func.sum(overdue_case), sa.func.sum(sa.case((PlanAction.status == "done", 1), else_=0)))
        .join(Plan).join(Organisation, Organisation.id == Plan.organisation_id)
        .where(Plan.round_id == survey_round.id, Organisation.deleted_at.is_(None), PlanAction.deleted_at.is_(None))
        .group_by(PlanAction.area)).all()
    areas = sorted((AreaRow(area, n, int(o or 0), int(late or 0), int(d or 0)) for area, n, o, late, d in rows),
                   key=lambda row: (-row.organisations, q.area_label(row.area).casefold()))
    overdue = db.session.scalars(
        sa.select(PlanAction).join(Plan).options(selectinload(PlanAction.plan).selectinload(Plan.organisation))
        .where(Plan.round_id == survey_round.id, PlanAction.status.in_(OPEN_STATES), PlanAction.due_on < today,
               PlanAction.deleted_at.is_(None))
        .order_by(PlanAction.due_on, PlanAction.id)).all()
    return areas, overdue
