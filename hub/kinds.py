"""The kinds of things features speak of to each other — one word each — with how to find their
community, author, title and page, and who may view them (a predicate of hub/permissions.py).

Moderation (reports, the queue), notifications and the mail outbox store a kind's word and an id
('item', 12) and come back here instead of an if/elif chain per feature. The word is the one in URLs
(/report/item/12) and in stored rows. Search keeps its own registry of what is indexed
(hub/search/kinds.py) under the same words; the audit log, below every feature, stores these words too
(create_app hands it name_of), and table names for what has no kind (organisation, community).
"""

from dataclasses import dataclass
from typing import Callable

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from hub import permissions
from hub.accounts.models import ACTIVE as ACCOUNT_ACTIVE
from hub.accounts.models import User
from hub.communities.models import Membership
from hub.discussions.models import Discussion, Reply
from hub.extensions import db
from hub.learning_sessions.models import LearningSession
from hub.library.models import LibraryItem
from hub.survey.models import Introduction, SurveyRound
from hub.survey.plan_models import AnswerReviewer


@dataclass(frozen=True)
class Kind:
    #: The one word for the kind: in URLs, stored rows and code.
    name: str
    label: object
    model: type
    #: obj → the community it lives in, or None.
    community: Callable
    #: obj → the id of the person whose content it is (the person, for a person), or None.
    author_id: Callable
    title: Callable
    #: obj → (endpoint, values) of its page.
    page: Callable
    #: (person, obj) → may this person see it where it is shown?
    can_view: Callable
    #: Moderators can hide it (and restore it).
    hideable: bool = False


def _can_view_reply(user, reply) -> bool:
    return reply.hidden_at is None and permissions.can_view_discussion(user, reply.discussion)


def _can_view_round(user, survey_round) -> bool:
    return permissions.can_answer_survey(user, user.organisation) or permissions.is_secretariat(user)


def _can_view_introduction(user, intro) -> bool:
    return any(permissions.is_focal_point_of(user, org) for org in (intro.seeker, intro.helper))


def _can_view_reviewed_answers(user, reviewer) -> bool:
    """A named reviewer's request: while the person may still read the organisation's notes (as its page asks)."""
    return reviewer.organisation.is_listed and permissions.can_view_answer_notes(user, reviewer.organisation,
                                                                                 [reviewer])


def _nothing(obj):
    return None


KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("discussion", _l("Discussion"), Discussion, lambda d: d.community, lambda d: d.author_id,
         lambda d: d.title, lambda d: ("discussions.show", {"discussion_id": d.id}),
         permissions.can_view_discussion, hideable=True),
    Kind("reply", _l("Reply"), Reply, lambda r: r.discussion.community, lambda r: r.author_id,
         lambda r: r.discussion.title,
         lambda r: ("discussions.permalink", {"discussion_id": r.discussion_id, "reply_id": r.id}),
         _can_view_reply, hideable=True),
    Kind("item", _l("Library item"), LibraryItem, lambda i: i.community, lambda i: i.owner_id, lambda i: i.title,
         lambda i: ("library.by_id", {"item_id": i.id}), permissions.can_view_item, hideable=True),
    Kind("person", _l("Profile"), User, _nothing, lambda p: p.id, lambda p: p.name,
         lambda p: ("accounts_people.profile", {"user_id": p.id}), permissions.can_view_profile),
    Kind("membership", _l("Membership"), Membership, lambda m: m.community, lambda m: m.user_id,
         lambda m: m.community.title, lambda m: ("communities.show", {"slug": m.community.slug}),
         lambda user, m: user.id == m.user_id or permissions.can_facilitate(user, m.community)),
    Kind("survey_round", _l("Survey round"), SurveyRound, _nothing, _nothing, lambda r: r.title,
         lambda r: ("survey.index", {}), _can_view_round),
    Kind("introduction", _l("Introduction"), Introduction, _nothing, _nothing,
         lambda i: f"{i.seeker.display_name} – {i.helper.display_name}", lambda i: ("survey_exchanges.show", {"intro_id": i.id}),
         _can_view_introduction),
    Kind("learning_session", _l("Learning session"), LearningSession, lambda s: s.community, lambda s: s.created_by_id,
         lambda s: s.title, lambda s: ("learning_sessions.show", {"session_id": s.id}), permissions.can_view_session),
    # The audit log's word for it already (its table's): one word everywhere.
    Kind("survey_answer_reviewer", _l("Reviewer of survey answers"), AnswerReviewer, _nothing, _nothing,
         lambda r: f"{r.organisation.display_name} · {r.round.title}",
         lambda r: ("survey_plans.answer_notes", {"round_id": r.round_id, "slug": r.organisation.slug}),
         _can_view_reviewed_answers),
)}
_BY_MODEL = {kind.model: kind for kind in KINDS.values()}
#: What can be reported to the moderators, by word (and its label).
REPORTABLE = {name: KINDS[name] for name in ("discussion", "reply", "item", "person")}


def of(obj) -> Kind:
    """The kind of an object."""
    return _BY_MODEL[type(obj)]


def name_of(obj) -> str | None:
    """The kind's word for an object, or None when it is no kind."""
    kind = _BY_MODEL.get(type(obj))
    return kind.name if kind is not None else None


def get(name: str, object_id: int):
    """The object of this kind and id, or None (unknown kind or id)."""
    kind = KINDS.get(name)
    return db.session.get(kind.model, object_id) if kind is not None else None


def link(obj) -> str:
    """The path of the object's page, built in requests and in jobs alike (by what never changes:
    an item's link is by id, so a renamed slug still reaches it)."""
    endpoint, values = of(obj).page(obj)
    return current_app.url_map.bind("hub.invalid").build(endpoint, values)


def can_view(user, obj) -> bool:
    """Whether `user` may see `obj` now as something to be told about: live (neither hidden nor
    deleted) and shown to them by its page's predicate; unknown kinds: no."""
    if getattr(obj, "hidden_at", None) is not None or getattr(obj, "deleted_at", None) is not None:
        return False
    kind = _BY_MODEL.get(type(obj))
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
