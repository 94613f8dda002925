"""The Whoosh index in the instance folder: its schema, one reused searcher per process, and
one writer at a time across processes (a file lock, then Whoosh's own lock with a timeout)."""

import fcntl
import os
import shutil
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from flask import current_app
from whoosh import index as whoosh_index
from whoosh.fields import ID, KEYWORD, STORED, TEXT, Schema

from hub.search.analysis import HubPositions, hub_analyzer
from hub.search.codec import HubCodec


class IndexUnavailable(Exception):
    """The index is missing, being rebuilt, or unreadable."""


def make_schema() -> Schema:
    """Fields of every document; see hub.search.documents for what fills them."""
    analyzer = hub_analyzer()
    title = TEXT(analyzer=analyzer, stored=True, field_boost=3.0, multitoken_query="or")
    content = TEXT(analyzer=analyzer, stored=True, multitoken_query="or")
    for field in (title, content):
        field.format = HubPositions(field_boost=field.format.field_boost)
    return Schema(
        key=ID(unique=True, stored=True), kind=ID(stored=True), title=title, content=content,
        languages=KEYWORD(stored=True, commas=True), community=ID(stored=True),
        themes=KEYWORD(stored=True, commas=True), region=KEYWORD(stored=True, commas=True), year=ID(stored=True),
        date=STORED, access=STORED)


def index_path() -> Path:
    """The index folder: SEARCH_INDEX_PATH, or instance/search-index."""
    configured = current_app.config.get("SEARCH_INDEX_PATH")
    return Path(configured) if configured else Path(current_app.instance_path) / "search-index"


def open_index(path: Path | None = None, create: bool = False):
    """The index at `path` (created when asked and missing); IndexUnavailable otherwise."""
    path = path or index_path()
    try:
        if whoosh_index.exists_in(str(path)):
            return whoosh_index.open_dir(str(path))
    except Exception as error:  # any unreadable index is "unavailable", never a crash
        raise IndexUnavailable(str(error)) from error
    if not create:
        raise IndexUnavailable("no index")
    path.mkdir(parents=True, exist_ok=True)
    return whoosh_index.create_in(str(path), make_schema())


_searchers: dict[str, tuple] = {}
_searchers_lock = threading.Lock()


def searcher():
    """This process's searcher, reused until the index changes; reopened after a change or a rebuild.

    Not Searcher.refresh(): it reuses the readers of unchanged segments and so keeps showing
    documents deleted from them since (a reply removed from a discussion stayed findable).
    """
    path = index_path()
    try:
        identity = os.stat(path).st_ino
    except OSError as error:
        raise IndexUnavailable("no index") from error
    with _searchers_lock:
        cached = _searchers.get(str(path))
        try:
            if cached is None or cached[0] != identity:
                ix = open_index(path)
                cached = (identity, ix, ix.searcher())
            elif cached[1].latest_generation() != cached[2].reader().generation():
                cached = (identity, cached[1], cached[1].searcher())
        except IndexUnavailable:
            raise
        except Exception as error:
            raise IndexUnavailable(str(error)) from error
        _searchers[str(path)] = cached
        return cached[2]


def forget_searchers() -> None:
    """Drop this process's searchers (after a rebuild, or a corrupt index)."""
    with _searchers_lock:
        _searchers.clear()


@contextmanager
def writer_lock(timeout: float | None = None):
    """Hold the index's writer lock (one process at a time); TimeoutError when it stays taken."""
    timeout = current_app.config["SEARCH_WRITER_TIMEOUT"] if timeout is None else timeout
    path = index_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    deadline = time.monotonic() + timeout
    with open(str(path) + ".lock", "a+") as handle:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise TimeoutError("the search index is busy") from None
                time.sleep(0.02)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def new_writer(ix, **options):
    """A Whoosh writer that writes with the hub's codec (see hub.search.codec)."""
    return ix.writer(codec=HubCodec(), **options)


def write(ix, upserts: list[dict], deletes: list[str]) -> None:
    """Apply one batch in one commit (merging small segments). Call inside writer_lock()."""
    writer = new_writer(ix, timeout=current_app.config["SEARCH_WRITER_TIMEOUT"], delay=0.05)
    names = set(ix.schema.names())
    try:
        for key in deletes:
            writer.delete_by_term("key", key)
        for document in upserts:
            # An index written before a field existed (`access`) takes the rest until it is rebuilt.
            writer.update_document(**{name: value for name, value in document.items()
                                      if name.removeprefix("_stored_") in names})
    except BaseException:
        writer.cancel()
        raise
    writer.commit()


def swap_in(new_path: Path) -> None:
    """Replace the live index folder by a freshly built one. Call inside writer_lock()."""
    path = index_path()
    old = path.with_name(path.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if path.exists():
        path.rename(old)
    new_path.rename(path)
    shutil.rmtree(old, ignore_errors=True)
    forget_searchers()
