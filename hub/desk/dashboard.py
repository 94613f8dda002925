"""The knowledge-flow dashboard (secretariat only): every figure aggregated in SQL with GROUP BY.

Each block is a (headers, rows) table; /desk/dashboard/<block>.csv exports it with the audit log's
formula escaping. Activity comes from last sign-in and authorship only (no per-request writes).
"""

from datetime import timedelta

import sqlalchemy as sa
from flask import Response, abort, render_template
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import aliased

from hub import permissions
from hub.accounts.models import ACTIVE, User
from hub.communities.models import Community
from hub.db import utcnow
from hub.discussions.models import Discussion, Reply
from hub.extensions import db
from hub.learning_sessions.models import REGISTERED, SCHEDULED, LearningSession, Registration
from hub.library.models import LibraryItem
from hub.desk import charts
from hub.desk.views import bp, staff_only
from hub.organisations.countries import NORTH_SOUTH, REGIONS
from hub.organisations.models import Organisation
from hub.spreadsheets import csv_text
from hub.survey.disclosure import MIN_GROUP
from hub.survey.models import ACCEPTED, SUBMITTED, Introduction, Submission, SurveyRound

UNANSWERED_AFTER = timedelta(days=7)
TOP_ITEMS = 10


def visible(model):
    """Content neither hidden nor deleted."""
    return sa.and_(model.hidden_at.is_(None), model.deleted_at.is_(None))


def label(groups: dict, key) -> str:
    """A region or North/South key as words (unknown keys as they are)."""
    return str(groups.get(key, key or "—"))


def members_by(column, groups: dict):
    """Active members per organisation region or North/South group."""
    rows = db.session.execute(
        sa.select(column, sa.func.count(User.id)).join(Organisation, User.organisation_id == Organisation.id)
        .where(User.status == ACTIVE, User.deleted_at.is_(None)).group_by(column).order_by(column)).all()
    return [_l("Group"), _l("Members")], [(label(groups, key), n) for key, n in rows]


def active_people():
    """People who signed in or wrote a discussion or reply in the last 30 and 90 days."""
    rows = []
    for days in (30, 90):
        since = utcnow() - timedelta(days=days)
        ids = sa.union(sa.select(User.id).where(User.last_login_at >= since),
                       sa.select(Discussion.author_id).where(Discussion.created_at >= since),
                       sa.select(Reply.author_id).where(Reply.created_at >= since)).subquery()
        count = db.session.scalar(sa.select(sa.func.count()).select_from(ids))
        rows.append((_l("Last %(num)d days", num=days), count))
    return [_l("Period"), _l("Active people")], rows


def month_of(column):
    """'YYYY-MM' of a timestamp, in the database's own dialect."""
    if db.engine.dialect.name == "sqlite":
        return sa.func.strftime("%Y-%m", column)
    return sa.func.to_char(column, "YYYY-MM")


def contributions():
    """Discussions plus replies per community per month over the last 12 months."""
    since = utcnow() - timedelta(days=365)
    posts = sa.union_all(
        sa.select(Discussion.community_id.label("cid"), Discussion.created_at.label("at"))
        .where(visible(Discussion), Discussion.created_at >= since),
        sa.select(Discussion.community_id, Reply.created_at).join(Discussion, Reply.discussion_id == Discussion.id)
        .where(visible(Reply), visible(Discussion), Reply.created_at >= since)).subquery()
    month = month_of(posts.c.at).label("month")
    rows = db.session.execute(
        sa.select(Community.title, month, sa.func.count()).join(Community, Community.id == posts.c.cid)
        .group_by(Community.title, month).order_by(Community.title, month)).all()
    return [_l("Community"), _l("Month"), _l("Contributions")], [tuple(r) for r in rows]


