"""Documented defaults. instance/config.py and HUB_* environment variables override them.

Every setting here is listed in the README. Environment variables drop the HUB_ prefix:
HUB_DATABASE_URL sets DATABASE_URL; values are parsed as JSON when they can be
(HUB_MAIL_PORT=587 is a number, HUB_SESSION_COOKIE_SECURE=false a boolean).
"""

from datetime import timedelta
from pathlib import Path

#: The key that signs sessions and tokens. The hub refuses to start with it outside debug/testing.
DEV_SECRET_KEY = "dev-only-secret-key-do-not-use-in-production"


class Defaults:
    SECRET_KEY = DEV_SECRET_KEY
    #: SQLAlchemy URL; empty means SQLite at instance/hub.sqlite3.
    DATABASE_URL = ""
    #: Public address of the hub, used in emails sent outside a request.
    BASE_URL = "http://127.0.0.1:5000"

    # Languages and time
    LANGUAGES = ["en", "fr", "es", "pt", "ar"]
    BABEL_DEFAULT_LOCALE = "en"
    BABEL_DEFAULT_TIMEZONE = "UTC"
    #: Compiled catalogs (Flask-Babel would otherwise look in hub/translations).
    BABEL_TRANSLATION_DIRECTORIES = str(Path(__file__).resolve().parent.parent / "translations")

    # Mail: with no MAIL_SERVER, messages are written as .eml files under instance/mail/.
    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_USE_TLS = False
    MAIL_USE_SSL = False
    MAIL_DEFAULT_SENDER = "Learning Hub <no-reply@learninghub.example.org>"
    MAIL_TIMEOUT = 10
    #: Where a silenced or suspended person writes to appeal (told in the notice and at sign-in).
    APPEAL_EMAIL = "secretariat@learninghub.example.org"
    #: All mail goes through one outbox (hub/mail.py; `flask --app hub notifications send`): at most this many
    #: messages a minute, refused ones retried MAIL_MAX_ATTEMPTS times after MAIL_RETRY_DELAY seconds (doubling).
    MAIL_RATE_PER_MINUTE = 60
    MAIL_MAX_ATTEMPTS = 5
    MAIL_RETRY_DELAY = 60
    #: Seconds an unsubscribe link in a notification email keeps working.
    UNSUBSCRIBE_TOKEN_MAX_AGE = int(timedelta(days=180).total_seconds())
    #: Local hour at which daily and weekly (Monday) digests become due, in each person's time zone.
    DIGEST_HOUR = 7

    # Accounts
    PASSWORD_MIN_LENGTH = 10
    PASSWORD_MAX_LENGTH = 128
    #: werkzeug's method string; "scrypt" is scrypt with n=2**15, r=8, p=1 (tests use a cheaper cost).
    PASSWORD_HASH_METHOD = "scrypt"
    VERIFY_TOKEN_MAX_AGE = int(timedelta(days=3).total_seconds())
    RESET_TOKEN_MAX_AGE = int(timedelta(hours=1).total_seconds())
    EMAIL_CHANGE_TOKEN_MAX_AGE = int(timedelta(days=1).total_seconds())
    #: Server-side sessions (one per sign-in on a device; see README "Accounts and sessions"). Durations
    #: are timedelta here, or seconds in HUB_ variables. A session without "keep me signed in" ends after
    #: SESSION_IDLE_TIMEOUT without use (or when the browser closes); every session ends
    #: SESSION_ABSOLUTE_LIFETIME after signing in, whatever its use.
    SESSION_IDLE_TIMEOUT = timedelta(hours=12)
    SESSION_ABSOLUTE_LIFETIME = timedelta(days=30)
    #: A session's "last seen" time is written at most this often (never on every request).
    SESSION_TOUCH_INTERVAL = timedelta(minutes=5)
    #: The remember-me cookie lasts as long as the session it names may live.
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    #: Two-factor sign-in (an authenticator app, TOTP) is required before using the desk for these roles:
    #: "secretariat", "facilitators", "focal_points". It is optional for everyone else.
    TWO_FACTOR_REQUIRED_FOR = ["secretariat"]
    #: After a second-factor code, this device is not asked again for this long ("remember this device").
    TWO_FACTOR_REMEMBER_DEVICE = timedelta(days=30)
    #: The name authenticator apps show next to the hub's codes.
    TWO_FACTOR_ISSUER = "Learning Hub"
    #: Keys that seal authenticator secrets in the database: the first seals, all open (rotation). Empty:
    #: derived from SECRET_KEY — then, on changing SECRET_KEY, list the old one here.
    TWO_FACTOR_KEYS: list = []
    #: Attempts at a second-factor code, per account and per address (like passwords).
    TWO_FACTOR_RATE_LIMIT = "10 per minute;50 per hour"

    # Rate limits (Flask-Limiter); use redis://127.0.0.1:6379 with several workers.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
    RESET_RATE_LIMIT = "5 per minute;20 per hour"
    REGISTER_RATE_LIMIT = "10 per hour"

    # Cookies and transport
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    #: None means: Secure outside debug and testing.
    SESSION_COOKIE_SECURE = None
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    #: Trust X-Forwarded-* from this many proxies (0 when the hub faces the internet directly).
    PROXY_COUNT = 0
    #: Static files carry a content hash in their URL, so they can be cached for a year.
    SEND_FILE_MAX_AGE_DEFAULT = int(timedelta(days=365).total_seconds())
    #: Pages, styles and scripts travel compressed (zstd, Brotli or gzip, as the browser accepts): the
    #: home page with its stylesheet weighs ~7 KB instead of ~16 KB, the uploader's script 26 KB instead
    #: of 87. Never text/plain or media: library files answer Range requests; a compressed range is garbage.
    COMPRESS_MIMETYPES = ["text/html", "text/css", "text/javascript", "application/javascript",
                          "application/json", "application/atom+xml", "application/rss+xml"]

    # Forms
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024

    # Pagination
    PER_PAGE = 30

    # Moderation
    #: Pre-moderation: a member's posts (discussions, replies, library items) wait for a moderator's
    #: approval until this many of them are published; 0 turns it off (communities can still review every post).
    PREMODERATION_FIRST_POSTS = 2
    #: Safety-risk reports from this many distinct members hide a post until a moderator reviews it
    #: (and alert at once); 0 turns automatic hiding off.
    FLAG_HIDE_THRESHOLD = 3
    #: The most cases one bulk action on the desk changes (a larger selection is refused with a message).
    DESK_BULK_LIMIT = 500
    #: Open cases per page of the desk's queue.
    DESK_QUEUE_PER_PAGE = 50

    # Job runner (`flask --app hub jobs run`)
    #: Seconds between looks at the queue when it is empty (search follows changes within ~this).
    JOBS_POLL_INTERVAL = 1.0
    #: Seconds before the first retry of a failed job; doubles on each attempt (capped at an hour).
    JOBS_RETRY_DELAY = 30
    #: A running job whose runner sent no heartbeat for this many seconds is queued again (a runner
    #: beats every quarter of it; one whose process died on the same host is noticed within seconds).
    JOBS_HEARTBEAT_TIMEOUT = 60

    # Search
    #: The Whoosh index folder; empty means instance/search-index.
    SEARCH_INDEX_PATH = ""
    #: Apply index changes right after commit in the web process instead of through the job runner
    #: (None means: only when TESTING).
    SEARCH_SYNC = None
    #: Seconds a process waits for the index writer lock before the job is retried.
    SEARCH_WRITER_TIMEOUT = 30
    #: Hits considered per query before permission filtering, counting and paging.
    SEARCH_MAX_HITS = 1000
    SEARCH_PER_PAGE = 20

    # Library (files live under instance/library/ unless LIBRARY_STORAGE names another folder)
    LIBRARY_STORAGE = ""
    #: Largest file the plain (no JavaScript) form accepts, in bytes.
    LIBRARY_FORM_UPLOAD_LIMIT = 200 * 1024 * 1024
    #: Largest file the resumable (tus) uploader accepts, in bytes.
    LIBRARY_TUS_LIMIT = 2 * 1024 * 1024 * 1024
    #: Seconds an unfinished resumable upload is kept (`flask --app hub library clean` removes older ones).
    LIBRARY_TUS_EXPIRY = int(timedelta(days=2).total_seconds())
    #: Bytes of library files one person may store (originals, their derived versions and unfinished uploads).
    LIBRARY_QUOTA_BYTES = 10 * 1024 * 1024 * 1024
    #: Days a deleted item's files are kept (so a mistake can be undone) before `library clean` removes them.
    LIBRARY_PURGE_AFTER_DAYS = 30
    #: Characters of extracted document text kept for search.
    LIBRARY_TEXT_LIMIT = 200_000
    #: ffmpeg and ffprobe programs; media processing is skipped when they are missing.
    FFMPEG = "ffmpeg"
    FFPROBE = "ffprobe"
    LIBRARY_PER_PAGE = 20

    # Operations (hub/operations: logs, /metrics, `backup`, `doctor`)
    #: "text", or "json" for one JSON object per log line (both carry the request's X-Request-Id).
    LOG_FORMAT = "text"
    #: /metrics answers 404 unless one of these is set: a bearer token Prometheus sends
    #: (Authorization: Bearer …), and/or the addresses allowed to scrape without one.
    METRICS_TOKEN = ""
    METRICS_ALLOW: list[str] = []


