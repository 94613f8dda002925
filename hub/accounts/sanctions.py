"""Sanctions with words: silence (read-only) and suspension, each with a reason and an optional end.

The secretariat sets them from the desk (hub/desk/people.py, which audits); the person is told by
email and on the page in their language, with how to appeal; the job runner lifts a sanction when it
ends, exactly once (a conditional UPDATE), and audits that with no actor (the system).
Whether a silenced person may post is asked in one place: permissions.can_contribute().
"""

from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from hub.accounts import services
from hub.accounts.models import ACTIVE, SUSPENDED, User
from hub.audit import record
from hub.db import utcnow
from hub.extensions import db
from hub.jobs.services import enqueue, handler
from hub.mail import absolute_url, send_email

SILENCE, SUSPENSION = "silence", "suspend"
LIFT_JOB = "accounts.lift_sanction"


def silence(person: User, reason: str, until: datetime | None = None) -> None:
    """Make the account read-only (until a time, or until lifted); flushes."""
    person.silenced_at, person.silenced_until, person.silence_reason = utcnow(), until, reason
    _schedule_lift(person, SILENCE, until)
    db.session.flush()


def unsilence(person: User) -> None:
    """Lift a silence now; flushes."""
    person.silenced_at = person.silenced_until = None
    person.silence_reason = ""
    db.session.flush()


def suspend(person: User, reason: str, until: datetime | None = None) -> None:
    """Suspend the account with a reason (every session ends); flushes."""
    services.suspend(person, until)
    person.suspension_reason = reason
    _schedule_lift(person, SUSPENSION, until)
    db.session.flush()


def reinstate(person: User) -> None:
    """Lift a suspension now; flushes."""
    person.status, person.suspended_until, person.suspension_reason = ACTIVE, None, ""
    db.session.flush()


def _schedule_lift(person: User, kind: str, until: datetime | None) -> None:
    if until is not None:
        enqueue(LIFT_JOB, {"user_id": person.id, "kind": kind}, run_after=until)


@handler(LIFT_JOB)
def lift_when_ended(payload: dict) -> None:
    """The job runner lifts a sanction that has ended: once (the UPDATE matches only while it holds),
    audited with no actor. A sanction lifted or extended meanwhile is left alone."""
    now, user_id = utcnow(), payload.get("user_id")
    if payload.get("kind") == SILENCE:
        statement = sa.update(User).where(User.id == user_id, User.silenced_at.is_not(None),
                                          User.silenced_until.is_not(None), User.silenced_until <= now).values(
            silenced_at=None, silenced_until=None, silence_reason="")
        action = "lift_silence"
    else:
        statement = sa.update(User).where(User.id == user_id, User.status == SUSPENDED,
                                          User.suspended_until.is_not(None), User.suspended_until <= now).values(
            status=ACTIVE, suspended_until=None, suspension_reason="")
        action = "lift_suspension"
    if db.session.execute(statement.execution_options(synchronize_session=False)).rowcount:
        person = db.session.get(User, user_id, populate_existing=True)
        record(action, person, details={"ended": now.isoformat()}, actor=None)


def explain(person: User, kind: str) -> list[str]:
    """What the person reads about their sanction, in the current language: what, why, until when, appeal."""
    if kind == SILENCE:
        reason, until = person.silence_reason, person.silenced_until
        lines = [_("Your account is read-only: you can still read, but you cannot post, reply, upload, "
                   "react or report for now.")]
    else:
        reason, until = person.suspension_reason, person.suspended_until
        lines = [_("Your account is suspended.")]
    if reason:
        lines.append(_("Why: %(reason)s", reason=reason))
    lines.append(_("Until %(date)s.", date=format_date(until.date(), "long")) if until is not None
                 else _("Until the secretariat lifts it."))
    lines.append(_("To appeal, write to the secretariat at %(email)s.", email=current_app.config["APPEAL_EMAIL"]))
    return lines


def tell(person: User, kind: str) -> None:
    """Email the person about their new sanction, in their language."""
    with force_locale(person.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        subject = (_("Your Learning Hub account is read-only") if kind == SILENCE
                   else _("Your Learning Hub account is suspended"))
        lines = explain(person, kind)
    send_email(person.email, "account_notice", person.locale, user=person, user_id=person.id,
               subject_text=subject, lines=lines, link=absolute_url("core.home"))
