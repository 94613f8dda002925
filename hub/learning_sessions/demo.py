"""Demo sessions: two upcoming ones in the budget-tracking community (one full, with a waitlist) and a
past one with the demo recording, notes and what was learned; the community lets members propose, and the
demo member's proposal waits for the facilitator. Found again by title: loading twice creates nothing twice."""

from datetime import datetime, timedelta

import sqlalchemy as sa

from hub.communities.models import Community
from hub.db import utcnow
from hub.extensions import db
from hub.learning_sessions import proposals, services
from hub.learning_sessions.models import LearningSession
from hub.learning_sessions.times import local_to_utc, zone_or_none
from hub.library.models import LibraryItem

NAIROBI = "Africa/Nairobi"
#: (title, days from today, local hour in Nairobi, hours long, capacity, registrants' emails, description)
SESSIONS = [
    ("Tracking education budgets: a peer exchange", 3, 15, 1.5, 30,
     ["member@example.org", "focal@example.org", "rahim@example.org"],
     "Coalitions from Kenya, Peru and Bangladesh show how they read their education budget, step by step."),
    ("Writing a shadow report on SDG 4 financing", 10, 16, 2, 2,
     ["member@example.org", "focal@example.org", "joao@example.org"],
     "A small working session: bring your draft. Seats are few; a waitlist opens when they are taken."),
    ("How we tracked the school feeding budget", -20, 14, 1.5, None,
     ["member@example.org", "focal@example.org", "moussa@example.org", "rahim@example.org"],
     "The recording of last month's session, with captions in English and French."),
]
RECORDING = "demo-budget-tracking-session"
PROPOSAL = ("Reading a ministry's budget documents together", 17, "member@example.org",
            "A member's proposal: we open one ministry's published budget and find the education lines.")


def load(people: dict) -> int:
    """Create the demo sessions that do not exist yet; returns how many were created."""
    community = db.session.scalar(sa.select(Community).where(Community.slug == "budget-tracking"))
    organiser = people.get("facilitator@example.org")
    if community is None or organiser is None:
        return 0
    created, zone = 0, zone_or_none(NAIROBI)
    today = utcnow().astimezone(zone).date()
    for title, days, hour, hours, capacity, emails, description in SESSIONS:
        if db.session.scalar(sa.select(LearningSession.id).where(LearningSession.title == title)):
            continue
        day = today + timedelta(days=days)
        starts = local_to_utc(datetime(day.year, day.month, day.day, hour), zone)
        session = services.schedule(community, organiser, {
            "title": title, "description": description, "starts_at": starts,
            "ends_at": starts + timedelta(hours=hours), "timezone": NAIROBI,
            "online_url": "https://meet.example.org/budget-exchange", "place": "",
            "languages": ["en"], "interpretation": ["fr", "es"], "capacity": capacity,
            "themes": ["financing", "sdg4_monitoring"], "capacity_areas": ["budget_tracking", "policy_research"]})
        past = days < 0
        if past:  # registrations were taken before it happened
            session.starts_at, session.ends_at = starts + timedelta(days=60), starts + timedelta(days=60, hours=hours)
        for email in emails:
            if email in people:
                services.register(session, people[email])
        if past:
            session.starts_at, session.ends_at = starts, starts + timedelta(hours=hours)
            recording = db.session.scalar(sa.select(LibraryItem).where(LibraryItem.slug == RECORDING))
            services.attach_material(session, organiser, recording=recording,
                                     notes="- Ask for the budget in the format it is voted in.\n"
                                           "- Compare the voted and the spent amounts, line by line.",
                                     summary="Budget tracking works best with a partner inside the ministry "
                                             "and a timeline that follows the budget cycle.")
            services.open_discussion(session, organiser)
        created += 1
    created += _proposal(community, people, zone, today)
    db.session.flush()
    return created


def _proposal(community, people: dict, zone, today) -> int:
    """The community takes proposals from members, and one waits for a decision."""
    title, days, email, description = PROPOSAL
    community.members_propose_sessions = True
    if email not in people or db.session.scalar(sa.select(LearningSession.id).where(LearningSession.title == title)):
        return 0
    day = today + timedelta(days=days)
    starts = local_to_utc(datetime(day.year, day.month, day.day, 10), zone)
    proposals.propose(community, people[email], {
        "title": title, "description": description, "starts_at": starts, "ends_at": starts + timedelta(hours=1),
        "timezone": NAIROBI, "online_url": "", "place": "", "languages": ["en"], "interpretation": [],
        "capacity": 25, "themes": ["financing"], "capacity_areas": ["budget_tracking"]})
    return 1
