"""Session events that write the search outbox in the same transaction as the content.

Features do not call search: after each flush, changed objects of searchable models (and of
models other documents embed, see WATCH_ALSO) become search_change rows; so do the rows a bulk
`sa.update(...)`/`sa.delete(...)` of such a model is about to change (do_orm_execute). After commit, the
changes reach the index through the job runner ('search.apply', queued in the same
transaction), or at once in this process when SEARCH_SYNC is on (tests).
"""

import logging

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from hub.db import utcnow
from hub.jobs.models import QUEUED, Job
from hub.search.indexing import apply_pending
from hub.search.kinds import KINDS, WATCH_ALSO
from hub.search.models import DELETE, UPSERT, SearchChange

log = logging.getLogger(__name__)




def _changed(obj, fields) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in fields if name in state.attrs)


def _collect(session) -> list[tuple[str, int, str]]:
    changes = []
    for group, op in ((session.new, UPSERT), (session.dirty, UPSERT), (session.deleted, DELETE)):
        for obj in group:
            watched = _watched_model(type(obj))
            if watched is None or (group is session.dirty and not _changed(obj, watched[0])):
                continue
            fields, keys, own = watched
            for kind_name, object_id in keys(obj):
                if object_id is not None:
                    changes.append((kind_name, object_id, op if own else UPSERT))
    return changes


def after_flush(session, flush_context) -> None:
    """Record this flush's searchable changes (once each per transaction) in the outbox."""
    _record(session, _collect(session))


def bulk_statement(state) -> None:
    """Record the rows a bulk UPDATE or DELETE of a watched model is about to change, before it runs
    (`sa.update(User).where(...)` changes no ORM object, so no flush would see it)."""
    if not (state.is_update or state.is_delete) or state.execution_options.get("search_outbox_skip"):
        return
    mapper = state.bind_arguments.get("mapper")
    watched = _watched_model(mapper.class_) if mapper is not None else None
    if watched is None:
        return
    fields, keys, own = watched
    statement = state.statement
    if state.is_update and not {getattr(column, "key", column) for column in statement._values} & set(fields):
        return  # a counter or a lock: nothing a document shows
    query = sa.select(mapper.class_)
    if statement.whereclause is not None:
        query = query.where(statement.whereclause)
    found = state.session.execute(query.execution_options(search_outbox_skip=True)).scalars().all()
    op = DELETE if state.is_delete and own else UPSERT
    _record(state.session, [(kind, object_id, op) for obj in found for kind, object_id in keys(obj)
                            if object_id is not None])


def _watched_model(model):
    """(fields, obj → [(kind, id)], whether the model is a kind itself) for a watched model, or None."""
    for kind in KINDS.values():
        if model is kind.model:
            return kind.fields, lambda o, name=kind.name: [(name, o.id)], True
    if model in WATCH_ALSO:
        return (*WATCH_ALSO[model], False)
    return None


def _record(session, changes) -> None:
    seen = session.info.setdefault("search_seen", set())
    rows = [dict(kind=k, object_id=i, op=op, created_at=utcnow())
            for k, i, op in changes if (k, i, op) not in seen]
    if not rows:
        return
    seen.update((row["kind"], row["object_id"], row["op"]) for row in rows)
    connection = session.connection()
    connection.execute(sa.insert(SearchChange.__table__), rows)
    if not _sync() and not session.info.get("search_poked"):
        _poke(connection)
        session.info["search_poked"] = True


def _poke(connection) -> None:
    queued = connection.execute(sa.select(Job.id).where(Job.kind == "search.apply", Job.status == QUEUED)
                                .limit(1)).first()
    if queued is None:
        now = utcnow()
        connection.execute(sa.insert(Job.__table__), [dict(
            kind="search.apply", payload={}, status=QUEUED, attempts=0, max_attempts=5, run_after=now,
            last_error="", created_at=now, updated_at=now)])


def _sync() -> bool:
    if not has_app_context():
        return False
    setting = current_app.config.get("SEARCH_SYNC")
    return bool(current_app.config.get("TESTING")) if setting is None else bool(setting)


def after_commit(session) -> None:
    """In SEARCH_SYNC mode, apply the outbox now, in a session of its own."""
    had_changes = bool(session.info.pop("search_seen", None))
    session.info.pop("search_poked", None)
    if had_changes and _sync():
        with Session(bind=session.get_bind()) as own:
            try:
                apply_pending(own)
            except Exception:  # the change is committed and stays in the outbox for the next run
                log.exception("search: applying changes after commit failed")


def after_rollback(session, previous_transaction=None) -> None:
    """A rolled-back transaction's changes never reach the outbox; forget them."""
    session.info.pop("search_seen", None)
    session.info.pop("search_poked", None)


def register() -> None:
    """Listen to every session's flushes and commits (once per process)."""
    if not event.contains(Session, "after_flush", after_flush):
        event.listen(Session, "after_flush", after_flush)
        event.listen(Session, "do_orm_execute", bulk_statement)
        event.listen(Session, "after_commit", after_commit)
        event.listen(Session, "after_soft_rollback", after_rollback)
