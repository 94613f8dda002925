"""Each main page's throughput as a ratio of a hello-world route served by the same app and server, in the same run.

Builds the demo (`flask db upgrade`, `flask demo load`, `flask search reindex`) on SQLite and on PostgreSQL
(a scratch database on 127.0.0.1:5432, created and dropped here), serves `bench_app()` — the hub plus a
`/bench/hello` route that only this script registers — with gunicorn (2 sync workers), and fetches, signed in
as the demo member: home, community, discussion (200 replies), library item, search results, capacity map;
and the desk queue signed in as the secretariat. Targets are measured in rounds, interleaved, and each round's
req/s is divided by that round's hello req/s: the machine is shared, so only ratios within one run mean much.
Prints `ratio <page>/hello: X` (the median over rounds) and writes a cProfile of each page (pstats text,
top 30 by cumulative time, then top 20 by own time, in-process with the test client) to
bench/out/pages-<database>-<posts>-<page>.txt, with each page's median CPU time per request in-process and
`cpu ratio <page>/hello` (no HTTP, no competing clients: the steadier figure on a busy machine), and the Python
function calls per request (which no load changes). gunicorn runs with production's worker hooks
(deploy/gunicorn.conf.py); the in-process figures freeze the start-up objects as those hooks do.

Run: .venv/bin/python bench/bench_pages.py [--posts 10000] [--rounds 3] [--requests 40] [--databases sqlite,postgresql]
(BENCH_POSTS, BENCH_ROUNDS, BENCH_REQUESTS, BENCH_CLIENTS and BENCH_DATABASES set the defaults.)
"""

import argparse
import cProfile
import gc
import io
import os
import pstats
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OUT = ROOT / "bench" / "out"
LONG_TITLE = "Weekly check-in: what did your coalition do for education this week?"
sys.path.insert(0, str(ROOT))  # this worktree's hub, not the one the shared virtualenv was installed from
POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/"
SCRATCH_DATABASE = f"hub_bench_pages_{os.getpid()}"  # two benches at once (a shared machine) never collide
MEMBER, SECRETARIAT = "member@example.org", "secretariat@example.org"


