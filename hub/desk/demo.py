"""Demo moderation: a member reports a discussion as a safety risk, and a reply waits for review,
both in the secretariat's queue."""

import sqlalchemy as sa

from hub.communities.models import MEMBER, Membership
from hub.discussions import services as discussions
from hub.discussions.models import Discussion, Reply
from hub.extensions import db
from hub.desk import demo_templates, services, triage
from hub.desk.models import SAFETY, Report

NOTE = "This post names the street where our members meet. Please hide it."
TRIAGE_NOTE = "I know the author: I am calling her tonight before we decide. The address is a public office."
WAITING_AUTHOR = "joao@example.org"
WAITING_REPLY = ("Na nossa rede, os professores gravam as sessões no telemóvel e partilham-nas à noite, "
                 "quando os dados são mais baratos. Posso partilhar o guia que usamos?")


def load(people: dict) -> int:
    """File the demo report, hold the demo reply and write the reply templates once (running again creates
    nothing); how many were made."""
    return _report(people) + _waiting_reply(people) + demo_templates.load()


def _report(people: dict) -> int:
    reporter = people.get("member@example.org")
    if reporter is None or db.session.scalar(sa.select(Report.id).where(Report.reporter_id == reporter.id)):
        return 0
    discussion = db.session.scalar(sa.select(Discussion).where(
        Discussion.author_id != reporter.id, Discussion.deleted_at.is_(None), Discussion.hidden_at.is_(None))
        .order_by(Discussion.id))
    if discussion is None:
        return 0
    report = services.file_report(reporter, "discussion", discussion, SAFETY, NOTE)
    triage.report_filed(report, discussion, discussion.community)  # its moderators are alerted
    _triage(people.get("facilitator@example.org"), discussion)
    return 1


def _triage(facilitator, discussion) -> None:
    """The community's facilitator claims the case and leaves a note for the other moderators."""
    if facilitator is None or not db.session.scalar(sa.select(Membership.id).where(
            Membership.user_id == facilitator.id, Membership.community_id == discussion.community_id,
            Membership.is_facilitator.is_(True))):
        return
    triage.claim("discussion", discussion, facilitator)
    triage.add_note("discussion", discussion, discussion.community, facilitator, TRIAGE_NOTE)


def _waiting_reply(people: dict) -> int:
    """A reply from a member, as a newcomer's first post: it waits for a moderator (pre-moderation)."""
    author = people.get(WAITING_AUTHOR)
    if author is None or db.session.scalar(sa.select(Reply.id).where(
            Reply.author_id == author.id, Reply.body == WAITING_REPLY)):
        return 0
    discussion = db.session.scalar(
        sa.select(Discussion).join(Membership, sa.and_(Membership.community_id == Discussion.community_id,
                                                       Membership.user_id == author.id))
        .where(Membership.status == MEMBER, Discussion.deleted_at.is_(None), Discussion.hidden_at.is_(None),
               Discussion.is_locked.is_(False))
        .order_by(Discussion.id))
    if discussion is None:
        return 0
    discussions.add_reply(discussion, author, WAITING_REPLY, review=True)
    return 1
