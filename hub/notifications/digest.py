"""The digest: a person's notifications since the last one, grouped by community, plus questions
they could help with, in their language and time zone, daily or weekly (Monday), at DIGEST_HOUR local."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from babel.dates import format_date, format_datetime
from flask import current_app
from sqlalchemy.orm import joinedload

from hub import kinds, permissions
from hub.accounts.models import ACTIVE as ACCOUNT_ACTIVE
from hub.accounts.models import User
from hub.communities.models import Community
from hub.db import insert_once, utcnow
from hub.discussions.models import Discussion, Reply
from hub.extensions import db
from hub.mail import absolute_url
from hub.notifications import emails, services
from hub.notifications.models import NAMED, REPLY, DigestSetting, Notification
from hub.survey.models import SUBMITTED, Submission

ITEMS_PER_COMMUNITY = 10
HELP_QUESTIONS = 3
STRONG = 3


def setting_of(user_id: int) -> DigestSetting:
    """The person's digest setting (a new weekly one, flushed, when none is saved)."""
    setting = db.session.get(DigestSetting, user_id)
    if setting is None:  # (or an identical request saved one a moment ago)
        insert_once(db.session, DigestSetting, user_id=user_id, frequency="weekly")
        setting = db.session.get(DigestSetting, user_id)
    return setting


def frequency_of(user_id: int) -> str:
    """'daily', 'weekly' (also when nothing is saved) or 'off'."""
    return db.session.scalar(sa.select(DigestSetting.frequency).where(DigestSetting.user_id == user_id)) or "weekly"


def set_frequency(user_id: int, frequency: str) -> None:
    """Save how often the person wants the digest."""
    setting_of(user_id).frequency = frequency
    db.session.flush()


def zone(user) -> ZoneInfo:
    try:
        return ZoneInfo(user.timezone or "UTC")
    except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file name
        return ZoneInfo("UTC")


def last_slot(now: datetime, tz: ZoneInfo, frequency: str) -> datetime:
    """The latest scheduled digest time at or before `now`: DIGEST_HOUR local, on Mondays when weekly."""
    local = now.astimezone(tz)
    slot = local.replace(hour=current_app.config["DIGEST_HOUR"], minute=0, second=0, microsecond=0)
    if slot > local:
        slot -= timedelta(days=1)
    if frequency == "weekly":
        slot -= timedelta(days=slot.weekday())
    return slot


def is_due(user, setting: DigestSetting, now: datetime) -> bool:
    """Whether the person's next digest should go out now."""
    if setting.frequency not in ("daily", "weekly"):
        return False
    return setting.last_sent_at is None or setting.last_sent_at < last_slot(now, zone(user), setting.frequency)


def people_due(now: datetime) -> list[User]:
    """Active people whose digest is due (no saved setting means weekly)."""
    rows = db.session.execute(sa.select(User, DigestSetting).outerjoin(DigestSetting, DigestSetting.user_id == User.id)
                              .where(User.status == ACCOUNT_ACTIVE, User.deleted_at.is_(None),
                                     sa.or_(DigestSetting.frequency.is_(None), DigestSetting.frequency != "off"))
                              .order_by(User.id)).all()
    return [user for user, setting in rows
            if user.is_active and is_due(user, setting or DigestSetting(frequency="weekly"), now)]


def pending(user) -> list[Notification]:
    """Notifications not yet emailed nor read, of the kinds the person wants by email (those wanted at once
    that were not sent at once — a bulk action's — come in the digest)."""
    wanted = [kind for kind, choice in services.preferences_of(user).items() if choice != "never"]
    found = db.session.scalars(sa.select(Notification).options(joinedload(Notification.actor))
                               .where(services.visible_to(user), Notification.kind.in_(wanted),
                                      Notification.emailed_at.is_(None), Notification.read_at.is_(None))
                               .order_by(Notification.id.desc())).all()
    seen = kinds.visible(user, emails.about(found))  # the same question the outbox asks at send time
    return [n for n in found if n.kind in NAMED or (n.object_type, n.object_id) in seen]


def entries(notifications) -> list[dict]:
    """[{n: newest notification, count}]: replies in one discussion become one entry."""
    found, by_thread = [], {}
    for n in notifications:  # newest first
        key = (n.kind, n.thread) if n.kind == REPLY and n.thread else None
        if key in by_thread:
            by_thread[key]["count"] += 1
            continue
        entry = {"n": n, "count": 1}
        if key:
            by_thread[key] = entry
        found.append(entry)
    return found


