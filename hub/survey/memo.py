"""Figures computed from every organisation's survey answers (the map's heat maps, the home page's
"organisations that need what you offer"), kept in the process while the answers stay the same.

Each key names everything a figure depends on besides the data — round, filters, view, language and the
viewer's organisation (the disclosure rule leaves out the viewer's own) — so one organisation never gets
another's figures; `version()`, one small query, changes whenever a submission, an organisation or a round
is written (their updated_at), and so does the day (rounds publish by date): no figure outlives its data.
"""

import threading
from collections import OrderedDict
from datetime import date

import sqlalchemy as sa

from hub.extensions import db
from hub.organisations.models import Organisation
from hub.survey.models import Submission, SurveyRound

#: Figures kept per process (a few per round, view, filter and organisation); the oldest go first.
LIMIT = 512
_kept: OrderedDict = OrderedDict()
_lock = threading.Lock()  # a worker's threads share _kept (deploy/gunicorn.conf.py: two each)


def version() -> tuple:
    """How many submissions, organisations and rounds there are, when each table last changed, and the day."""
    parts = [sa.select(aggregate).select_from(model).scalar_subquery()
             for model in (Submission, Organisation, SurveyRound)
             for aggregate in (sa.func.count(), sa.func.max(model.updated_at))]
    return tuple(db.session.execute(sa.select(*parts)).one()) + (date.today(),)


def remembered(key: tuple, compute):
    """compute(), or what it returned for the same key while version() was the same."""
    full = (key, version())
    with _lock:
        if full in _kept:
            _kept.move_to_end(full)
            return _kept[full]
    value = compute()  # outside the lock: two threads may both compute it once, never wait on each other
    with _lock:
        _kept[full] = value
        while len(_kept) > LIMIT:
            _kept.popitem(last=False)
    return value
