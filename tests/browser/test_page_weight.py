"""Light pages: each main page's first view transfers at most 100 KB (20 KB of JavaScript), stays on the
hub's own origin, is served from the browser's cache on a repeat view, and never preloads media."""

import re

import pytest

from tests.browser.weight import measure_site, site_table, table

pytestmark = pytest.mark.slow

KB = 1024
PAGE_BUDGET = 100 * KB
JS_BUDGET = 20 * KB
UPLOAD_JS_BUDGET = 40 * KB  # the resumable uploader (tus-js-client) loads on the upload page only
UPLOADER = "/static/vendor/tus/"


@pytest.fixture(scope="module")
def weights(browser, demo_site, member_state, secretariat_state):
    """Every main page measured as its visitors see it (bench/bench_page_weight.py prints the same table)."""
    measured = measure_site(browser, demo_site, member_state, secretariat_state)
    print("\n" + site_table(measured))
    return measured


def views_of(weights):
    """(label, PageWeight) of every page measured."""
    return [(f"{name} ({who})", weight) for who, pages in weights.items() for name, weight in pages.items() if weight]


def test_every_page_is_measured_where_its_visitors_see_it(weights, demo_site):
    assert all(weights["member"].values()) and all(weights["secretariat"].values())
    public = [name for name, view in weights["signed out"].items() if view]
    assert {"home", "communities", "community", "discussion", "library", "item", "search"} <= set(public)
    assert weights["signed out"]["upload"] is None  # members only: signed out it is the sign-in page


def test_first_view_fits_the_budget(weights):
    over = {name: w.first.row() for name, w in views_of(weights) if w.first.bytes() > PAGE_BUDGET
            or w.first.bytes("js") > (UPLOAD_JS_BUDGET if name.startswith("upload") else JS_BUDGET)}
    assert not over, table(over)


def test_the_resumable_uploader_loads_only_on_the_upload_page(weights):
    for name, weight in views_of(weights):
        loads_uploader = any(UPLOADER in r.url for r in weight.first.requests)
        assert loads_uploader == name.startswith("upload"), name


def test_no_request_leaves_the_hub(weights, demo_site):
    for name, weight in views_of(weights):
        assert not weight.first.foreign(demo_site.url) + weight.repeat.foreign(demo_site.url), name


def test_repeat_view_takes_static_files_from_the_cache(weights):
    for name, weight in views_of(weights):
        first, repeat = weight.first, weight.repeat
        assert [r for r in first.requests if "/static/" in r.url], name  # the stylesheet at least
        static = [r.url for r in repeat.network() if "/static/" in r.url]
        assert not static, (name, static)  # content-hashed URLs: not even asked again
        # Library files are checked against the item's visibility on every request: only "not modified".
        refetched = [(r.url, r.status) for r in repeat.network() if r.kind != "html" and r.status != 304]
        assert not refetched, (name, refetched)


def test_media_never_preloads(weights):
    for who in ("signed out", "member"):
        first, html = weights[who]["item"].first, weights[who]["item"].html
        players = re.findall(r"<(?:video|audio)\b[^>]*>", html)
        assert players and all('preload="none"' in tag for tag in players), players
        sources = {src.replace("&amp;", "&") for src in re.findall(r'<source src="([^"]+)"', html)}
        assert sources
        requested = {r.url.split("/", 3)[-1] for r in first.requests}
        assert not {src.lstrip("/") for src in sources} & requested, who
