"""axe-core audits of every main page (WCAG 2.1 A and AA), signed out and signed in, in English and Arabic."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from hub.accounts.models import User
from hub.extensions import db
from tests.browser.conftest import MEMBER, SECRETARIAT, sign_in

pytestmark = pytest.mark.slow

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
              "resultTypes": ["violations"]}
LANGUAGES = ("en", "ar")
PUBLIC = ("home", "directory", "organisation", "communities", "community", "discussion", "library", "item",
          "search", "capacity_map", "sign_in", "register")
SIGNED_OUT_ONLY = ("sign_in", "register")  # signed in, these send the person home
MEMBER_ONLY = ("survey", "survey_round", "notifications", "notification_settings", "profile", "password", "upload",
               "propose_session", "session_proposal")
STAFF = ("moderation_queue", "dashboard", "audit_log", "people", "moderation_case", "plans", "exchanges", "plan",
         "exchange", "session_proposals", "session_attendance")
FOCAL = "focal@example.org"  # the demo leaves their survey unanswered, so the questionnaire is open to them
#: Pages reached through a link on another page: name -> (who follows it, from which page, which link).
LINKED = {"moderation_case": ("secretariat", "moderation_queue", "main table a[href*='/desk/queue/']"),
          "our_answers": ("member", "survey_round", "main a[href*='/answers/']"),
          "questionnaire": ("focal", "survey_round", "main a[href*='/answers/'][href$='/edit']")}

# Language first, then role: a signed-in person's language is saved on their account, so each
# account switches once (to English, then to Arabic) rather than once per page.
AUDITS = [(lang, role, name) for lang in LANGUAGES for role, names in (
    ("visitor", PUBLIC),
    ("member", [n for n in PUBLIC if n not in SIGNED_OUT_ONLY] + list(MEMBER_ONLY) + ["our_answers"]),
    ("secretariat", STAFF),
    ("focal", ["questionnaire"]),
) for name in names]


def describe(violations) -> str:
    """One paragraph per violated rule: id, impact, help, then each offending node's target and fix."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            lines.append(f"    {target}\n        {node['html'][:160]}\n        {summary}")
    return "\n".join(lines)


class Tabs:
    """One browser tab per role (a visitor gets one per language), reused across the module's audits."""

    def __init__(self, browser, site, states):
        self.browser, self.site, self.states = browser, site, states
        self.tabs, self.languages, self.paths = {}, {}, dict(site.pages, **site.staff_pages)

    def _tab(self, role, lang):
        key = (role, lang) if role == "visitor" else role
        if key not in self.tabs:
            if role == "visitor":
                context = self.browser.new_context(locale=lang)
            elif role in self.states:
                context = self.browser.new_context(storage_state=self.states[role])
            else:
                context = self.browser.new_context()
                sign_in(context, self.site, FOCAL)
            self.tabs[key] = context.new_page()
        return self.tabs[key]

    def open(self, role, lang, path):
        """Go to `path` as `role` in `lang`, switching language with the footer's form when needed."""
        page = self._tab(role, lang)
        page.goto(self.site.url + path)
        if role != "visitor" and self.languages.get(role) != lang:
            page.locator(f".language-switcher button[value='{lang}']").click()
            page.wait_for_load_state()
            self.languages[role] = lang
        assert page.locator("html").get_attribute("lang") == lang
        return page

    def path(self, name):
        """The page's path, following a link from another page for the pages the demo does not name."""
        if name not in self.paths:
            role, start, link = LINKED[name]
            page = self.open(role, self.languages.get(role, "en"), self.path(start))
            self.paths[name] = page.locator(link).first.get_attribute("href")
        return self.paths[name]

    def close(self):
        for page in self.tabs.values():
            page.context.close()


@pytest.fixture(scope="module")
def tabs(browser, demo_site, member_state, secretariat_state):
    """The module's tabs; afterwards the demo accounts get back the languages they had."""
    emails = (MEMBER, SECRETARIAT, FOCAL)
    with demo_site.app.app_context():
        saved = {email: db.session.scalar(db.select(User.locale).where(User.email == email)) for email in emails}
        db.session.remove()
    tabs = Tabs(browser, demo_site, {"member": member_state, "secretariat": secretariat_state})
    yield tabs
    tabs.close()
    with demo_site.app.app_context():  # the demo accounts keep the languages they were loaded with
        for email, locale in saved.items():
            db.session.execute(db.update(User).where(User.email == email).values(locale=locale))
        db.session.commit()
        db.session.remove()


@pytest.fixture(scope="module")
def axe():
    """axe-core as shipped inside axe-playwright-python (no download)."""
    return Axe()


