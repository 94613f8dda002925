"""How many active members one machine holds, and what saturates first.

Loads the demo into a temporary instance, serves it with gunicorn as deploy/hub-web.service does
(deploy/gunicorn.conf.py: 2 workers per core, 2 threads each) next to a job runner, on loopback only,
then runs a realistic mix at rising concurrency, each level for BENCH_SECONDS (default 8):
mostly reads (home, community, discussion, library list and item pages: 80 %), searches (10 %),
replies (7 %) and uploads of a 200 KB PDF through the form (3 %). Each virtual member is signed in
as a demo member and sends its next request as soon as the last is answered (no think time), so a
level measures throughput; an *active member* is counted as one request every THINK seconds (30).

Prints, per level: requests/s, p50/p95 latency (reads, searches, posts, uploads), errors, and the CPU
the hub's processes used against what the machine has, so CPU saturation is told apart from the
database's write lock. The machine may be shared: CPU seconds per request are printed too.
BENCH_DATABASE_URL (an empty PostgreSQL database) replaces SQLite. Run: .venv/bin/python bench/bench_capacity.py
"""

import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil
import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
LEVELS = [int(n) for n in os.environ.get("BENCH_LEVELS", "2,4,8,16").split(",")]
SECONDS = float(os.environ.get("BENCH_SECONDS", 8))
THINK = 30  # seconds between two requests of one active member (reading, typing)
P95_LIMIT = 1.0  # seconds: above it, a level is past what the machine holds
MEMBERS = ["member", "facilitator", "focal", "moussa", "layla", "joao", "rahim"]
PASSWORD = "learning-hub-demo"
WORDS = ["education", "budget", "teachers", "girls", "financing", "climate", "advocacy", "école"]
MIX = [("read", 80), ("search", 10), ("post", 7), ("upload", 3)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def prepare(folder: Path, url: str) -> tuple[str, dict]:
    """An instance folder with the demo loaded; returns the --app argument and what there is to visit."""
    instance = folder / "instance"
    instance.mkdir()
    (instance / "config.py").write_text(
        f"SECRET_KEY = {os.urandom(24).hex()!r}\nSQLALCHEMY_DATABASE_URI = {url!r}\nSESSION_COOKIE_SECURE = False\n"
        "WTF_CSRF_ENABLED = False\nRATELIMIT_ENABLED = False\nPREMODERATION_FIRST_POSTS = 0\n")
    app_arg = f"hub:create_app(instance_path={str(instance)!r})"
    for args in (["db", "upgrade"], ["demo", "load"], ["jobs", "run", "--once"]):
        subprocess.run([str(BIN / "flask"), "--app", app_arg, *args], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        world = {
            "communities": conn.execute(sa.text("SELECT slug FROM community WHERE visibility = 'public'")).scalars().all(),
            "discussions": conn.execute(sa.text(
                "SELECT d.id FROM discussion d JOIN community c ON c.id = d.community_id "
                "WHERE c.visibility = 'public' AND d.deleted_at IS NULL")).scalars().all(),
            "items": conn.execute(sa.text("SELECT slug FROM library_item WHERE deleted_at IS NULL")).scalars().all(),
            "replyable": {email: conn.execute(sa.text(
                "SELECT d.id FROM discussion d JOIN membership m ON m.community_id = d.community_id "
                "JOIN user_account u ON u.id = m.user_id WHERE u.email = :email AND m.status = 'member' "
                "AND d.deleted_at IS NULL ORDER BY d.id LIMIT 1"), {"email": email}).scalar()
                for email in (f"{name}@example.org" for name in MEMBERS)}}
    engine.dispose()
    return app_arg, world


def pdf(text: str) -> bytes:
    from tests.library.library_samples import pdf_bytes
    return pdf_bytes(text) + b"%" + os.urandom(100 * 1024).hex().encode()[:200 * 1024]  # ~200 KB


class Member:
    """One signed-in demo member sending the mix."""

    def __init__(self, base: str, email: str, world: dict, seed: int):
        self.base, self.email, self.world = base, email, world
        self.random = random.Random(seed)
        self.session = requests.Session()
        answer = self.session.post(f"{base}/login", data={"email": email, "password": PASSWORD}, timeout=60)
        assert answer.ok, (email, answer.status_code)

    def act(self) -> tuple[str, float, bool, str]:
        kind = self.random.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
        started = time.perf_counter()
        try:
            answer = getattr(self, kind)()
            # a 404 is an answer (a page another member may not see): failures are 5xx and no answer
            ok, what = answer.status_code < 500, str(answer.status_code)
        except requests.RequestException as error:
            ok, what = False, type(error).__name__
        return kind, time.perf_counter() - started, ok, what

    def read(self):
        pick = self.random.choice
        path = pick(["/", pick(self.world["community_pages"]), pick(self.world["discussion_pages"]), "/library/",
                     pick(self.world["item_pages"])])
        return self.session.get(self.base + path, timeout=60)

    def visible(self, paths: list[str]) -> list[str]:
        """The pages of `paths` this member may read (the demo holds pending and private ones too)."""
        return [path for path in paths if self.session.get(self.base + path, timeout=60).status_code == 200]

    def cost(self, kind: str, times: int, procs) -> float:
        """CPU seconds the hub's processes spend on one request of `kind`, alone (median of `times`)."""
        costs = []
        for _ in range(times):
            before = cpu_seconds(procs)
            getattr(self, kind)()
            costs.append(cpu_seconds(procs) - before)
        return statistics.median(costs)

    def search(self):
        return self.session.get(f"{self.base}/search", params={"q": self.random.choice(WORDS)}, timeout=60)

    def post(self):
        discussion = self.world["replyable"][self.email]
        return self.session.post(f"{self.base}/discussions/{discussion}/replies", allow_redirects=False, timeout=60,
                                 data={"body": f"Our coalition tried this too ({self.random.random():.6f})."})

    def upload(self):
        return self.session.post(f"{self.base}/library/new", allow_redirects=False, timeout=120, data={
            "kind": "document", "title": f"Budget report {self.random.random():.6f}", "licence": "cc-by",
            "organisation_id": "0", "community_id": "0"}, files={"file": ("report.pdf", pdf("Budget report"))})


def processes(*roots) -> list[psutil.Process]:
    found = []
    for root in roots:
        proc = psutil.Process(root.pid)
        found += [proc, *proc.children(recursive=True)]
    return found


def cpu_seconds(procs) -> float:
    total = 0.0
    for proc in procs:
        try:
            times = proc.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def level(members: list[Member], procs) -> dict:
    """All `members` act at once for SECONDS; returns the figures."""
    results, lock, stop = [], threading.Lock(), time.monotonic() + SECONDS

    def run(member):
        while time.monotonic() < stop:
            outcome = member.act()
            with lock:
                results.append(outcome)
    cpu_before, began = cpu_seconds(procs), time.perf_counter()
    psutil.cpu_percent()
    threads = [threading.Thread(target=run, args=(m,)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - began
    return {"results": results, "wall": wall, "hub_cpu": (cpu_seconds(procs) - cpu_before) / wall,
            "machine_cpu": psutil.cpu_percent() / 100 * psutil.cpu_count()}


def p95(values):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] if ordered else float("nan")


def report(n: int, figures: dict) -> tuple[float, float]:
    """Print a level's line; returns (requests/s if the level held, else 0; CPU seconds per request)."""
    done = [r for r in figures["results"] if r[2]]
    errors = sorted(f"{kind} {what}" for kind, _, ok, what in figures["results"] if not ok)
    rate = len(done) / figures["wall"]
    by_kind = {kind: [r[1] for r in done if r[0] == kind] for kind, _ in MIX}
    cpu_per_request = figures["hub_cpu"] * figures["wall"] / max(len(done), 1)
    latencies = [r[1] for r in done]
    print(f"{n:>3} at once  {rate:6.1f} req/s  p50 {statistics.median(latencies) * 1000:6.0f} ms  "
          f"p95 {p95(latencies) * 1000:6.0f} ms  "
          + "  ".join(f"{kind} p95 {p95(times) * 1000:5.0f}" for kind, times in by_kind.items())
          + f"  errors {len(errors)} {sorted(set(errors))}  hub CPU {figures['hub_cpu']:.2f}/{psutil.cpu_count()} "
          f"cores (machine busy {figures['machine_cpu']:.2f})  {cpu_per_request * 1000:.0f} ms CPU/request")
    return (rate if p95(latencies) <= P95_LIMIT and not errors else 0.0), cpu_per_request


def main() -> None:
    print(f"Machine: {psutil.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} before the run "
          "(shared with other work: figures are a floor)")
    with tempfile.TemporaryDirectory(prefix="hub-capacity-") as folder:
        url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{Path(folder) / 'hub.sqlite3'}"
        app_arg, world = prepare(Path(folder), url)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([str(BIN / "gunicorn"), "--config", str(ROOT / "deploy/gunicorn.conf.py"),
                                   "--bind", f"127.0.0.1:{port}", "--access-logfile", "/dev/null", app_arg],
                                  cwd=ROOT, stderr=subprocess.DEVNULL)
        runner = subprocess.Popen([str(BIN / "flask"), "--app", app_arg, "jobs", "run"], cwd=ROOT,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    requests.get(base + "/healthz", timeout=2)
                    break
                except requests.RequestException:
                    assert time.monotonic() < deadline, "gunicorn did not start"
                    time.sleep(0.3)
            members = [Member(base, f"{MEMBERS[i % len(MEMBERS)]}@example.org", world, i) for i in range(max(LEVELS))]
            world["community_pages"] = members[0].visible([f"/communities/{slug}" for slug in world["communities"]])
            world["discussion_pages"] = members[0].visible([f"/discussions/{id_}" for id_ in world["discussions"]])
            world["item_pages"] = members[0].visible([f"/library/{slug}" for slug in world["items"]])
            procs = processes(server, runner)
            costs = {kind: members[0].cost(kind, 7, procs) for kind, _ in MIX}
            print("CPU per request, one at a time: " + ", ".join(f"{k} {c * 1000:.0f} ms" for k, c in costs.items())
                  + "; share of the mix's CPU: " + ", ".join(
                      f"{k} {costs[k] * w / sum(costs[q] * v for q, v in MIX):.0%}" for k, w in MIX))
            print(f"{sa.engine.make_url(url).get_backend_name()}, gunicorn per deploy/gunicorn.conf.py, "
                  f"{SECONDS:.0f} s per level; mix {', '.join(f'{k} {w} %' for k, w in MIX)}")
            figures = [report(n, level(members[:n], procs)) for n in LEVELS]
            best, cpu = max(rate for rate, _ in figures), statistics.median(c for _, c in figures)
            print(f"Held with p95 <= {P95_LIMIT:.0f} s and no errors: {best:.0f} requests/s, i.e. about "
                  f"{best * THINK:.0f} active members (one request every {THINK} s each), on this shared machine.")
            alone = 0.7 * psutil.cpu_count() / cpu
            print(f"CPU bound: {cpu * 1000:.0f} ms of CPU per request (median of levels); with the machine to "
                  f"itself at 70 % CPU: ~{alone:.0f} requests/s, ~{alone * THINK:.0f} active members.")
        finally:
            for process in (runner, server):
                process.send_signal(signal.SIGTERM)
                process.wait(timeout=60)


if __name__ == "__main__":
    main()
