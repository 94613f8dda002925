"""Chart text stays readable on a phone: at 360 px every label of the capacity map, an organisation's
profile and the desk's dashboard is drawn at 12 px or more, and none is cut off, in English and Arabic."""

import pytest
import sqlalchemy as sa

from hub.extensions import db
from hub.organisations.models import Organisation
from hub.survey.models import Submission
from tests.browser.conftest import SECRETARIAT, sign_in

pytestmark = pytest.mark.slow

#: Each chart text: its size on screen (font size times the SVG's scale) and whether it leaves the drawing.
TEXTS = """() => [...document.querySelectorAll('svg')].filter(svg => svg.viewBox.baseVal && svg.viewBox.baseVal.width)
  .flatMap(svg => {
    const frame = svg.getBoundingClientRect(), scale = frame.width / svg.viewBox.baseVal.width;
    return [...svg.querySelectorAll('text')].map(t => {
      const box = t.getBoundingClientRect();  // after rotation, in screen pixels
      return {text: t.textContent, px: parseFloat(getComputedStyle(t).fontSize) * scale,
              clipped: box.left < frame.left - 1 || box.top < frame.top - 1 || box.right > frame.right + 1
                       || box.bottom > frame.bottom + 1};
    });
  })"""


@pytest.mark.parametrize("language", ["en", "ar"])
def test_chart_text_is_at_least_12px_at_360px_and_never_clipped(browser, demo_site, language):
    with demo_site.app.app_context():
        slug, round_id = db.session.execute(
            sa.select(Organisation.slug, Submission.round_id).join(Submission, Submission.organisation_id == Organisation.id)
            .where(Submission.submitted_at.is_not(None)).order_by(Organisation.id)).first()
        db.session.remove()
    context = browser.new_context(viewport={"width": 360, "height": 800})
    sign_in(context, demo_site, SECRETARIAT)
    page = context.new_page()
    page.goto(demo_site.url + "/")
    page.locator(f".language-switcher button[value='{language}']").click()
    page.wait_for_load_state()
    small, clipped, counted = [], [], 0
    try:
        for path in ("/capacity/map/", f"/capacity/map/profile/{slug}?round={round_id}", "/desk/dashboard"):
            page.goto(demo_site.url + path)
            texts = page.evaluate(TEXTS)
            assert texts, f"no chart text on {path}"
            counted += len(texts)
            small += [f"{path} {t['text']!r} {t['px']:.1f}px" for t in texts if t["px"] < 11.95]
            clipped += [f"{path} {t['text']!r}" for t in texts if t["clipped"]]
    finally:
        page.goto(demo_site.url + "/")
        page.locator(".language-switcher button[value='en']").click()
        context.close()
    assert not small, "; ".join(small[:15])
    assert not clipped, "; ".join(clipped[:15])