def grouped(notifications) -> list[dict]:
    """[{community, items (at most ITEMS_PER_COMMUNITY entries), more}], communities by title, the rest last."""
    groups = {}
    for n in notifications:
        groups.setdefault(n.community_id, []).append(n)
    groups = {cid: entries(found) for cid, found in groups.items()}
    communities = {c.id: c for c in db.session.scalars(sa.select(Community).where(
        Community.id.in_([cid for cid in groups if cid is not None])))}
    order = sorted(groups, key=lambda cid: (cid is None, communities[cid].title.casefold() if cid else ""))
    return [{"community": communities.get(cid), "items": groups[cid][:ITEMS_PER_COMMUNITY],
             "more": max(len(groups[cid]) - ITEMS_PER_COMMUNITY, 0)} for cid in order]


def strong_themes(user) -> set[str]:
    """Themes where the person's organisation rated itself 3 or more in its latest submitted survey answers."""
    if user.organisation_id is None:
        return set()
    answers = db.session.scalar(sa.select(Submission.answers).where(
        Submission.organisation_id == user.organisation_id, Submission.status == SUBMITTED)
        .order_by(Submission.submitted_at.desc().nulls_last(), Submission.id.desc()).limit(1)) or {}
    return {key.split(".")[1] for key, value in answers.items()
            if key.startswith("theme.") and key.endswith(".strength") and isinstance(value, int) and value >= STRONG}


def helpable_questions(user) -> list[Discussion]:
    """Unanswered questions the person may read, in themes where their organisation is strong."""
    themes = strong_themes(user)
    if not themes:
        return []
    answered = sa.select(Reply.id).where(Reply.discussion_id == Discussion.id, Reply.is_answer.is_(True),
                                         Reply.deleted_at.is_(None)).exists()
    readable = sa.select(Community.id).where(permissions.readable_communities(user))
    candidates = db.session.scalars(sa.select(Discussion).options(joinedload(Discussion.community)).where(
        Discussion.kind == "question", Discussion.deleted_at.is_(None), Discussion.hidden_at.is_(None),
        Discussion.author_id != user.id,
        Discussion.community_id.in_(readable), ~answered).order_by(Discussion.id.desc()).limit(200))
    return [d for d in candidates if themes & set(d.themes or d.community.themes or [])][:HELP_QUESTIONS]


def formatters(user, now: datetime):
    """Date helpers for templates in the person's language and time zone."""
    locale, tz = user.locale or current_app.config["BABEL_DEFAULT_LOCALE"], zone(user)
    return {"when": lambda dt: format_datetime(dt.astimezone(tz), "medium", locale=locale),
            "today": format_date(now.astimezone(tz).date(), "long", locale=locale)}


def send_digest(user, now: datetime | None = None) -> bool:
    """Queue the person's digest when there is something to tell; records that it was done. Flushes."""
    now = now or utcnow()
    setting = setting_of(user.id)
    notifications, questions = pending(user), helpable_questions(user)
    setting.last_sent_at = now
    if not notifications and not questions:
        db.session.flush()
        return False
    base = current_app.config["BASE_URL"].rstrip("/")
    about = emails.about(notifications) + [("discussion", d.id) for d in questions]
    emails.queue(user, "digest", emails.DIGEST, about, groups=grouped(notifications), total=len(notifications),
                 questions=questions, base=base, inbox_link=absolute_url("notifications.index"),
                 question_link=lambda d: absolute_url("discussions.show", discussion_id=d.id), **formatters(user, now))
    db.session.execute(sa.update(Notification).where(Notification.id.in_([n.id for n in notifications]))
                       .values(emailed_at=now).execution_options(synchronize_session=False))
    db.session.flush()
    return True


def rebuild_dropped(row) -> None:
    """A queued digest spoke of something its reader may no longer see: the outbox dropped it, so its
    notifications wait again and the next run builds the digest from what the reader may still see."""
    if row.template != "digest" or row.user_id is None:
        return
    setting = db.session.get(DigestSetting, row.user_id)
    if setting is None or setting.last_sent_at is None:
        return
    db.session.execute(sa.update(Notification).where(
        Notification.recipient_id == row.user_id, Notification.emailed_at == setting.last_sent_at)
        .values(emailed_at=None).execution_options(synchronize_session=False))
    setting.last_sent_at = None
    db.session.flush()


def run_digests(now: datetime | None = None) -> int:
    """Queue every digest that is due, committing after each person. Returns how many were queued."""
    now, queued = now or utcnow(), 0
    for user in people_due(now):
        queued += send_digest(user, now)
        db.session.commit()
    return queued
