"""While the job runner converts a real minute of video, the item and its file keep answering.

Everything runs as it does in production, each in its own process: gunicorn serves the hub, the job
runner (`flask jobs run`) converts with ffmpeg, and this test asks for the item page and byte ranges
of the file the whole time. Before the job held its transaction through ffmpeg, these requests waited
10 s for the database and failed with 500 ("database is locked").
"""

import io
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa

from hub import create_app
from hub.extensions import db
from hub.jobs.models import DONE, RUNNING, Job
from hub.library.models import LibraryItem
from tests.conftest import PASSWORD, fresh_database

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _minute_of_video(folder: Path) -> bytes:
    path = folder / "minute.mp4"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "testsrc=size=640x360:rate=30:duration=60",
                    "-f", "lavfi", "-i", "sine=frequency=440:duration=60", "-c:v", "libx264", "-preset", "ultrafast",
                    "-c:a", "aac", "-shortest", str(path)], check=True)
    return path.read_bytes()


def _add_public_video(app, video: bytes) -> tuple[str, int]:
    """A signed-in member adds a public video through the form; returns its slug and original file id."""
    from hub.accounts.models import ACTIVE, User
    from hub.db import utcnow
    from hub.organisations.services import create_organisation
    user = User(email="filmmaker@example.org", name="Filmmaker", status=ACTIVE, email_verified_at=utcnow(),
                organisation=create_organisation("Coalition", "KE"))
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    client = app.test_client()
    client.post("/login", data={"email": user.email, "password": PASSWORD})
    response = client.post("/library/new", content_type="multipart/form-data", data={
        "kind": "video", "title": "A minute of budget tracking", "licence": "cc-by", "is_public": "y",
        "organisation_id": "0", "community_id": "0", "file": (io.BytesIO(video), "minute.mp4")})
    assert response.status_code == 302
    item = db.session.scalar(sa.select(LibraryItem))
    assert item.media_status == "pending" and item.is_public
    return item.slug, item.file("original").id


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            requests.get(url, timeout=10)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise AssertionError(f"{url} never answered")


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


@pytest.mark.slow
def test_item_page_and_seeking_answer_while_the_runner_converts_a_video(tmp_path):
    instance = tmp_path / "instance"
    instance.mkdir()
    with fresh_database(tmp_path, "hub_live") as url:
        (instance / "config.py").write_text(
            f"SECRET_KEY = 'live-test-secret-key'\nSQLALCHEMY_DATABASE_URI = {url!r}\n"
            "SESSION_COOKIE_SECURE = False\nWTF_CSRF_ENABLED = False\nRATELIMIT_ENABLED = False\n"
            "PREMODERATION_FIRST_POSTS = 0\n")
        app = create_app(instance_path=str(instance))
        with app.app_context():
            db.create_all()
            slug, file_id = _add_public_video(app, _minute_of_video(tmp_path))
            port = _free_port()
            factory = f"hub:create_app(instance_path={str(instance)!r})"
            env = {**os.environ, "PYTHONUNBUFFERED": "1"}
            server = subprocess.Popen([str(BIN / "gunicorn"), "-w", "2", "-b", f"127.0.0.1:{port}", "-t", "60",
                                       factory], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
            runner = None
            try:
                base = f"http://127.0.0.1:{port}"
                _wait_for(base + "/healthz")
                runner = subprocess.Popen([str(BIN / "flask"), "--app", factory, "jobs", "run"], cwd=ROOT, env=env)
                timings, statuses = _measure(base, slug, file_id, lambda: _job_status(app))
            finally:
                for process in (runner, server):
                    if process is not None:
                        process.send_signal(signal.SIGTERM)
                        process.wait(timeout=60)
            db.session.expire_all()
            assert _job_status(app) == DONE
            item = db.session.scalar(sa.select(LibraryItem))
            assert item.media_status == "done" and {f.role for f in item.files} >= {"audio", "360p", "poster"}
            db.session.remove()
            db.engine.dispose()
    pages = timings["page"]
    print(f"\nDuring the conversion: {len(pages)} item pages, p95 {_p95(pages):.3f} s, max {max(pages):.3f} s; "
          f"{len(timings['range'])} range requests, p95 {_p95(timings['range']):.3f} s; statuses {sorted(set(statuses))}")
    assert not [s for s in statuses if s >= 500]
    assert set(statuses) <= {200, 206}
    assert _p95(pages) < 1.0
    assert len(pages) >= 10, "the conversion ended before the pages could be measured"


def _job_status(app) -> str | None:
    with db.engine.connect() as connection:
        return connection.scalar(sa.select(Job.status).where(Job.kind == "library.process_media"))


def _measure(base: str, slug: str, file_id: int, job_status) -> tuple[dict, list]:
    """Ask for the item page and byte ranges of its file (two visitors at once) while the job runs."""
    timings, statuses = {"page": [], "range": []}, []
    started = threading.Event()
    finished = threading.Event()

    def visitor(name, path, headers):
        session = requests.Session()
        while not finished.is_set():
            during, begin = started.is_set(), time.monotonic()
            try:
                response = session.get(base + path, headers=headers, timeout=30)
                status = response.status_code
            except requests.RequestException:
                status = 599
            if during:  # begun while the job was running
                timings[name].append(time.monotonic() - begin)
                statuses.append(status)
            time.sleep(0.05)
    threads = [threading.Thread(target=visitor, args=("page", f"/library/{slug}", {})),
               threading.Thread(target=visitor, args=("range", f"/library/{slug}/files/{file_id}",
                                                      {"Range": "bytes=0-99"}))]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 300
    try:
        while time.monotonic() < deadline:
            status = job_status()
            if status == RUNNING:
                started.set()
            elif started.is_set() or status not in (None, "queued"):
                break
            time.sleep(0.2)
    finally:
        finished.set()
        for thread in threads:
            thread.join(timeout=60)
    return timings, statuses