def bench_app():
    """The hub as configured by HUB_* variables, plus a hello-world route: the bench's yardstick, never in production."""
    from hub import create_app
    app = create_app()

    @app.route("/bench/hello")
    def bench_hello():
        return "Hello, world"

    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def flask(env: dict, *args: str) -> None:
    subprocess.run([str(BIN / "flask"), "--app", "hub", *args], env=env, cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def add_posts(count: int) -> None:
    """`count` more posts in the demo's communities: discussions of 1 opening post and 9 replies, by demo people."""
    import sqlalchemy as sa

    from hub import markdown
    from hub.accounts.models import User
    from hub.communities.models import Community
    from hub.db import utcnow
    from hub.discussions.models import Discussion, Reply
    from hub.extensions import db
    rng = random.Random(5)
    words = ("education girls teachers school learning budget financing children literacy inclusion disability "
             "emergencies refugees climate curriculum training assessment policy rights public quality").split()
    communities = db.session.scalars(sa.select(Community.id).where(Community.status == "active")).all()
    people = db.session.scalars(sa.select(User.id).where(User.status == "active")).all()
    now = utcnow()
    for start in range(0, count, 1000):
        discussions, replies = [], []
        for n in range(start, min(count, start + 1000), 10):
            when = now - timedelta(minutes=n)
            text = " ".join(rng.choice(words) for _ in range(60))
            discussions.append(dict(community_id=rng.choice(communities), author_id=rng.choice(people),
                                    title=" ".join(rng.sample(words, 6)).capitalize(), body=text,
                                    body_html=markdown.render(text), language="en", themes=[], kind="discussion",
                                    last_activity_at=when, reply_count=9, created_at=when))
        # The services move a discussion's last activity to its newest reply: the replies are no newer.
        last_activity = dict(db.session.execute(
            sa.insert(Discussion).returning(Discussion.id, Discussion.last_activity_at), discussions).all())
        for discussion_id in last_activity:
            for _ in range(9):
                text = " ".join(rng.choice(words) for _ in range(40))
                replies.append(dict(discussion_id=discussion_id, author_id=rng.choice(people), body=text,
                                    body_html=markdown.render(text), created_at=last_activity[discussion_id]))
        db.session.execute(sa.insert(Reply), replies)
        db.session.commit()


def prepare(env: dict, posts: int) -> dict:
    """Schema, demo, extra posts and index; returns the paths to fetch and the two people's session cookies."""
    flask(env, "db", "upgrade")  # alembic logs to stderr
    flask(env, "demo", "load")
    os.environ.update(env)
    app = bench_app()
    with app.app_context():
        import sqlalchemy as sa

        from hub.accounts import sessions
        from hub.accounts.models import User
        from hub.communities.models import Community
        from hub.discussions.models import Discussion
        from hub.extensions import db
        from hub.library.models import LibraryItem
        if posts:
            add_posts(posts)
        discussion = db.session.scalar(sa.select(Discussion).where(Discussion.title == LONG_TITLE))
        if discussion is None:
            sys.exit("The demo has no 200-reply discussion: is hub/discussions/demo.py wired into `demo load`?")
        item = db.session.scalar(sa.select(LibraryItem).where(LibraryItem.is_public)
                                 .order_by(LibraryItem.id))
        community = db.session.get(Community, discussion.community_id)
        paths = {"community": community.slug, "discussion": discussion.id, "item": item.slug}
        tokens = {}
        for email in (MEMBER, SECRETARIAT):
            user = db.session.scalar(sa.select(User).where(User.email == email))
            sessions.start(user, remember=True)
            tokens[email] = user.device_token
        db.session.commit()
        with app.test_request_context():
            serializer = app.session_interface.get_signing_serializer(app)
            cookies = {email: f"{app.config['SESSION_COOKIE_NAME']}="
                              f"{serializer.dumps({'_user_id': token, '_fresh': True})}"
                       for email, token in tokens.items()}
        db.session.remove()
        db.engine.dispose()
    flask(env, "search", "reindex")
    return {"targets": {"hello": ("/bench/hello", MEMBER),
                        "home": ("/", MEMBER),
                        "community": (f"/communities/{paths['community']}", MEMBER),
                        "discussion": (f"/discussions/{paths['discussion']}", MEMBER),
                        "library_item": (f"/library/{paths['item']}", MEMBER),
                        "search": ("/search?q=education+budget", MEMBER),
                        "capacity_map": ("/capacity/map/", MEMBER),
                        "desk_queue": ("/desk/queue", SECRETARIAT)},
            "cookies": cookies}


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


def fetch(url: str, cookie: str) -> int:
    request = urllib.request.Request(url, headers={"Cookie": cookie, "Accept-Encoding": "gzip, br, zstd"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        answer.read()
        return answer.status


def hammer(url: str, cookie: str, count: int, clients: int) -> tuple[list[float], float, int]:
    """`clients` threads fetch url until `count` requests are done; (latencies, wall seconds, errors)."""
    latencies, errors, remaining, lock = [], [0], [count], threading.Lock()

    def client():
        while True:
            with lock:
                if remaining[0] <= 0:
                    return
                remaining[0] -= 1
            started = time.perf_counter()
            try:
                ok = fetch(url, cookie) == 200
            except OSError:
                ok = False
            with lock:
                (latencies.append(time.perf_counter() - started) if ok else errors.__setitem__(0, errors[0] + 1))

    threads = [threading.Thread(target=client) for _ in range(clients)]
    began = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, time.perf_counter() - began, errors[0]


def worker_hooks(folder: Path) -> Path:
    """A gunicorn configuration with production's worker hooks (deploy/gunicorn.conf.py), not its sizes or logs."""
    path = folder / "bench-gunicorn.conf.py"
    path.write_text(f"from runpy import run_path\n"
                    f"post_worker_init = run_path({str(ROOT / 'deploy' / 'gunicorn.conf.py')!r})['post_worker_init']\n")
    return path


def measure(env: dict, setup: dict, args) -> dict[str, dict]:
    """Serve with gunicorn and hammer every target, in rounds; per target: req/s and ratio to hello per round."""
    port = free_port()
    server = subprocess.Popen([str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}",
                               "--config", str(worker_hooks(args.folder)), "--log-level", "warning",
                               "--pythonpath", str(ROOT / "bench"), "bench_pages:bench_app()"], env=env, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    figures = {name: {"rps": [], "ratio": [], "latency": [], "errors": 0} for name in setup["targets"]}
    try:
        wait_until_up(base, server)
        for name, (path, who) in setup["targets"].items():
            for _ in range(4):  # both workers warm their templates and caches
                status = fetch(base + path, setup["cookies"][who])
            if status != 200:
                sys.exit(f"{name}: {path} answered {status}")
        for _ in range(args.rounds):
            round_rps = {}
            for name, (path, who) in setup["targets"].items():
                latencies, wall, errors = hammer(base + path, setup["cookies"][who], args.requests, args.clients)
                round_rps[name] = len(latencies) / wall
                figures[name]["latency"] += latencies
                figures[name]["errors"] += errors
            for name, rps in round_rps.items():
                figures[name]["rps"].append(rps)
                figures[name]["ratio"].append(rps / round_rps["hello"])
    finally:
        server.terminate()
        server.wait(timeout=30)
    return figures


def profile(env: dict, setup: dict, label: str, count: int) -> dict[str, tuple[float, float]]:
    """(median CPU ms, Python function calls) per request of each page in-process (test client, no HTTP: steadier
    on a busy machine; the calls do not depend on the load at all), from a cProfile of `count` requests per page,
    written as pstats text to bench/out/."""
    OUT.mkdir(exist_ok=True)
    os.environ.update(env)
    app = bench_app()
    gc.freeze()  # as deploy/gunicorn.conf.py's post_worker_init does in each worker
    cpu = {}
    for name, (path, who) in setup["targets"].items():
        client = app.test_client()
        cookie_name, _, value = setup["cookies"][who].partition("=")
        client.set_cookie(cookie_name, value)
        headers = {"Accept-Encoding": "gzip, br, zstd"}
        client.get(path, headers=headers)
        samples = []
        for _ in range(max(count, 5)):
            started = time.process_time()
            client.get(path, headers=headers)
            samples.append(time.process_time() - started)
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(count):
            client.get(path, headers=headers)
        profiler.disable()
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text)
        cpu[name] = (statistics.median(samples) * 1000, stats.total_calls / count)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(20)
        (OUT / f"pages-{label}-{name}.txt").write_text(f"{count} requests of {path}\n{text.getvalue()}")
    from hub.extensions import db
    with app.app_context():
        db.engine.dispose()
    return cpu


def report(label: str, figures: dict) -> None:
    print(f"{label}: {'page':<14} {'req/s':>8} {'median ms':>10} {'p95 ms':>8} {'errors':>6}")
    for name, row in figures.items():
        ordered = sorted(row["latency"]) or [0]
        p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
        print(f"{label}: {name:<14} {statistics.median(row['rps']):8.1f} {statistics.median(ordered) * 1000:10.1f} "
              f"{p95 * 1000:8.1f} {row['errors']:6d}")
    for name, row in figures.items():
        if name != "hello":
            print(f"{label}: ratio {name}/hello: {statistics.median(row['ratio']):.2f}  "
                  f"(rounds: {', '.join(f'{r:.2f}' for r in row['ratio'])})")


def postgres_url(create: bool) -> str:
    """A fresh scratch database (dropped first when create), or just drop it (create=False)."""
    import psycopg
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {SCRATCH_DATABASE} WITH (FORCE)")
        if create:
            conn.execute(f"CREATE DATABASE {SCRATCH_DATABASE}")
    return POSTGRES + SCRATCH_DATABASE


def run(database: str, args) -> None:
    with tempfile.TemporaryDirectory(prefix="hub-bench-pages-") as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite3'}" if database == "sqlite" else postgres_url(True)
        env = {**os.environ, "PYTHONPATH": str(ROOT), "HUB_DATABASE_URL": url, "HUB_SECRET_KEY": os.urandom(24).hex(),
               "HUB_RATELIMIT_ENABLED": "false", "HUB_SEARCH_INDEX_PATH": str(Path(folder) / "search-index"),
               "HUB_SESSION_COOKIE_SECURE": "false"}
        args.folder = Path(folder)
        try:
            started = time.perf_counter()
            setup = prepare(env, args.posts)
            print(f"{database}: demo with {args.posts} extra posts ready in {time.perf_counter() - started:.0f} s; "
                  f"{args.clients} clients, gunicorn 2 sync workers, {args.rounds} rounds of {args.requests} requests")
            figures = measure(env, setup, args)
            report(database, figures)
            cpu = profile(env, setup, f"{database}-{args.posts}", args.profile)
            for name, (ms, calls) in cpu.items():
                print(f"{database}: in-process CPU {name:<14} {ms:6.1f} ms {calls:8.0f} Python calls" +
                      (f"   cpu ratio {name}/hello: {cpu['hello'][0] / ms:.2f}" if name != "hello" else ""))
        finally:
            if database == "postgresql":
                postgres_url(False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=int(os.environ.get("BENCH_POSTS", 0)),
                        help="posts added to the demo (cost curve: 1000, 10000, 100000)")
    parser.add_argument("--rounds", type=int, default=int(os.environ.get("BENCH_ROUNDS", 3)))
    parser.add_argument("--requests", type=int, default=int(os.environ.get("BENCH_REQUESTS", 40)),
                        help="requests per page per round")
    parser.add_argument("--clients", type=int, default=int(os.environ.get("BENCH_CLIENTS", 4)))
    parser.add_argument("--profile", type=int, default=int(os.environ.get("BENCH_PROFILE", 10)),
                        help="requests per page under cProfile")
    parser.add_argument("--databases", default=os.environ.get("BENCH_DATABASES", "sqlite,postgresql"))
    args = parser.parse_args()
    for database in args.databases.split(","):
        run(database.strip(), args)


if __name__ == "__main__":
    main()
