"""The index follows the database: outbox, job runner, rebuild, drift, and damage that never 500s."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

from hub.extensions import db
from hub.jobs import services as jobs
from hub.jobs.models import DONE, Job
from hub.organisations.services import create_organisation
from hub.search import indexing
from hub.search.index import index_path
from hub.search.models import SearchChange


def titles(client, query):
    text = client.get("/search", query_string={"q": query}).get_data(as_text=True)
    return text.replace("<mark>", "").replace("</mark>", "")


def test_rolled_back_changes_never_reach_the_outbox_or_the_index(app, client):
    create_organisation("Lasting network", "KE")
    db.session.commit()
    create_organisation("Vanishing literacy network", "KE")
    db.session.flush()
    db.session.rollback()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SearchChange)) == 0
    assert "Nothing found." in titles(client, "vanishing")


def test_with_the_job_runner_changes_wait_in_the_outbox_then_apply(app, client):
    indexing.reindex()  # an empty index, as after installation
    app.config["SEARCH_SYNC"] = False
    create_organisation("Outbox literacy network", "KE")
    create_organisation("Second outbox network", "KE")
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SearchChange)) == 2
    pokes = db.session.scalars(sa.select(Job).where(Job.kind == "search.apply")).all()
    assert len(pokes) == 1
    assert "Nothing found." in titles(client, "outbox")
    assert jobs.run(once=True) >= 1
    assert "Outbox literacy network" in titles(client, "outbox")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SearchChange)) == 0
    assert db.session.get(Job, pokes[0].id).status == DONE


def test_missing_index_says_rebuilding_queues_a_rebuild_and_the_runner_rebuilds(app, client):
    create_organisation("Phoenix literacy network", "KE")
    db.session.commit()
    shutil.rmtree(index_path())
    page = client.get("/search?q=phoenix")
    assert page.status_code == 200
    assert "Search is being rebuilt" in page.get_data(as_text=True)
    client.get("/search?q=phoenix")
    assert len(db.session.scalars(sa.select(Job).where(Job.kind == "search.reindex")).all()) == 1
    assert client.get("/healthz").get_json()["search"] == "unavailable"
    jobs.run(once=True)
    assert "Phoenix literacy network" in titles(client, "phoenix")
    assert client.get("/healthz").get_json() == {"status": "ok", "database": "ok", "search": "ok"}


def test_corrupt_index_never_causes_a_500(app, client):
    create_organisation("Sturdy literacy network", "KE")
    db.session.commit()
    for file in Path(index_path()).iterdir():
        file.write_bytes(b"\x00garbage" * 10)
    page = client.get("/search?q=sturdy")
    assert page.status_code == 200 and "Search is being rebuilt" in page.get_data(as_text=True)
    jobs.run(once=True)
    assert "Sturdy literacy network" in titles(client, "sturdy")


def test_reindex_and_check_commands(app, runner):
    create_organisation("Checked literacy network", "KE")
    db.session.commit()
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 0 and "The index matches the database." in result.output
    with db.engine.begin() as connection:  # behind the ORM's back: the index cannot know
        connection.execute(sa.text("UPDATE organisation SET deleted_at = CURRENT_TIMESTAMP"))
    result = runner.invoke(args=["search", "check"])
    assert result.exit_code == 1 and "1 extra" in result.output
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0 and "Indexed 0 document(s)." in result.output
    assert runner.invoke(args=["search", "check"]).exit_code == 0


def test_markup_in_content_is_escaped_in_results(app, client):
    create_organisation("<img src=x onerror=alert(1)> Literacy", "KE", description="<b>literacy</b> & more")
    db.session.commit()
    text = client.get("/search?q=literacy").get_data(as_text=True)
    assert "<img src=x" not in text and "&lt;img src=x onerror=alert(1)&gt;" in text


def test_a_running_job_runner_makes_new_content_searchable_within_five_seconds(app, client, database_url):
    app.config["SEARCH_SYNC"] = False
    env = dict(os.environ, HUB_DATABASE_URL=database_url, HUB_SECRET_KEY="runner-test-secret",
               HUB_SEARCH_INDEX_PATH=str(index_path()), HUB_SEARCH_SYNC="false")
    runner = subprocess.Popen([sys.executable, "-m", "flask", "--app", "hub", "jobs", "run"], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        create_organisation("Warm-up network", "KE")
        db.session.commit()
        _wait_for(client, "warm-up", "Warm-up network", 60)  # the runner has started
        create_organisation("Timely literacy network", "KE")
        db.session.commit()
        started = time.monotonic()
        _wait_for(client, "timely", "Timely literacy network", 5)
        assert time.monotonic() - started < 5
    finally:
        runner.terminate()
        assert runner.wait(timeout=30) == 0


def _wait_for(client, query, title, seconds):
    deadline = time.monotonic() + seconds
    while title not in titles(client, query):
        assert time.monotonic() < deadline, f"{title} not searchable after {seconds} s"
        time.sleep(0.1)
