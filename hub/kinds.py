"""The kinds of things features speak of to each other — one name each, its model and who may view it.

Notifications and the mail outbox store a kind and an id ('discussion', 12) and come back here to
load the object and ask hub/permissions.py whether a person may still see it, instead of an if/elif
chain per feature. A hidden or deleted post is visible to nobody here: notices about it are withdrawn.
"""

from dataclasses import dataclass
from typing import Callable

import sqlalchemy as sa

from hub import permissions
from hub.accounts.models import ACTIVE as ACCOUNT_ACTIVE
from hub.accounts.models import User
from hub.communities.models import Membership
from hub.discussions.models import Discussion, Reply
from hub.extensions import db
from hub.library.models import LibraryItem
from hub.survey.models import Introduction, SurveyRound


@dataclass(frozen=True)
class Kind:
    #: The one name stored with notifications and mail (the model's table name).
    name: str
    model: type
    #: (person, object) → may this person see it?
    can_view: Callable


def _can_view_round(user, survey_round) -> bool:
    return permissions.can_answer_survey(user, user.organisation) or permissions.is_secretariat(user)


def _can_view_introduction(user, intro) -> bool:
    return any(permissions.is_focal_point_of(user, org) for org in (intro.seeker, intro.helper))


KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("discussion", Discussion, permissions.can_view_discussion),
    Kind("reply", Reply, lambda user, reply: can_view(user, reply.discussion)),
    Kind("library_item", LibraryItem, permissions.can_view_item),
    Kind("membership", Membership,
         lambda user, m: user.id == m.user_id or permissions.can_facilitate(user, m.community)),
    Kind("survey_round", SurveyRound, _can_view_round),
    Kind("survey_introduction", Introduction, _can_view_introduction),
)}


def can_view(user, obj) -> bool:
    """Whether `user` may see `obj` (hidden, deleted and unknown kinds: no)."""
    if getattr(obj, "hidden_at", None) is not None or getattr(obj, "deleted_at", None) is not None:
        return False
    kind = KINDS.get(obj.__tablename__)
    return kind is not None and kind.can_view(user, obj)


def visible(user, about) -> set[tuple[str, int]]:
    """The (kind, id) pairs of `about` that `user` may see now: one query per kind."""
    wanted = {}
    for name, object_id in about:
        wanted.setdefault(name, set()).add(object_id)
    permissions.forget_memberships(user)  # asked again now, not from an earlier answer
    found = set()
    for name, ids in wanted.items():
        kind = KINDS.get(name)
        if kind is None:
            continue
        for obj in db.session.scalars(sa.select(kind.model).where(kind.model.id.in_(ids))):
            if can_view(user, obj):
                found.add((name, obj.id))
    return found


def may_see(user_id: int, about) -> bool:
    """Whether the person, still active, may see every [kind, id] in `about` now (the mail outbox asks)."""
    user = db.session.get(User, user_id)
    if user is None or user.status != ACCOUNT_ACTIVE or user.is_deleted:
        return False
    return len(visible(user, about)) == len({(name, object_id) for name, object_id in about})
