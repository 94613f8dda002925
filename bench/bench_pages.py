"""Latency of the home page, the community page and the 200-reply discussion page under 16 concurrent clients.

Builds a demo database in a temporary folder (`flask demo load`), serves the hub with gunicorn
(2 workers on 127.0.0.1, a free port), and reports median and p95 latency and requests/s for each
page next to a static file served by the same server in the same run. Run: .venv/bin/python bench/bench_pages.py
"""

import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CLIENTS = 16
REQUESTS_PER_TARGET = int(os.environ.get("BENCH_REQUESTS", 480))
TIME_LIMIT = float(os.environ.get("BENCH_SECONDS", 60))
LONG_TITLE = "Weekly check-in: what did your coalition do for education this week?"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_database(env: dict, database: Path) -> tuple[str, int]:
    """Create the schema and the demo content; return the community slug and the long discussion's id."""
    has_migrations = any((ROOT / "migrations" / "versions").glob("*.py"))
    if has_migrations:
        subprocess.run([str(BIN / "flask"), "--app", "hub", "db", "upgrade"], env=env, cwd=ROOT, check=True)
    else:
        subprocess.run([str(BIN / "python"), "-c", "from hub import create_app; from hub.extensions import db\n"
                        "with create_app().app_context(): db.create_all()"], env=env, cwd=ROOT, check=True)
    subprocess.run([str(BIN / "flask"), "--app", "hub", "demo", "load"], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    with sqlite3.connect(database) as conn:
        row = conn.execute("SELECT c.slug, d.id FROM discussion d JOIN community c ON c.id = d.community_id "
                           "WHERE d.title = ?", (LONG_TITLE,)).fetchone()
    if row is None:
        sys.exit("The demo has no 200-reply discussion: is hub/discussions/demo.py wired into `demo load`?")
    return row


def wait_until_up(base: str, server) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("gunicorn stopped before serving")
        try:
            urllib.request.urlopen(base + "/healthz", timeout=2).read()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not answer within 30 s")


def hammer(url: str) -> tuple[list[float], float, int]:
    """CLIENTS threads fetch url until REQUESTS_PER_TARGET are done or TIME_LIMIT passes."""
    latencies, errors, lock = [], [0], threading.Lock()
    remaining = [REQUESTS_PER_TARGET]
    stop_at = time.monotonic() + TIME_LIMIT

    def client():
        while time.monotonic() < stop_at:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=30) as answer:
                    answer.read()
                    ok = answer.status == 200
            except OSError:
                ok = False
            elapsed = time.perf_counter() - started
            with lock:
                if ok:
                    latencies.append(elapsed)
                else:
                    errors[0] += 1

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - began, errors[0]


def report(name: str, latencies: list[float], wall: float, errors: int) -> None:
    if not latencies:
        print(f"{name:<28} no successful requests ({errors} errors)")
        return
    ordered = sorted(latencies)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    print(f"{name:<28} {len(ordered):>5} req  median {statistics.median(ordered) * 1000:7.1f} ms  "
          f"p95 {p95 * 1000:7.1f} ms  {len(ordered) / wall:7.1f} req/s  errors {errors}")


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="hub-bench-") as folder:
        database = Path(folder) / "bench.sqlite3"
        env = {**os.environ, "HUB_DATABASE_URL": f"sqlite:///{database}", "HUB_SECRET_KEY": os.urandom(24).hex(),
               "HUB_RATELIMIT_ENABLED": "false"}
        slug, discussion_id = build_database(env, database)
        port = free_port()
        server = subprocess.Popen([str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
                                   "--log-level", "warning", "hub:create_app()"], env=env, cwd=ROOT)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(base, server)
            targets = {"static file (hub.css)": "/static/css/hub.css",
                       "home page (visitor)": "/",
                       "community page": f"/communities/{slug}",
                       "discussion, 200 replies": f"/discussions/{discussion_id}"}
            print(f"{CLIENTS} concurrent clients, gunicorn 2 sync workers, SQLite demo database")
            for name, path in targets.items():
                urllib.request.urlopen(base + path, timeout=30).read()  # warm up templates and caches
                report(name, *hammer(base + path))
        finally:
            server.terminate()
            server.wait(timeout=30)


if __name__ == "__main__":
    main()
