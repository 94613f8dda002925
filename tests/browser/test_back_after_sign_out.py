"""Back after signing out shows nothing private, in Chromium with the back/forward cache on (as in a
normal Chrome; Playwright turns the cache off unless told not to)."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.slow


@pytest.fixture
def cached_browser(browser_type, browser_type_launch_args):
    browser = browser_type.launch(**browser_type_launch_args, ignore_default_args=["--disable-back-forward-cache"])
    yield browser
    browser.close()


def restored_from_cache(page, start: str, then: str) -> bool:
    """Visit `start`, then `then`, then go Back: did the browser restore `start` from its back/forward cache?"""
    page.goto(start)
    page.evaluate("window.addEventListener('pageshow', e => { window.restored = e.persisted; })")
    page.goto(then)
    back(page)
    return page.evaluate("window.restored === true")


def back(page):
    """Go Back: a page restored from the cache fires no "load", so wait for the navigation to commit only."""
    page.go_back(wait_until="commit")
    page.wait_for_function("document.readyState === 'complete'")


def test_back_after_sign_out_shows_nothing_private(cached_browser, live_server, create_user):
    create_user(email="ada.private@example.org", name="Ada Obi", bio="My very private bio")
    page = cached_browser.new_context().new_page()
    # The cache is on: a public page comes back from it without asking the server.
    assert restored_from_cache(page, live_server + "/communities/", live_server + "/library/")

    page.goto(live_server + "/login")
    page.get_by_label("Email", exact=True).fill("ada.private@example.org")
    page.get_by_label("Password", exact=True).fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()
    page.goto(live_server + "/account/")
    expect(page.get_by_text("My very private bio")).to_be_visible()

    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    back(page)
    assert "/login" in page.url
    content = page.content()
    assert "My very private bio" not in content and "ada.private@example.org" not in content
