"""Demo plans and peer exchanges: the Senegalese coalition (a Southern focal point, Moussa) turns its needs
into a plan, asked a Northern coalition for one exchange (waiting) and had another accepted, with goals,
sessions and an outcome; last year's exchange with the French coalition fed this year's plan.
Idempotent: nothing is added when the Senegalese coalition already has a plan for the round."""

from datetime import date, timedelta

import sqlalchemy as sa

from hub.db import utcnow
from hub.extensions import db
from hub.survey import exchanges, plans, services
from hub.survey.models import ACCEPTED, REQUESTED, Introduction
from hub.survey.plan_models import IN_PROGRESS, Plan, PlanAction

SEEKER, LAST_YEAR_HELPER = "cse-senegal", "coalition-france"


def load(people: dict, organisations: dict, survey_round, earlier) -> None:
    """The plan, one requested and one accepted exchange, and last year's exchange with its outcome."""
    seeker = organisations.get(SEEKER)
    if seeker is None or db.session.scalar(sa.select(Plan.id).where(Plan.round_id == survey_round.id,
                                                                    Plan.organisation_id == seeker.id)):
        return
    moussa = people.get("moussa@example.org")
    found = services.suggestions_for(survey_round, seeker)
    northern = [(area, s) for area, items in found.items() for s in items if s.helper.north_south == "north"]
    if earlier is not None and LAST_YEAR_HELPER in organisations:
        db.session.add(Introduction(
            round=earlier, seeker=seeker, helper=organisations[LAST_YEAR_HELPER], area="resource_mobilisation",
            reason="Requested by the Senegalese coalition from its suggestions.", status=ACCEPTED,
            created_at=utcnow() - timedelta(days=330), requested_by_id=moussa.id if moussa else None,
            goals="Diversify funding beyond two donors.", sessions="Four calls (March–June 2025); one visit to Paris.",
            resources="The French coalition's donor mapping template.", outcome="collaborating",
            outcome_note="A joint proposal to a foundation, accepted in November 2025."))
    plan = Plan(round=survey_round, organisation=seeker, priorities=list(plans.needs_of(survey_round, seeker))[:2])
    db.session.add(plan)
    today = date.today()
    for number, area in enumerate(plan.priorities):
        helper = next((s.helper for a, s in northern if a == area), None)
        db.session.add(PlanAction(
            plan=plan, area=area, what=f"Learn from a peer how they built their {area.replace('_', ' ')} work, "
            "then train our two programme officers.", who="Moussa Ndiaye", support="peer_exchange" if helper else "training",
            due_on=today + timedelta(days=45 + 30 * number), helper_id=helper.id if helper else None,
            status=IN_PROGRESS if number == 0 else "planned"))
    db.session.add(PlanAction(plan=plan, area=plan.priorities[0] if plan.priorities else "mel",
                              what="Share the first draft of our tracking tool with member organisations.",
                              who="Secretariat of the coalition", support="resource", due_on=today - timedelta(days=3)))
    for index, (area, suggestion) in enumerate(northern[:2]):
        helper = organisations.get(suggestion.helper.slug)
        accepted = index == 0
        intro = Introduction(
            round=survey_round, seeker=seeker, helper=helper, area=area, reason="Requested from the suggestions.",
            status=ACCEPTED if accepted else REQUESTED, requested_by_id=moussa.id if moussa else None,
            goals="Understand how they organise the work, and adapt one tool.",
            sessions="Two calls in the coming month." if accepted else "",
            outcome="in_contact" if accepted else "sent",
            outcome_note="First call held; they shared their guide." if accepted else "")
        db.session.add(intro)
        db.session.flush()
        exchanges.link_plan_actions(intro)
