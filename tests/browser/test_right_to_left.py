"""Right to left: the main pages in Arabic mirror (checked on the page and kept as full-page screenshots)."""

import pytest

from tests.browser.conftest import MEMBER, SECRETARIAT, sign_in

pytestmark = pytest.mark.slow

#: page -> who reads it (signed in people switch their language with the footer form)
PAGES = {"home": "visitor", "community": "visitor", "discussion": "visitor", "item": "visitor",
         "search": "visitor", "capacity_map": MEMBER, "dashboard": SECRETARIAT}

#: Where an element's text starts and ends inside its own box (x coordinates, CSS pixels).
TEXT_BOX = """el => {
  const range = document.createRange(); range.selectNodeContents(el);
  const text = range.getBoundingClientRect(), style = getComputedStyle(el), box = el.getBoundingClientRect();
  return {textLeft: text.left, textRight: text.right, boxLeft: box.left + parseFloat(style.paddingLeft),
          boxRight: box.right - parseFloat(style.paddingRight), direction: style.direction};
}"""


@pytest.fixture(scope="module")
def arabic(browser, demo_site):
    """A tab in Arabic for each reader, made on first use."""
    tabs = {}

    def tab(role):
        if role not in tabs:
            context = browser.new_context(locale="ar" if role == "visitor" else "en")
            if role != "visitor":
                sign_in(context, demo_site, role)
            page = context.new_page()
            if role != "visitor":
                page.goto(demo_site.url + "/")
                page.locator(".language-switcher button[value='ar']").click()
                page.wait_for_load_state()
            tabs[role] = page
        return tabs[role]
    yield tab
    for page in tabs.values():
        page.context.close()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rtl-screenshots")
    print(f"\nRight-to-left screenshots: {folder}")
    return folder


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def assert_starts_right(page, selector):
    """The element's text starts at its right edge (text-align: start in a right-to-left page)."""
    starts_right(page.locator(selector).first)


def starts_right(element):
    found = element.evaluate(TEXT_BOX)
    assert found["direction"] == "rtl", found
    assert abs(found["textRight"] - found["boxRight"]) < 2 and found["textLeft"] > found["boxLeft"] + 1, found


@pytest.mark.parametrize("name", PAGES)
def test_arabic_pages_mirror(arabic, demo_site, screenshots, name):
    page = arabic(PAGES[name])
    page.goto(demo_site.url + demo_site.pages.get(name) if name in demo_site.pages
              else demo_site.url + demo_site.staff_pages[name])
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "ar"
    page.screenshot(path=str(screenshots / f"{name}-ar.png"), full_page=True)

    width = page.viewport_size["width"]  # 1280 px: the header holds brand and menu on one line
    brand, nav = box(page, ".brand"), box(page, ".main-nav")
    assert brand["x"] > width / 2 and nav["x"] + nav["width"] < brand["x"]  # the brand on the right, then the menu
    for menu in (".main-nav", ".account-nav"):  # each menu reads from the right: its first link rightmost
        links = page.locator(f"{menu} li")
        assert links.first.bounding_box()["x"] > links.nth(1).bounding_box()["x"], menu
    language, english = box(page, ".language-switcher legend"), box(page, ".language-switcher button[value='en']")
    assert language["x"] > english["x"]
    CHECKS[name](page)


def home(page):
    assert_starts_right(page, "main h1")


def community(page):
    assert_starts_right(page, "#about-heading")


def discussion(page):
    assert_starts_right(page, ".post-meta")  # meta line: names, organisation, date


def item(page):
    assert_starts_right(page, "#downloads-heading")
    assert box(page, ".facts dt")["x"] > box(page, ".facts dd")["x"]  # the term right of its description


def search(page):
    assert_starts_right(page, "main h1")
    assert box(page, ".search-filters")["x"] > box(page, ".search-results")["x"]  # filters on the right


def capacity_map(page):
    for field in page.locator(".filters .field").all():  # each label right-aligned over its list
        starts_right(field.locator("label"))
        label, select = field.locator("label").bounding_box(), field.locator("select").bounding_box()
        assert abs((label["x"] + label["width"]) - (select["x"] + select["width"])) < 2


def dashboard(page):
    first, second = page.locator("main table th").nth(0), page.locator("main table th").nth(1)
    assert first.bounding_box()["x"] > second.bounding_box()["x"]  # the first column on the right
    assert_starts_right(page, "main table td")
    # every label and count lies inside its chart: SVG clips what overflows (Arabic labels did, at the right edge)
    outside = page.eval_on_selector_all("svg.dash-chart", """svgs => svgs.flatMap(svg => {
        const s = svg.getBoundingClientRect();
        return [...svg.querySelectorAll('text')].map(t => [t.textContent, t.getBoundingClientRect()])
            .filter(([, r]) => r.left < s.left - 1 || r.right > s.right + 1 || r.top < s.top - 1 || r.bottom > s.bottom + 1)
            .map(([text]) => text); })""")
    assert outside == []


CHECKS = {"home": home, "community": community, "discussion": discussion, "item": item, "search": search,
          "capacity_map": capacity_map, "dashboard": dashboard}
