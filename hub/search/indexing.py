"""Bring the index up to the database: apply the outbox in batches, rebuild, report drift.

Whoever applies holds the writer lock while reading the outbox *and* the objects, so a later
writer always writes newer state; outbox rows are deleted only after the index commit, so a
crash means re-applying (idempotent), never losing a change. The database transaction ends before
the index is written (the rule in hub.jobs.services): the writer lock is a file lock, not a row lock.
"""

import shutil
from collections import defaultdict
from pathlib import Path

import sqlalchemy as sa
from whoosh import index as whoosh_index

from hub.extensions import db
from hub.jobs.services import enqueue, handler
from hub.search.index import (IndexUnavailable, index_path, make_schema, new_writer, open_index, searcher, swap_in,
                              write, writer_lock)
from hub.search.kinds import KINDS
from hub.search.models import DELETE, SearchChange

BATCH = 500


def load_documents(session, kind_name: str, ids) -> dict[int, dict]:
    """Documents of the given ids that belong in the index, by id (absent ids are to be removed)."""
    kind = KINDS[kind_name]
    query = sa.select(kind.model).options(*kind.options).where(kind.model.id.in_(list(ids)), kind.indexable())
    if kind.extras is None:
        return {obj.id: kind.document(obj) for obj in session.scalars(query)}
    extras = kind.extras(ids, session)
    return {obj.id: kind.document(obj, extras.get(obj.id, [])) for obj in session.scalars(query)}


def _plan(session, changes) -> tuple[list[dict], list[str]]:
    wanted, removed = defaultdict(set), []
    for change in changes:
        if change.kind not in KINDS:
            continue
        if change.op == DELETE:
            removed.append(f"{change.kind}:{change.object_id}")
        else:
            wanted[change.kind].add(change.object_id)
    for kind_name in list(wanted):
        related = KINDS[kind_name].related
        if related and wanted[kind_name]:
            for other, other_id in related(wanted[kind_name], session):
                wanted[other].add(other_id)
    upserts = []
    for kind_name, ids in wanted.items():
        found = load_documents(session, kind_name, ids)
        upserts.extend(found.values())
        removed.extend(f"{kind_name}:{i}" for i in ids - set(found))
    return upserts, removed


def apply_pending(session=None) -> int:
    """Apply every outbox change to the index (one writer at a time); returns how many were applied."""
    session = session or db.session
    applied = 0
    with writer_lock():
        try:
            ix = open_index()
        except IndexUnavailable:
            return rebuild(session)
        while changes := session.scalars(sa.select(SearchChange).order_by(SearchChange.id).limit(BATCH)).all():
            ids = [c.id for c in changes]
            upserts, deletes = _plan(session, changes)
            session.rollback()  # no transaction stays open while the index is written (hub.jobs.services)
            write(ix, upserts, deletes)
            session.execute(sa.delete(SearchChange).where(SearchChange.id.in_(ids)))
            session.commit()
            applied += len(changes)
    return applied


def _all_ids(session, kind):
    return session.scalars(sa.select(kind.model.id).where(kind.indexable()).order_by(kind.model.id)).all()


def rebuild(session=None) -> int:
    """Build a fresh index from the database beside the live one, then swap it in. Hold writer_lock()."""
    session = session or db.session
    up_to = session.scalar(sa.select(sa.func.max(SearchChange.id))) or 0
    path = index_path()
    new_path = Path(str(path) + ".new")
    shutil.rmtree(new_path, ignore_errors=True)
    new_path.mkdir(parents=True)
    ix = whoosh_index.create_in(str(new_path), make_schema())
    writer, count = new_writer(ix, limitmb=128), 0
    for kind in KINDS.values():
        ids = _all_ids(session, kind)
        for start in range(0, len(ids), BATCH):
            documents = list(load_documents(session, kind.name, ids[start:start + BATCH]).values())
            session.rollback()  # read, then index outside any transaction
            session.expunge_all()
            for document in documents:
                writer.add_document(**document)
                count += 1
    writer.commit(optimize=True)
    swap_in(new_path)
    session.execute(sa.delete(SearchChange).where(SearchChange.id <= up_to))
    session.commit()
    return count


def reindex(session=None) -> int:
    """Rebuild the index from the database; returns the number of documents."""
    with writer_lock(timeout=600):
        return rebuild(session)


def check(session=None) -> dict:
    """Drift between database and index: per kind, counts and the keys missing or extra."""
    session = session or db.session
    try:
        reader = searcher().reader()
        in_index = defaultdict(set)
        for _, fields in reader.iter_docs():
            kind_name, _, object_id = fields["key"].partition(":")
            in_index[kind_name].add(int(object_id))
    except IndexUnavailable as error:
        return {"usable": False, "error": str(error)}
    report = {"usable": True, "pending": session.scalar(sa.select(sa.func.count()).select_from(SearchChange)),
              "kinds": {}}
    for kind in KINDS.values():
        expected = set(_all_ids(session, kind))
        report["kinds"][kind.name] = {
            "database": len(expected), "index": len(in_index[kind.name]),
            "missing": sorted(expected - in_index[kind.name]), "extra": sorted(in_index[kind.name] - expected)}
    return report


def index_usable() -> bool:
    """Whether a searcher can be opened on the index now (for /healthz)."""
    try:
        searcher()
        return True
    except IndexUnavailable:
        return False


def request_rebuild() -> None:
    """Queue a rebuild (once) for the job runner; flushed with the caller's transaction."""
    enqueue("search.reindex", unique=True)


@handler("search.apply")
def apply_job(payload: dict) -> None:
    """Job: apply the outbox to the index."""
    apply_pending(db.session)


@handler("search.reindex", max_attempts=3)
def reindex_job(payload: dict) -> None:
    """Job: rebuild the index from the database."""
    reindex(db.session)