def flows(column_name: str, groups: dict):
    """Replies and marked answers given by people of one group to discussions started by another."""
    giver_user, giver_org = aliased(User), aliased(Organisation)
    asker_user, asker_org = aliased(User), aliased(Organisation)
    giver, asker = getattr(giver_org, column_name), getattr(asker_org, column_name)
    rows = db.session.execute(
        sa.select(giver, asker, sa.func.count(Reply.id), sa.func.sum(sa.case((Reply.is_answer, 1), else_=0)))
        .join(Discussion, Reply.discussion_id == Discussion.id)
        .join(giver_user, Reply.author_id == giver_user.id).join(giver_org, giver_user.organisation_id == giver_org.id)
        .join(asker_user, Discussion.author_id == asker_user.id)
        .join(asker_org, asker_user.organisation_id == asker_org.id)
        .where(visible(Reply), visible(Discussion), Reply.author_id != Discussion.author_id)
        .group_by(giver, asker).order_by(giver, asker)).all()
    return [_l("From"), _l("To"), _l("Replies"), _l("Marked answers")], \
        [(label(groups, g), label(groups, a), n, int(answers or 0)) for g, a, n, answers in rows]


def unanswered():
    """Questions older than seven days with no reply from anyone but their author."""
    answered = sa.select(Reply.id).where(Reply.discussion_id == Discussion.id, visible(Reply),
                                         Reply.author_id != Discussion.author_id).exists()
    rows = db.session.execute(
        sa.select(Discussion.title, Community.title, Discussion.created_at)
        .join(Community, Community.id == Discussion.community_id)
        .where(Discussion.kind == "question", visible(Discussion),
               Discussion.created_at < utcnow() - UNANSWERED_AFTER, ~answered)
        .order_by(Discussion.created_at)).all()
    return [_l("Question"), _l("Community"), _l("Asked (UTC)")], \
        [(title, community, at.strftime("%Y-%m-%d")) for title, community, at in rows]


def top_items(counter: str):
    """The most viewed or downloaded library items (counts only)."""
    column = getattr(LibraryItem, counter)
    rows = db.session.execute(
        sa.select(LibraryItem.title, column).where(visible(LibraryItem), column > 0)
        .order_by(column.desc(), LibraryItem.title).limit(TOP_ITEMS)).all()
    heading = _l("Views") if counter == "view_count" else _l("Downloads")
    return [_l("Library item"), heading], [tuple(r) for r in rows]


def survey_completion():
    """For the latest survey round: active organisations and submissions per region."""
    latest = db.session.scalar(sa.select(SurveyRound.id).order_by(SurveyRound.id.desc()).limit(1))
    done = sa.and_(Submission.organisation_id == Organisation.id, Submission.round_id == latest,
                   Submission.status == SUBMITTED)
    rows = db.session.execute(
        sa.select(Organisation.region, sa.func.count(sa.distinct(Organisation.id)),
                  sa.func.count(sa.distinct(Submission.organisation_id)))
        .outerjoin(Submission, done).where(Organisation.status == "active", Organisation.deleted_at.is_(None))
        .group_by(Organisation.region).order_by(Organisation.region)).all()
    return [_l("Region"), _l("Organisations"), _l("Submitted"), _l("Completion (%)")], \
        [(label(REGIONS, r), n, s, round(100 * s / n) if n else 0) for r, n, s in rows]


def _past_sessions():
    return sa.and_(LearningSession.status == SCHEDULED, LearningSession.deleted_at.is_(None),
                   LearningSession.ends_at <= utcnow())


def session_attendance(column_name: str, groups: dict):
    """People at learning sessions that took place, per organisation group: those marked as attended where
    the organisers marked attendance, and, in a column of its own, those registered where nobody did (never
    added together); fewer than the disclosure threshold (3) is shown as such."""
    column = getattr(Organisation, column_name)
    marked = LearningSession.attendance_marked_at.is_not(None)
    rows = db.session.execute(
        sa.select(column, sa.func.count(sa.distinct(LearningSession.id)),
                  sa.func.sum(sa.case((sa.and_(marked, Registration.attended.is_(True)), 1), else_=0)),
                  sa.func.sum(sa.case((marked, 0), else_=1)))
        .select_from(Registration).join(LearningSession, LearningSession.id == Registration.session_id)
        .join(User, User.id == Registration.user_id).join(Organisation, User.organisation_id == Organisation.id)
        .where(Registration.status == REGISTERED, _past_sessions())
        .group_by(column).order_by(column)).all()
    few = str(_l("fewer than %(num)d", num=MIN_GROUP))

    def shown(count):
        return count if not count or count >= MIN_GROUP else few
    return [_l("Group"), _l("Sessions"), _l("Attended (marked)"), _l("Registered (attendance not marked)")], \
        [(label(groups, key), n, shown(came or 0), shown(registered or 0)) for key, n, came, registered in rows]


