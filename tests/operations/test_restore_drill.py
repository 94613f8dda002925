"""The restore drill: back up a hub while people post and upload, restore it elsewhere, check it whole.

Everything runs as in production, each in its own process: gunicorn (two workers) serves the hub,
`flask backup create` runs in the middle of the load, `flask backup restore` fills a fresh instance and
a fresh database. Then: everything whose answer came back before the backup began is restored, every
library file matches what was uploaded, no unfinished upload became an item, search finds the content.
On PostgreSQL (pg_dump/pg_restore) when HUB_TEST_DATABASE_URL is set.
"""

import hashlib
import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from flask_migrate import upgrade

from hub import create_app
from hub.accounts.models import ACTIVE, User
from hub.communities import membership as memberships
from hub.communities import services as communities
from hub.db import utcnow
from hub.discussions import services as discussions
from hub.extensions import db
from hub.library import storage
from hub.library.models import LibraryItem, MediaFile, Upload
from hub.discussions.models import Reply
from hub.organisations.services import create_organisation
from tests.conftest import PASSWORD, fresh_database
from tests.library.library_samples import pdf_bytes
from tests.library.test_processing_live import BIN, ROOT, _free_port, _wait_for

WRITERS = 3
LOAD_SECONDS = 1.5  # of writing before the backup starts; writers go on until it has finished


def write_config(instance: Path, url: str) -> str:
    """An instance folder whose config.py the server, the CLI and the test all read; returns --app."""
    instance.mkdir()
    (instance / "config.py").write_text(
        f"SECRET_KEY = 'drill-secret-key-drill-secret-key'\nSQLALCHEMY_DATABASE_URI = {url!r}\n"
        "SESSION_COOKIE_SECURE = False\nWTF_CSRF_ENABLED = False\nRATELIMIT_ENABLED = False\n"
        "PREMODERATION_FIRST_POSTS = 0\nTWO_FACTOR_REQUIRED_FOR = []\nPASSWORD_HASH_METHOD = 'scrypt:1024:8:1'\n")
    return f"hub:create_app(instance_path={str(instance)!r})"


def world(count: int) -> tuple[list[str], int]:
    """Writers who are members of a public community with one discussion; returns (emails, discussion id)."""
    organisation = create_organisation("Coalition for the drill", "KE")
    people = []
    for n in range(count):
        person = User(email=f"writer{n}@example.org", name=f"Writer {n}", status=ACTIVE,
                      email_verified_at=utcnow(), organisation=organisation)
        person.set_password(PASSWORD)
        db.session.add(person)
        people.append(person)
    db.session.flush()
    community = communities.create_community(
        {"title": "Drill", "slug": "drill", "description": "", "languages": ["en"], "themes": [], "region": None,
         "visibility": "public", "join_policy": "open", "discoverable": True}, people[0])
    for person in people[1:]:
        memberships.answer_invitation(memberships.invite(community, person), True)
    discussion = discussions.start_discussion(community, people[0],
                                              {"title": "Budgets", "body": "Start", "language": "en"})
    db.session.commit()
    return [p.email for p in people], discussion.id


def word(n: int, prefix: str) -> str:
    """A made-up word per write, letters only (search must find exactly it)."""
    letters = ""
    for _ in range(4):
        n, digit = divmod(n, 26)
        letters += chr(ord("a") + digit)
    return f"{prefix}{letters}"


class Writer(threading.Thread):
    """Signs in, then posts replies, uploads documents and leaves resumable uploads half done, in turn."""

    def __init__(self, base, email, number, discussion_id, stop):
        super().__init__(daemon=True)
        self.base, self.email, self.number, self.discussion_id, self.stop = base, email, number, discussion_id, stop
        self.done = []  # (kind, word, sha256 or None, time the answer came back)
        self.errors = []

    def run(self):
        session = requests.Session()
        session.post(f"{self.base}/login", data={"email": self.email, "password": PASSWORD}, timeout=30)
        n = 0
        while not self.stop.is_set():
            n += 1
            marker = word(self.number * 10_000 + n, "quokka")
            try:
                [self.reply, self.upload, self.half_upload][n % 3](session, marker)
            except requests.RequestException as error:
                self.errors.append(repr(error))

    def reply(self, session, marker):
        response = session.post(f"{self.base}/discussions/{self.discussion_id}/replies",
                                data={"body": f"On budgets: {marker}"}, allow_redirects=False, timeout=60)
        self.record(response, "reply", marker, None)

    def upload(self, session, marker):
        content = pdf_bytes(f"Report {marker}")
        response = session.post(f"{self.base}/library/new", allow_redirects=False, timeout=60, data={
            "kind": "document", "title": f"Report {marker}", "licence": "cc-by", "is_public": "y",
            "organisation_id": "0", "community_id": "0"}, files={"file": (f"{marker}.pdf", content)})
        self.record(response, "item", marker, hashlib.sha256(content).hexdigest())

    def half_upload(self, session, marker):
        content = pdf_bytes(f"Unfinished {marker}")
        created = session.post(f"{self.base}/library/uploads/", timeout=60, headers={
            "Tus-Resumable": "1.0.0", "Upload-Length": str(len(content))})
        if created.status_code != 201:
            self.errors.append(f"tus create {created.status_code}")
            return
        session.patch(created.headers["Location"], data=content[: len(content) // 2], timeout=60, headers={
            "Tus-Resumable": "1.0.0", "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"})

    def record(self, response, kind, marker, digest):
        if response.status_code != 302:
            self.errors.append(f"{kind} {response.status_code}")
            return
        self.done.append((kind, marker, digest, time.monotonic()))


