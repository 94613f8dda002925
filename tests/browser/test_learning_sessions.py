"""The session pages in a real browser: no sideways scrolling at 360 px, no axe violations, in Spanish and
Arabic; the past session plays its recording with captions; a member's calendar feed works without JavaScript."""

import pytest
import sqlalchemy as sa
from axe_playwright_python.sync_playwright import Axe

from hub.extensions import db
from hub.learning_sessions.models import LearningSession
from tests.browser.conftest import MEMBER, sign_in
from tests.browser.test_narrow_screens import NARROW, OVERFLOW

pytestmark = pytest.mark.slow
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
              "resultTypes": ["violations"]}


@pytest.fixture(scope="module")
def paths(demo_site):
    with demo_site.app.app_context():
        recorded = db.session.scalar(sa.select(LearningSession.id).where(LearningSession.recording_id.is_not(None)))
        upcoming = db.session.scalar(sa.select(LearningSession.id).where(LearningSession.recording_id.is_(None))
                                     .order_by(LearningSession.id))
        db.session.remove()
    return {"list": "/sessions/", "past": "/sessions/?when=past", "recorded": f"/sessions/{recorded}",
            "upcoming": f"/sessions/{upcoming}"}


@pytest.mark.parametrize("lang", ["es", "ar"])
@pytest.mark.parametrize("name", ["list", "past", "recorded", "upcoming"])
def test_session_pages_fit_360_px_and_pass_axe(browser, demo_site, paths, lang, name):
    context = browser.new_context(viewport=NARROW, locale=lang)
    try:
        page = context.new_page()
        page.goto(demo_site.url + paths[name])
        assert page.locator("html").get_attribute("lang") == lang
        found = page.evaluate(OVERFLOW)
        assert found["scroll"] <= found["width"], found
        violations = Axe().run(page, options=WCAG_21_AA).response["violations"]
        assert violations == [], [v["id"] for v in violations]
    finally:
        context.close()


def test_the_recorded_session_plays_with_captions(browser, demo_site, paths):
    context = browser.new_context()
    try:
        sign_in(context, demo_site, MEMBER)  # the demo recording is in a members-only community
        page = context.new_page()
        page.goto(demo_site.url + paths["recorded"])
        track = page.locator("main video track[kind='captions']").first
        assert page.request.get(demo_site.url + track.get_attribute("src")).text().startswith("WEBVTT")
        assert page.locator("link[rel='alternate'][type='text/calendar']").count() >= 1
    finally:
        context.close()


def test_a_member_makes_a_feed_address_without_javascript(browser, demo_site):
    context = browser.new_context(java_script_enabled=False)
    try:
        sign_in(context, demo_site, MEMBER)
        page = context.new_page()
        page.goto(demo_site.url + "/sessions/mine")
        page.locator("main form[action$='/sessions/mine/feed'] button").click()
        url = page.locator("#feed-url").input_value()
        feed = page.request.get(url.replace("http://localhost", demo_site.url).replace(
            "https://hub.invalid", demo_site.url))
        assert feed.ok and "BEGIN:VCALENDAR" in feed.text() and "Tracking education budgets" in feed.text()
    finally:
        context.close()
