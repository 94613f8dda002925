"""Several processes writing to the index at once lose nothing."""

import multiprocessing

import sqlalchemy as sa

from hub.extensions import db
from hub.search import indexing
from hub.search.models import SearchChange
from tests.search.writers import write_organisations

PROCESSES, EACH = 3, 10


def test_concurrent_writers_lose_nothing(app, client, database_url):
    indexing.reindex()
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(PROCESSES)
    workers = [context.Process(target=write_organisations,
                               args=(database_url, app.instance_path, f"w{n}", EACH, barrier))
               for n in range(PROCESSES)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=300)
    assert [worker.exitcode for worker in workers] == [0] * PROCESSES
    report = indexing.check()  # nothing applied since: each process's commits reached the index
    assert report["kinds"]["organisation"]["database"] == PROCESSES * EACH
    assert report["kinds"]["organisation"]["index"] == PROCESSES * EACH
    assert report["kinds"]["organisation"]["missing"] == [] and report["pending"] == 0
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SearchChange)) == 0
    for n in range(PROCESSES):
        text = client.get(f"/search?q=w{n}").get_data(as_text=True)
        assert f"{EACH} results" in text
