"""Which candidates a reader may see, decided once per request from the index's stored fields and
the database's current rights, instead of one SQL query per batch of up to SEARCH_MAX_HITS ids.

A document stores its own state as `access` (hub.search.documents: 'open', 'hidden', 'public' …; its change re-indexes it, see Kind.fields) and its community; whether the reader may
read that community is asked of the database (permissions.readable_communities) for the
communities the candidates name, once each per request. So leaving a community or a community
turning private takes effect at once. A document whose stored state may lag the database — a
change still waiting in the search outbox — or one indexed before `access` existed is checked in
SQL as before (services.visible_ids). The page shown is checked in SQL again (services._decorate).
Parity with the SQL predicates of hub.search.kinds is tested in tests/search/test_access.py.
"""

import sqlalchemy as sa

from hub import permissions
from hub.communities.models import Community
from hub.extensions import db
from hub.search.documents import HIDDEN, OPEN, PROPOSAL, PUBLIC
from hub.search.kinds import KINDS
from hub.search.models import SearchChange


#: Outbox rows read per search; beyond them every candidate is checked in SQL.
MAX_PENDING = 2000


class Access:
    """One reader's rights for one request: communities they may read, documents waiting in the outbox."""

    def __init__(self, user):
        self.user = user
        self.signed_in = permissions.is_signed_in(user)
        self.secretariat = permissions.is_secretariat(user)
        self.communities: dict[str, bool] = {"": False}
        # Built once; the ids are one expanding parameter (a list of 1,000 literals cost more to build than to run).
        self._readable = sa.select(Community.id).where(Community.id.in_(sa.bindparam("ids", expanding=True)),
                                                       permissions.readable_communities(user))
        # Read before the searcher is opened: a change applied after this read is in that searcher.
        pending = db.session.execute(sa.select(SearchChange.kind, SearchChange.object_id).limit(MAX_PENDING + 1)).all()
        self.pending = {f"{kind}:{object_id}" for kind, object_id in pending}
        #: A long outbox (a bulk change being applied): the index is not trusted at all until it is short again.
        self.trusted = len(pending) <= MAX_PENDING

    def readable(self, community: str) -> bool:
        return self.communities[community]

    def learn(self, fields_list) -> None:
        """Ask the database, once, about the communities these candidates name that are not known yet."""
        unknown = {fields.get("community") or "" for fields in fields_list} - set(self.communities)
        ids = [int(value) for value in unknown if value.isdigit()]
        readable = set()
        for start in range(0, len(ids), 900):  # SQLite's bound on parameters
            readable.update(db.session.scalars(self._readable, {"ids": ids[start:start + 900]}))
        self.communities.update((value, value.isdigit() and int(value) in readable) for value in unknown)

    def decide(self, kind: str, fields: dict) -> bool | None:
        """Whether the reader may see this document now; None when only the database can say."""
        state = fields.get("access")
        if state is None or not self.trusted or fields["key"] in self.pending:
            return None
        community = fields.get("community") or ""
        if kind == "community":
            return self.readable(community)
        if kind == "discussion":
            return state == OPEN and self.readable(community)
        if kind == "learning_session":
            return None if state == PROPOSAL else self.readable(community)
        if kind == "item":
            if state == HIDDEN:
                return False
            if self.secretariat:
                return True
            return self.readable(community) if community else state == PUBLIC or self.signed_in
        if kind == "person":
            return self.signed_in and state == OPEN
        if kind == "organisation":
            return state == OPEN
        return None


def visible_ids(user, kind_name: str, ids) -> set[int]:
    """Which of these ids of one kind the reader may see now (SQL, current memberships)."""
    kind = KINDS[kind_name]
    query = sa.select(kind.model.id).where(kind.model.id.in_(sa.bindparam("ids", expanding=True)), kind.visible(user))
    return set(db.session.scalars(query, {"ids": list(ids)}))


def permitted(access: Access, hits: list) -> list:
    """The hits (services.Hit) the reader may see: decided on stored fields, or in SQL when unsure."""
    access.learn(hit.fields for hit in hits)
    decided = [access.decide(hit.kind, hit.fields) for hit in hits]
    unsure = [hit for hit, allowed in zip(hits, decided) if allowed is None]
    allowed = set()
    for kind_name in {h.kind for h in unsure}:
        ids = [h.object_id for h in unsure if h.kind == kind_name]
        allowed |= {(kind_name, object_id) for object_id in visible_ids(access.user, kind_name, ids)}
    return [hit for hit, ok in zip(hits, decided) if ok or (ok is None and (hit.kind, hit.object_id) in allowed)]


def load_page(hits: list, user) -> list:
    """Load the page's objects (fresh titles and links) the reader may see now, in SQL; returns the
    hits whose object is not among them (the index lagging the database), shown to nobody."""
    denied = []
    for kind_name in {h.kind for h in hits}:
        kind = KINDS[kind_name]
        ids = [h.object_id for h in hits if h.kind == kind_name]
        objects = {o.id: o for o in db.session.scalars(sa.select(kind.model).where(kind.model.id.in_(ids),
                                                                                   kind.visible(user)))}
        for hit in hits:
            if hit.kind == kind_name:
                hit.obj = objects.get(hit.object_id)
                hit.link = kind.link(hit.obj) if hit.obj is not None else None
                if hit.obj is None:
                    denied.append(hit)
    return denied
