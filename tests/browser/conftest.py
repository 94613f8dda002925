"""One demo hub for the whole browser suite: loaded once, served over HTTP, read by every page check.

The function-scoped `app` fixture empties the database after each test; the pages audited here need
the full demo (communities, discussions, media with captions, reports, survey answers), which takes
~20 s to build, so this hub has a database and an instance folder of its own and lives for the session.
Tests that change data use the ordinary `app` + `live_server` fixtures instead.
"""

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest
from werkzeug.serving import make_server

from hub import create_app
from hub.accounts import two_factor
from hub.accounts.services import find_by_email
from hub.communities.models import Community
from hub.discussions.models import Discussion
from hub.extensions import db
from hub.learning_sessions.models import LearningSession
from hub.library.models import LibraryItem
from hub.organisations.models import Organisation
from hub.survey.models import Introduction, SurveyRound
from tests.conftest import fresh_database

DEMO_PASSWORD = "learning-hub-demo"
MEMBER = "member@example.org"
SECRETARIAT = "secretariat@example.org"


@dataclass
class DemoSite:
    """The served demo hub: its base URL, the app, and the paths of the pages worth checking."""
    url: str
    app: object
    pages: dict = field(default_factory=dict)
    staff_pages: dict = field(default_factory=dict)
    #: The names among `pages` only a signed-in member can open.
    member_only: frozenset = frozenset()


def _demo_paths():
    """Paths of the main pages, taken from the demo content itself."""
    community = db.session.scalar(db.select(Community).where(Community.visibility == "public")
                                  .order_by(Community.id))
    discussion = db.session.scalar(db.select(Discussion).where(Discussion.community_id == community.id)
                                   .order_by(Discussion.id))
    video = db.session.scalar(db.select(LibraryItem).where(LibraryItem.kind == "video").order_by(LibraryItem.id))
    organisation = db.session.scalar(db.select(Organisation).where(Organisation.status == "active")
                                     .order_by(Organisation.id))
    survey_round = db.session.scalar(db.select(SurveyRound).order_by(SurveyRound.id.desc()))
    proposal = db.session.scalar(db.select(LearningSession.id).where(LearningSession.status == "proposed"))
    past_session = db.session.scalar(db.select(LearningSession.id).where(LearningSession.recording_id.is_not(None)))
    pages = {
        "home": "/",
        "directory": "/organisations/",
        "organisation": f"/organisations/{organisation.slug}",
        "communities": "/communities/",
        "community": f"/communities/{community.slug}",
        "discussion": f"/discussions/{discussion.id}",
        "library": "/library/",
        "item": f"/library/{video.slug}",
        "search": "/search?q=education",
        "capacity_map": "/capacity/map/",
        "sign_in": "/login",
        "register": "/register",
    }
    member_pages = {
        "survey": "/capacity/",
        "survey_round": f"/capacity/rounds/{survey_round.id}",
        "notifications": "/notifications",
        "notification_settings": "/notifications/settings",
        "profile": "/account/",
        "password": "/account/password",
        "upload": "/library/new",
        # The demo member proposed a session in budget-tracking, which takes proposals (learning_sessions/demo.py).
        "propose_session": "/communities/budget-tracking/sessions/propose",
        "session_proposal": f"/sessions/{proposal}",
    }
    staff_pages = {
        "moderation_queue": "/desk/queue",
        "dashboard": "/desk/dashboard",
        "audit_log": "/desk/audit",
        "people": "/desk/people",
        "plans": f"/capacity/rounds/{survey_round.id}/plans",
        "exchanges": "/capacity/exchanges/",
        "plan": f"/capacity/rounds/{survey_round.id}/plans/cse-senegal",  # the demo's plan (hub/survey/plan_demo.py)
        "exchange": f"/capacity/exchanges/{db.session.scalar(db.select(Introduction.id).order_by(Introduction.id))}",
        "session_proposals": "/sessions/proposals",
        "session_attendance": f"/sessions/{past_session}/attendance",
    }
    return pages, member_pages, staff_pages


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory):
    with served_demo(tmp_path_factory.mktemp("demo_site")) as site:
        yield site


@contextmanager
def served_demo(folder):
    """Load the demo into a database and instance folder of its own and serve it (also bench/)."""
    with fresh_database(folder, "hub_demo") as url:
        app = create_app({
            "TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": url,
            "SERVER_NAME": None, "RATELIMIT_ENABLED": False, "BASE_URL": "http://localhost",
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        }, instance_path=str(folder / "instance"))
        with app.app_context():
            db.create_all()
            runner = app.test_cli_runner()
            for args in (["demo", "load"], ["jobs", "run", "--once"]):
                result = runner.invoke(args=args)
                assert result.exit_code == 0, result.output
            pages, member_pages, staff_pages = _demo_paths()
            db.session.remove()
        server = make_server("127.0.0.1", 0, app, threaded=True)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        app.config["BASE_URL"] = f"http://127.0.0.1:{server.server_port}"  # forms post with this Origin
        try:
            yield DemoSite(f"http://127.0.0.1:{server.server_port}", app,
                           {**pages, **member_pages}, staff_pages, frozenset(member_pages))
        finally:
            server.shutdown()
            thread.join(timeout=5)
            with app.app_context():
                db.engine.dispose()


def sign_in(context, site: DemoSite, email: str):
    """Sign `email` in within a browser context (its cookies then carry the session).

    The demo secretariat has two-factor sign-in: the context gets the cookie of a device that gave a
    code before (a code works once, and several contexts sign in within one 30-second step)."""
    with site.app.app_context():
        user = find_by_email(email)
        if user.has_two_factor:
            context.add_cookies([{"name": two_factor.REMEMBER_COOKIE, "value": two_factor.device_cookie(user),
                                  "url": site.url}])
        db.session.remove()
    page = context.new_page()
    page.goto(site.url + "/login")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()
    page.close()


@pytest.fixture(scope="session")
def member_state(browser, demo_site, tmp_path_factory):
    """Storage state (cookies) of the demo member, signed in once for the session."""
    return _state(browser, demo_site, MEMBER, tmp_path_factory)


@pytest.fixture(scope="session")
def secretariat_state(browser, demo_site, tmp_path_factory):
    """Storage state (cookies) of the demo secretariat account, signed in once for the session."""
    return _state(browser, demo_site, SECRETARIAT, tmp_path_factory)


def _state(browser, site, email, tmp_path_factory):
    context = browser.new_context()
    sign_in(context, site, email)
    path = tmp_path_factory.mktemp("state") / f"{email}.json"
    context.storage_state(path=str(path))
    context.close()
    return str(path)
