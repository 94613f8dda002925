"""Upload throughput and server memory: 1 GB through tus, 200 MB through the plain form, against gunicorn.

Serves the hub with gunicorn (1 sync worker) on a temporary SQLite database and library folder,
signs in as a fresh member, uploads, and samples the server's resident memory (master and worker)
every 50 ms. The issue's bound: an upload raises server memory by at most 50 MB.
Run: .venv/bin/python bench/bench_upload.py  (BENCH_TUS_MB / BENCH_FORM_MB change the sizes)
"""

import os
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import requests
from tusclient import client as tus_client

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MB = 1024 * 1024
TUS_MB = int(os.environ.get("BENCH_TUS_MB", 1024))
FORM_MB = int(os.environ.get("BENCH_FORM_MB", 200))
LIMIT_MB = 50
EMAIL, PASSWORD = "bench@example.org", "bench-password-123"
MP4_HEAD = bytes.fromhex("000000206674797069736f6d0000020069736f6d69736f32617663316d703431")  # an 'ftyp isom' box
SETUP = f"""
from hub import create_app
from hub.accounts.models import User
from hub.db import utcnow
from hub.extensions import db
from hub.organisations.services import create_organisation
with create_app().app_context():
    db.create_all()
    user = User(email={EMAIL!r}, name="Bench", status="active", email_verified_at=utcnow(),
                organisation=create_organisation("Bench coalition", "KE"))
    user.set_password({PASSWORD!r})
    db.session.add(user)
    db.session.commit()
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_file(path: Path, size_mb: int, head: bytes) -> None:
    """A file of size_mb MB that starts with the given magic bytes."""
    block = os.urandom(MB)
    with open(path, "wb") as out:
        out.write(head + block[len(head):])
        for _ in range(size_mb - 1):
            out.write(block)


class MemoryWatch:
    """Peak resident memory of the gunicorn master and its workers, sampled in a thread."""

    def __init__(self, pid: int):
        self.process, self.peak, self.running = psutil.Process(pid), 0, False

    def rss(self) -> int:
        total = 0
        for proc in [self.process, *self.process.children(recursive=True)]:
            try:
                total += proc.memory_info().rss
            except psutil.NoSuchProcess:
                pass
        return total

    def __enter__(self):
        self.baseline = self.peak = self.rss()
        self.running = True
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()
        return self

    def _sample(self):
        while self.running:
            self.peak = max(self.peak, self.rss())
            time.sleep(0.05)

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()


def sign_in(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    answer = session.post(f"{base}/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token},
                          allow_redirects=False)
    if answer.status_code != 302:
        sys.exit(f"could not sign in ({answer.status_code})")
    return session


def form_token(session: requests.Session, base: str) -> str:
    page = session.get(f"{base}/library/new").text
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def tus_upload(base: str, session: requests.Session, path: Path) -> str:
    cookie = "; ".join(f"{k}={v}" for k, v in session.cookies.items())
    tus = tus_client.TusClient(f"{base}/library/uploads/", headers={"Cookie": cookie})
    uploader = tus.uploader(str(path), chunk_size=32 * MB, metadata={"filename": path.name, "kind": "video"})
    uploader.upload()
    upload_id = uploader.url.rsplit("/", 1)[1]
    answer = session.post(f"{base}/library/new", allow_redirects=False, data={
        "csrf_token": form_token(session, base), "kind": "video", "title": "Bench video", "licence": "cc-by",
        "organisation_id": "0", "community_id": "0", "upload_id": upload_id})
    if answer.status_code != 302:
        sys.exit(f"attaching the tus upload failed ({answer.status_code})")
    return upload_id


def form_upload(base: str, session: requests.Session, path: Path) -> None:
    with open(path, "rb") as handle:
        answer = session.post(f"{base}/library/new", allow_redirects=False, data={
            "csrf_token": form_token(session, base), "kind": "document", "title": "Bench document",
            "licence": "cc-by", "organisation_id": "0", "community_id": "0"},
            files={"file": (path.name, handle, "application/pdf")})
    if answer.status_code != 302:
        sys.exit(f"the form upload failed ({answer.status_code})")


def measure(name: str, size_mb: int, watch_pid: int, action) -> bool:
    with MemoryWatch(watch_pid) as watch:
        started = time.perf_counter()
        action()
        elapsed = time.perf_counter() - started
    rise = (watch.peak - watch.baseline) / MB
    ok = rise <= LIMIT_MB
    print(f"{name:<22} {size_mb:>5} MB in {elapsed:6.1f} s = {size_mb / elapsed:7.1f} MB/s   server RSS "
          f"{watch.baseline / MB:6.1f} MB → peak {watch.peak / MB:6.1f} MB (+{rise:.1f} MB) "
          f"{'ok' if ok else 'OVER ' + str(LIMIT_MB) + ' MB'}")
    return ok


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="hub-bench-upload-") as folder:
        folder = Path(folder)
        env = {**os.environ, "HUB_DATABASE_URL": f"sqlite:///{folder / 'bench.sqlite3'}",
               "HUB_SECRET_KEY": os.urandom(24).hex(), "HUB_RATELIMIT_ENABLED": "false",
               "HUB_SESSION_COOKIE_SECURE": "false", "HUB_LIBRARY_STORAGE": str(folder / "library"),
               "HUB_FFMPEG": "no-ffmpeg-during-the-bench"}
        subprocess.run([str(BIN / "python"), "-c", SETUP], env=env, cwd=ROOT, check=True)
        big, form_file = folder / "big.mp4", folder / "form.pdf"
        make_file(big, TUS_MB, MP4_HEAD)
        make_file(form_file, FORM_MB, b"%PDF-1.4\n")
        port = free_port()
        server = subprocess.Popen([str(BIN / "gunicorn"), "--workers", "1", "--timeout", "300", "--bind",
                                   f"127.0.0.1:{port}", "--log-level", "warning", "hub:create_app()"],
                                  env=env, cwd=ROOT)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(150):
                try:
                    requests.get(base + "/library/", timeout=10)
                    break
                except requests.RequestException:
                    time.sleep(0.2)
            session = sign_in(base)
            session.get(f"{base}/library/new")  # warm up the worker before measuring
            print("gunicorn, 1 sync worker, SQLite; client and server on the same 2-core machine")
            ok = measure("tus (32 MB chunks)", TUS_MB, server.pid, lambda: tus_upload(base, session, big))
            ok &= measure("plain form", FORM_MB, server.pid, lambda: form_upload(base, session, form_file))
        finally:
            server.terminate()
            server.wait(timeout=30)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