def flask(app_arg: str, *args) -> subprocess.CompletedProcess:
    result = subprocess.run([str(BIN / "flask"), "--app", app_arg, *args], cwd=ROOT, capture_output=True,
                            text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result


@pytest.mark.slow
def test_a_backup_taken_under_load_restores_whole(tmp_path):
    with fresh_database(tmp_path, "drill_source") as source_url, fresh_database(tmp_path, "drill_target") as target_url:
        source_app_arg = write_config(tmp_path / "source", source_url)
        target_app_arg = write_config(tmp_path / "target", target_url)
        source = create_app(instance_path=str(tmp_path / "source"))
        with source.app_context():
            upgrade()
            emails, discussion_id = world(WRITERS)
            db.session.remove()
            db.engine.dispose()
        writers, backup_began, backup_seconds = under_load(tmp_path, source_app_arg, emails, discussion_id)
        started = time.monotonic()
        restored = flask(target_app_arg, "backup", "restore", str(tmp_path / "backup")).stdout.strip()
        assert re.search(r"dropped [1-9]\d* unfinished upload", restored)  # the half uploads were in the database
        restore_seconds = time.monotonic() - started
        target = create_app(instance_path=str(tmp_path / "target"))
        with target.app_context():
            check_restored(target, writers, backup_began)
            db.session.remove()
            db.engine.dispose()
    done = [entry for writer in writers for entry in writer.done]
    print(f"{restored}\n{len(done)} writes in all; with the CLI's start, backup {backup_seconds:.1f} s, "
          f"restore {restore_seconds:.1f} s")
    assert not [error for writer in writers for error in writer.errors]


def under_load(tmp_path, app_arg, emails, discussion_id):
    """Serve with gunicorn, start the writers, back up in the middle; returns (writers, began, seconds)."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(BIN / "gunicorn"), "-w", "2", "--threads", "2", "-b", f"127.0.0.1:{port}",
                               "-t", "60", app_arg], cwd=ROOT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
                              stderr=subprocess.DEVNULL)
    stop = threading.Event()
    writers = [Writer(base, email, n, discussion_id, stop) for n, email in enumerate(emails)]
    try:
        _wait_for(base + "/healthz")
        for writer in writers:
            writer.start()
        time.sleep(LOAD_SECONDS)
        deadline = time.monotonic() + 60  # a busy machine: wait for a few answered writes of each kind
        while len({e[0] for w in writers for e in w.done}) < 2 or sum(len(w.done) for w in writers) < 6:
            assert time.monotonic() < deadline, [w.errors for w in writers]
            time.sleep(0.2)
        began = time.monotonic()
        print("\n" + flask(app_arg, "backup", "create", "--to", str(tmp_path / "backup")).stdout.strip())
        seconds = time.monotonic() - began
        time.sleep(0.5)  # writes go on after the backup: they must simply not be in it
    finally:
        stop.set()
        for writer in writers:
            writer.join(timeout=60)
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    return writers, began, seconds


def check_restored(app, writers, backup_began):
    done = [entry for writer in writers for entry in writer.done]
    before = [entry for entry in done if entry[3] < backup_began]
    assert not [error for writer in writers for error in writer.errors][:5]
    assert len([e for e in before if e[0] == "reply"]) >= 2 and len([e for e in before if e[0] == "item"]) >= 2
    bodies = " ".join(db.session.scalars(sa.select(Reply.body)).all())
    titles = set(db.session.scalars(sa.select(LibraryItem.title)).all())
    for kind, marker, digest, _ in before:
        if kind == "reply":
            assert marker in bodies, f"reply {marker} answered before the backup began is missing"
        else:
            assert f"Report {marker}" in titles, f"item {marker} answered before the backup began is missing"
            item = db.session.scalar(sa.select(LibraryItem).where(LibraryItem.title == f"Report {marker}"))
            original = storage.path_of(item.file("original").storage_name)
            assert hashlib.sha256(original.read_bytes()).hexdigest() == digest
    uploaded = {f"Report {marker}": digest for kind, marker, digest, _ in done if kind == "item"}
    assert titles <= set(uploaded), "only items someone finished adding exist"
    for stored in db.session.scalars(sa.select(MediaFile)).all():  # every file, even one added mid-backup
        assert hashlib.sha256(storage.path_of(stored.storage_name).read_bytes()).hexdigest() == \
            uploaded[stored.item.title]
    assert not any("Unfinished" in (item.extracted_text or "") for item in db.session.scalars(sa.select(LibraryItem)))
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Upload)) == 0  # their bytes were never backed up
    client = app.test_client()
    client.post("/login", data={"email": "writer1@example.org", "password": PASSWORD})
    reply_marker = next(marker for kind, marker, _, _ in before if kind == "reply")
    item_marker = next(marker for kind, marker, _, _ in before if kind == "item")
    assert f"Report {item_marker}" in found_titles(client, item_marker)
    assert "Budgets" in found_titles(client, reply_marker)


def found_titles(client, query: str) -> str:
    """The search page's text without its markup (hits are highlighted with <mark>)."""
    page = client.get(f"/search?q={query}").get_data(as_text=True)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))
