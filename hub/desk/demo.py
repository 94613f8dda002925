"""Demo moderation: a member reports a discussion as a safety risk, and a reply waits for review,
both in the secretariat's queue."""

import sqlalchemy as sa

from hub.communities.models import MEMBER, Membership
from hub.discussions import services as discussions
from hub.discussions.models import Discussion, Reply
from hub.extensions import db
from hub.desk import demo_templates, services
from hub.desk.models import SAFETY, Report

NOTE = "This post names the street where our members meet. Please hide it."
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
    services.file_report(reporter, "discussion", discussion, SAFETY, NOTE)
    return 1


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
