"""Every player on the library's item pages shows controls you can see and reach with the keyboard, in
English and Arabic (an audio player once collapsed to 0 px: the podcast could only be downloaded)."""

import pytest
import sqlalchemy as sa

from hub.extensions import db
from hub.library.models import LibraryItem
from tests.browser.test_keyboard import tab_to

pytestmark = pytest.mark.slow

PLAYERS = """() => [...document.querySelectorAll('audio, video')].map(e => {
  const box = e.getBoundingClientRect();
  return {tag: e.tagName.toLowerCase(), controls: e.controls, width: box.width, height: box.height,
          hidden: getComputedStyle(e).visibility !== 'visible' || getComputedStyle(e).display === 'none'}; })"""


def _media_items(site) -> list[str]:
    with site.app.app_context():
        slugs = db.session.scalars(sa.select(LibraryItem.slug).where(
            LibraryItem.kind.in_(["recording", "video"]), LibraryItem.deleted_at.is_(None))
            .order_by(LibraryItem.id)).all()
        db.session.remove()
    return slugs


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_player_has_visible_keyboard_operable_controls(browser, demo_site, language):
    slugs = _media_items(demo_site)
    assert len(slugs) >= 3
    context = browser.new_context(locale=language, viewport={"width": 360, "height": 800})
    page = context.new_page()
    tags = set()
    try:
        for slug in slugs:
            if page.goto(f"{demo_site.url}/library/{slug}").status != 200:
                continue  # not for visitors
            assert page.locator("html").get_attribute("lang") == language
            players = page.evaluate(PLAYERS)
            assert players, f"no player on {slug}"
            for player in players:
                tags.add(player["tag"])
                assert player["controls"] and not player["hidden"], (slug, player)
                assert player["width"] >= 200 and player["height"] >= 24, (slug, player)
            tab_to(page, lambda element: element["tag"] in ("audio", "video"), limit=120)
    finally:
        context.close()
    assert tags == {"audio", "video"}