def test_every_page_the_demo_names_is_audited(demo_site):
    assert set(PUBLIC + MEMBER_ONLY) == set(demo_site.pages)
    assert set(STAFF) == set(demo_site.staff_pages) | {"moderation_case"}
    assert {name for _lang, _role, name in AUDITS} == set(demo_site.pages) | set(demo_site.staff_pages) | set(LINKED)


def test_video_has_captions_and_controls(tabs):
    page = tabs.open("visitor", "en", tabs.path("item"))
    video = page.locator("main video")
    assert video.count() == 1
    assert video.get_attribute("controls") is not None
    track = video.locator("track[kind='captions']").first
    assert track.get_attribute("srclang") and track.get_attribute("label")
    captions = page.request.get(tabs.site.url + track.get_attribute("src"))
    assert captions.ok and captions.text().startswith("WEBVTT")


@pytest.mark.parametrize("role, name", [("secretariat", "dashboard"), ("member", "capacity_map")])
def test_every_chart_sits_beside_a_table_of_its_numbers(tabs, role, name):
    page = tabs.open(role, "en", tabs.path(name))
    charts = page.eval_on_selector_all("main svg", """charts => charts.map(svg => ({
        named: svg.getAttribute('role') === 'img' && !!(svg.getAttribute('aria-label') || svg.querySelector('title')),
        table: !!svg.closest('section, figure')?.querySelector('table')}))""")
    assert charts, f"the demo {name} draws no chart"
    assert all(c["named"] for c in charts), charts
    assert all(c["table"] for c in charts), charts


# axe leaves text drawn over SVG shapes "incomplete" (it cannot tell the background), so the charts'
# numbers and labels are measured here: the text's colour against the topmost shape under its centre.
CHART_TEXT = """svgs => svgs.flatMap(svg => [...svg.querySelectorAll('text')].map(text => {
    const box = text.getBBox(), matrix = text.transform.baseVal.consolidate()?.matrix;
    let centre = svg.createSVGPoint(); centre.x = box.x + box.width / 2; centre.y = box.y + box.height / 2;
    if (matrix) centre = centre.matrixTransform(matrix);
    const under = [...svg.querySelectorAll('rect')].filter(r => { const b = r.getBBox();
        return centre.x >= b.x && centre.x <= b.x + b.width && centre.y >= b.y && centre.y <= b.y + b.height; }).pop();
    const shape = under && getComputedStyle(under);
    return {text: text.textContent, ink: getComputedStyle(text).fill,
            fill: shape ? shape.fill : 'rgb(255, 255, 255)', opacity: shape ? Number(shape.fillOpacity) : 1};
}))"""


def _rgb(css: str) -> list[float]:
    return [float(part) for part in css[css.index("(") + 1:css.index(")")].split(",")[:3]]


def _luminance(rgb) -> float:
    channels = [c / 255 for c in rgb]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(ink: str, fill: str, opacity: float) -> float:
    """WCAG contrast ratio of `ink` on `fill` laid at `opacity` over the white page."""
    background = [opacity * c + (1 - opacity) * 255 for c in _rgb(fill)]
    light, dark = sorted([_luminance(_rgb(ink)), _luminance(background)], reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("role, name", [("secretariat", "dashboard"), ("member", "capacity_map")])
def test_chart_text_has_enough_contrast(tabs, role, name, lang):
    page = tabs.open(role, lang, tabs.path(name))
    texts = page.eval_on_selector_all("main svg", CHART_TEXT)
    assert texts, f"the demo {name} draws no chart text"
    faint = {(t["text"], t["ink"], t["fill"], t["opacity"]) for t in texts
             if contrast(t["ink"], t["fill"], t["opacity"]) < 4.5}
    assert not faint, f"{name}: chart text below 4.5:1 (text, ink, shape fill, fill-opacity): {sorted(faint)}"


@pytest.mark.parametrize("lang, role, name", AUDITS, ids=["-".join(a) for a in AUDITS])
def test_page_has_no_axe_violations(tabs, axe, lang, role, name):
    path = tabs.path(name)
    page = tabs.open(role, lang, path)
    assert page.url.endswith(path), f"{role} asked for {path} and landed on {page.url}"
    violations = axe.run(page, options=WCAG_21_AA).response["violations"]
    assert not violations, f"{path} as {role} in {lang}:\n{describe(violations)}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", SIGNED_OUT_ONLY)
def test_form_errors_have_no_axe_violations(tabs, axe, lang, name):
    page = tabs.open("visitor", lang, tabs.path(name))
    page.locator("main form button[type=submit], main form input[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator("main [aria-invalid=true]").count(), "the empty form came back with its errors marked"
    violations = axe.run(page, options=WCAG_21_AA).response["violations"]
    assert not violations, f"{name} with errors in {lang}:\n{describe(violations)}"
