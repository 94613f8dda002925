"""Keyboard only: skip link first, visible focus, then sign in, reply to a discussion and search."""

import re

import pytest
from playwright.sync_api import expect

from hub.communities.models import MEMBER, Community, Membership
from hub.discussions import services
from hub.discussions.models import Reply
from hub.extensions import db
from tests.conftest import PASSWORD

pytestmark = pytest.mark.slow

FOCUSED = """() => { const e = document.activeElement;
  return {tag: e.tagName.toLowerCase(), id: e.id, text: (e.innerText || e.value || '').trim(),
          label: e.labels?.length ? e.labels[0].innerText.trim() : (e.getAttribute('aria-label') || '')}; }"""


def tab_to(page, matches, key="Tab", limit=60):
    """Press `key` until the focused element matches; fail if that takes more than `limit` presses."""
    seen = []
    for _ in range(limit):
        page.keyboard.press(key)
        element = page.evaluate(FOCUSED)
        if matches(element):
            return element
        seen.append(element["text"][:30] or element["label"] or element["tag"])
    raise AssertionError(f"{limit} presses of {key} never reached it; focus went through {seen}")


def named(text):
    return lambda e: e["text"] == text or e["label"] == text


def test_keyboard_only_sign_in_reply_and_search(page, live_server, create_user):
    person = create_user(email="kofi@example.org", name="Kofi Mensah")
    community = Community(slug="reading-circles", title="Reading circles", visibility="public")
    db.session.add(community)
    db.session.flush()
    db.session.add(Membership(community_id=community.id, user_id=person.id, status=MEMBER))
    discussion = services.start_discussion(community, person, {
        "title": "Mother-tongue reading clubs", "body": "How do you run reading clubs in the home language?",
        "language": "en", "themes": [], "kind": "discussion"})
    db.session.commit()
    discussion_id = discussion.id

    page.goto(live_server + "/login")
    page.keyboard.press("Tab")
    skip = page.evaluate(FOCUSED)
    assert skip["text"] == "Skip to content", "the first tab stop is the skip link"
    box = page.locator(".skip-link").bounding_box()
    assert 0 <= box["x"] < page.viewport_size["width"] and box["y"] >= 0, "the focused skip link is on screen"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"

    tab_to(page, named("Email"))
    page.keyboard.type("kofi@example.org")
    tab_to(page, named("Password"))
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Welcome, Kofi Mensah.")).to_be_visible()

    tab_to(page, named("Communities"))
    outline = page.evaluate("""() => { const e = document.activeElement, style = getComputedStyle(e);
        return {visible: e.matches(':focus-visible'), style: style.outlineStyle, width: style.outlineWidth}; }""")
    assert outline["visible"] and outline["style"] != "none" and outline["width"] != "0px", outline
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Learning communities")).to_be_visible()
    tab_to(page, named("Reading circles"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Reading circles", level=1)).to_be_visible()
    tab_to(page, named("Mother-tongue reading clubs"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/discussions/{discussion_id}$"))

    tab_to(page, named("Your reply"))
    page.keyboard.type("We meet on Saturdays with picture books in Twi and Ewe.")
    tab_to(page, named("Post reply"))
    page.keyboard.press("Enter")
    expect(page.get_by_text("We meet on Saturdays with picture books in Twi and Ewe.")).to_be_visible()
    assert db.session.scalar(db.select(Reply.body).where(Reply.discussion_id == discussion_id)) == \
        "We meet on Saturdays with picture books in Twi and Ewe."

    # The search box sits in the header, before the content: back to it with Shift+Tab.
    page.keyboard.press("Tab")
    tab_to(page, named("Search the hub"), key="Shift+Tab")
    page.keyboard.type("mother-tongue")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/search\?q=mother-tongue"))
    tab_to(page, named("Mother-tongue reading clubs"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/discussions/{discussion_id}"))