def finish(app) -> None:
    """Derive settings that depend on others, and refuse unsafe production settings."""
    cfg = app.config
    if not cfg.get("SQLALCHEMY_DATABASE_URI"):
        cfg["SQLALCHEMY_DATABASE_URI"] = cfg["DATABASE_URL"] or (
            "sqlite:///" + str(Path(app.instance_path) / "hub.sqlite3"))
    cfg.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    relaxed = app.debug or cfg.get("TESTING")
    if cfg["SESSION_COOKIE_SECURE"] is None:
        cfg["SESSION_COOKIE_SECURE"] = not relaxed
    cfg.setdefault("REMEMBER_COOKIE_SECURE", cfg["SESSION_COOKIE_SECURE"])
    for name in ("SESSION_IDLE_TIMEOUT", "SESSION_ABSOLUTE_LIFETIME", "SESSION_TOUCH_INTERVAL",
                 "REMEMBER_COOKIE_DURATION", "TWO_FACTOR_REMEMBER_DEVICE"):
        if not isinstance(cfg[name], timedelta):  # seconds, from a HUB_ variable
            cfg[name] = timedelta(seconds=float(cfg[name]))
    if not relaxed and cfg["SECRET_KEY"] in (DEV_SECRET_KEY, "", None):
        raise RuntimeError(
            "Refusing to start: set a SECRET_KEY in instance/config.py or HUB_SECRET_KEY "
            "(the development key is only for debug and tests).")
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