def unmarked_sessions() -> int:
    """Past sessions whose organisers did not mark attendance (the dashboard counts their registrations)."""
    return db.session.scalar(sa.select(sa.func.count(LearningSession.id)).where(
        _past_sessions(), LearningSession.attendance_marked_at.is_(None))) or 0


def peer_exchanges():
    """Accepted peer exchanges by direction (the side sharing → the side learning: N→S, S→N, S→S, N→N);
    a count resting on fewer than MIN_GROUP organisations is withheld (the disclosure rule)."""
    helper_org, seeker_org = aliased(Organisation), aliased(Organisation)
    rows = db.session.execute(
        sa.select(helper_org.north_south, seeker_org.north_south, Introduction.helper_id, Introduction.seeker_id,
                  Introduction.outcome)
        .join(helper_org, Introduction.helper_id == helper_org.id).join(seeker_org, Introduction.seeker_id == seeker_org.id)
        .where(Introduction.status == ACCEPTED)).all()
    cells = {}
    for giver, learner, helper_id, seeker_id, outcome in rows:
        cell = cells.setdefault((giver, learner), {"orgs": set(), "n": 0, "working": 0})
        cell["orgs"] |= {helper_id, seeker_id}
        cell["n"] += 1
        cell["working"] += outcome == "collaborating"
    shown = [(label(NORTH_SOUTH, g), label(NORTH_SOUTH, a), c["n"], c["working"]) if len(c["orgs"]) >= MIN_GROUP
             else (label(NORTH_SOUTH, g), label(NORTH_SOUTH, a), None, None) for (g, a), c in sorted(
                 cells.items(), key=lambda kv: (str(kv[0][0]), str(kv[0][1])))]
    return [_l("Sharing"), _l("Learning"), _l("Peer exchanges"), _l("Working together")], shown


BLOCKS = {
    "members-region": (_l("Members by region"), lambda: members_by(Organisation.region, REGIONS)),
    "members-north-south": (_l("Members by North/South"), lambda: members_by(Organisation.north_south, NORTH_SOUTH)),
    "active": (_l("Active people"), active_people),
    "contributions": (_l("Contributions per community per month"), contributions),
    "flows-region": (_l("Knowledge flows between regions"), lambda: flows("region", REGIONS)),
    "flows-north-south": (_l("Knowledge flows between North and South"), lambda: flows("north_south", NORTH_SOUTH)),
    "unanswered": (_l("Questions unanswered after 7 days"), unanswered),
    "most-viewed": (_l("Most viewed library items"), lambda: top_items("view_count")),
    "most-downloaded": (_l("Most downloaded library items"), lambda: top_items("download_count")),
    "survey": (_l("Survey completion per region (latest round)"), survey_completion),
    "sessions-region": (_l("Session participants by region"), lambda: session_attendance("region", REGIONS)),
    "sessions-north-south": (_l("Session participants by North/South"),
                             lambda: session_attendance("north_south", NORTH_SOUTH)),
    "exchanges": (_l("Peer exchanges between North and South (fewer than 3 organisations: withheld)"),
                  peer_exchanges),
    "sessions-organisation": (_l("Session participants by organisation"), lambda: session_attendance("name", {})),
}


@bp.route("/desk/dashboard")
@staff_only(permissions.can_view_dashboard)
def dashboard():
    """Every block of the knowledge-flow dashboard, with charts beside the flows and contributions."""
    blocks = {name: (title, *build()) for name, (title, build) in BLOCKS.items()}
    svgs = {"flows-region": charts.matrix(blocks["flows-region"][2]),
            "flows-north-south": charts.matrix(blocks["flows-north-south"][2]),
            "contributions": charts.bars(blocks["contributions"][2])}
    return render_template("desk/dashboard.html", blocks=blocks, svgs=svgs, unmarked=unmarked_sessions())


@bp.route("/desk/dashboard/<block>.csv")
@staff_only(permissions.can_view_dashboard)
def dashboard_csv(block):
    """One block of the dashboard as CSV."""
    if block not in BLOCKS:
        abort(404)
    headers, rows = BLOCKS[block][1]()
    return Response(csv_text([str(h) for h in headers], rows), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=dashboard-{block}.csv"})
