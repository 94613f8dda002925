"""Narrow screens: every main page at 360 px wide scrolls only up and down, in English and in Arabic."""

import pytest

from tests.browser.conftest import MEMBER, SECRETARIAT, sign_in

pytestmark = pytest.mark.slow

NARROW = {"width": 360, "height": 740}
LANGUAGES = ("en", "ar")

#: The elements sticking out of the window, if any: what a person would have to scroll sideways to read.
OVERFLOW = """() => {
  const width = window.innerWidth, out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const box = el.getBoundingClientRect();
    const sticksOut = box.right > width + 0.5 || box.left < -0.5;
    if (box.width && sticksOut && !el.closest(".skip-link, .visually-hidden"))
      out.push(`${el.tagName.toLowerCase()}.${[...el.classList].join(".")} ${box.left | 0}..${box.right | 0}`);
  }
  const scroll = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
  return {scroll, width, out: out.slice(0, 8)};
}"""


class Visitors:
    """One 360 px wide tab per role and language, reused for every page of the module."""

    def __init__(self, browser, site):
        self.browser, self.site, self.tabs = browser, site, {}

    def page(self, role, lang):
        if (role, lang) not in self.tabs:
            context = self.browser.new_context(viewport=NARROW, locale=lang if role == "visitor" else "en")
            if role != "visitor":
                sign_in(context, self.site, role)  # in English (the sign-in form is found by its labels)
            page = context.new_page()
            if role != "visitor":  # a member's language is saved on their account: switch with the footer form
                page.goto(self.site.url + "/")
                page.locator(f".language-switcher button[value='{lang}']").click()
                page.wait_for_load_state()
            self.tabs[role, lang] = page
        return self.tabs[role, lang]

    def close(self):
        for page in self.tabs.values():
            page.context.close()


@pytest.fixture(scope="module")
def visitors(browser, demo_site):
    tabs = Visitors(browser, demo_site)
    yield tabs
    tabs.close()


def cases():
    public = ["home", "directory", "organisation", "communities", "community", "discussion", "library", "item",
              "search", "sign_in", "register"]
    member = ["capacity_map", "survey", "survey_round", "notifications", "notification_settings", "profile",
              "password", "upload", "discussion", "propose_session", "session_proposal"]
    staff = ["moderation_queue", "dashboard", "audit_log", "people", "plans", "exchanges", "plan", "exchange",
             "session_proposals", "session_attendance"]
    # Members and staff read in the language they chose last: group by language so each switches once.
    return [(lang, role, name) for lang in LANGUAGES for role, names in (
        ("visitor", public), (MEMBER, member), (SECRETARIAT, staff)) for name in names]


@pytest.mark.parametrize(("lang", "role", "name"), cases(), ids=lambda v: v.split("@")[0])
def test_no_sideways_scrolling_at_360_px(visitors, demo_site, lang, role, name):
    page = visitors.page(role, lang)
    path = {**demo_site.pages, **demo_site.staff_pages}[name]
    page.goto(demo_site.url + path)
    assert page.locator("html").get_attribute("lang") == lang
    assert "/login" not in page.url or name == "sign_in", page.url
    found = page.evaluate(OVERFLOW)
    assert found["scroll"] <= found["width"], found
