"""What is searchable: per kind, its model, the fields whose change re-indexes it, its document
function, which rows belong in the index, and which rows a reader may see (in SQL, at query time).

A kind's name is its word in hub/kinds.py where both know it ('item', 'person'); an older word that
links may still carry is mapped by OLD_NAMES."""

from dataclasses import dataclass
from typing import Callable

import sqlalchemy as sa
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload
from werkzeug.routing import BuildError

from hub import permissions
from hub.accounts.models import ACTIVE as PERSON_ACTIVE
from hub.accounts.models import User
from hub.communities.models import Community
from hub.discussions.models import Discussion, Reply
from hub.learning_sessions.models import LearningSession
from hub.library.models import Caption, LibraryItem
from hub.organisations.models import Organisation
from hub.search import documents


@dataclass(frozen=True)
class Kind:
    name: str
    label: object
    #: One result's kind, as shown beside it.
    noun: object
    model: type
    document: Callable
    #: Attributes whose change re-indexes the object (others, like last_login_at, do not).
    fields: tuple
    #: SQL condition: rows that belong in the index at all.
    indexable: Callable
    #: SQL condition for a reader (a Flask-Login user): rows they may see now.
    visible: Callable
    link: Callable
    options: tuple = ()
    #: Other documents that embed this one's text: (ids, session) → [(kind, id)].
    related: Callable | None = None
    #: Text kept in other tables: (ids, session) → {id: [...]}, passed to document() as 2nd argument.
    extras: Callable | None = None


def _link(endpoint, **values):
    try:
        return url_for(endpoint, **values)
    except BuildError:  # a feature whose pages are not wired yet
        return None


def _people_of(org_ids, session):
    rows = session.scalars(sa.select(User.id).where(User.organisation_id.in_(org_ids))).all()
    return [("person", person_id) for person_id in rows]


def _visible_people(user):
    if not permissions.is_signed_in(user):
        return sa.false()
    return sa.and_(User.status == PERSON_ACTIVE, User.email_verified_at.is_not(None), User.deleted_at.is_(None))


def _replies(discussion_ids, session):
    found = {}
    rows = session.execute(sa.select(Reply.discussion_id, Reply.body).where(
        Reply.discussion_id.in_(list(discussion_ids)), Reply.deleted_at.is_(None),
        Reply.hidden_at.is_(None)).order_by(Reply.id))
    for discussion_id, body in rows:
        found.setdefault(discussion_id, []).append(body)
    return found


def _captions(item_ids, session):
    found = {}
    rows = session.execute(sa.select(Caption.item_id, Caption.text).where(Caption.item_id.in_(list(item_ids)))
                           .order_by(Caption.id))
    for item_id, text in rows:
        found.setdefault(item_id, []).append(text)
    return found


def _visible_discussions(user):
    # EXISTS, not community_id IN (readable communities): with IN, SQLite probed the community index once
    # per readable community (800 ms for 1,000 candidates at 50,000 documents); EXISTS looks up each
    # candidate by its id, then its one community (2 ms).
    readable = sa.exists().where(Community.id == Discussion.community_id, permissions.readable_communities(user))
    return sa.and_(Discussion.deleted_at.is_(None), Discussion.hidden_at.is_(None), readable)


KINDS: dict[str, Kind] = {kind.name: kind for kind in (
    Kind("community", _l("Communities"), _l("Community"), Community, documents.community_document,
         ("title", "description", "languages", "themes", "region", "deleted_at"),
         indexable=lambda: Community.deleted_at.is_(None),
         visible=permissions.readable_communities,
         link=lambda c: _link("communities.show", slug=c.slug)),
    Kind("discussion", _l("Discussions"), _l("Discussion"), Discussion, documents.discussion_document,
         ("title", "body", "language", "themes", "community_id", "deleted_at", "hidden_at"),
         indexable=lambda: Discussion.deleted_at.is_(None), visible=_visible_discussions,
         link=lambda d: _link("discussions.show", discussion_id=d.id),
         options=(selectinload(Discussion.community),), extras=_replies),
    Kind("item", _l("Library"), _l("Library item"), LibraryItem, documents.library_item_document,
         ("title", "description", "speakers", "transcript", "extracted_text", "languages", "themes", "regions",
          "community_id", "year", "is_public", "deleted_at", "hidden_at"),
         indexable=lambda: LibraryItem.deleted_at.is_(None), visible=permissions.readable_items,
         link=lambda item: _link("library.detail", slug=item.slug), extras=_captions),
    Kind("organisation", _l("Organisations"), _l("Organisation"), Organisation, documents.organisation_document,
         ("name", "acronym", "description", "country", "region", "working_languages", "status", "deleted_at"),
         indexable=lambda: Organisation.deleted_at.is_(None),
         visible=lambda user: sa.and_(Organisation.status == "active", Organisation.deleted_at.is_(None)),
         link=lambda o: _link("organisations.detail", slug=o.slug), related=_people_of),
    Kind("person", _l("People"), _l("Person"), User, documents.person_document,
         ("name", "expertise", "organisation_id", "languages", "status", "email_verified_at", "deleted_at"),
         indexable=lambda: User.deleted_at.is_(None), visible=_visible_people,
         link=lambda p: _link("accounts_people.profile", user_id=p.id), options=(selectinload(User.organisation),)),
    Kind("learning_session", _l("Learning sessions"), _l("Learning session"), LearningSession,
         documents.learning_session_document,
         ("title", "description", "place", "notes", "summary", "languages", "interpretation", "themes",
          "community_id", "starts_at", "status", "deleted_at"),
         indexable=lambda: LearningSession.deleted_at.is_(None),
         visible=lambda user: permissions.readable_sessions(user, LearningSession),
         link=lambda s: _link("learning_sessions.show", session_id=s.id),
         options=(selectinload(LearningSession.community),)),
)}

#: Words search used before it took hub/kinds.py's (old links: /search?kind=library).
OLD_NAMES = {"library": "item"}

#: Model class → kind name, for the outbox's session events.
BY_MODEL = {kind.model: kind.name for kind in KINDS.values()}

#: Models whose change alters another kind's document: model → (fields, obj → [(kind, id)]).
WATCH_ALSO = {
    Reply: (("body", "deleted_at", "hidden_at", "discussion_id"), lambda reply: [("discussion", reply.discussion_id)]),
    Caption: (("text", "item_id"), lambda caption: [("item", caption.item_id)]),
}
