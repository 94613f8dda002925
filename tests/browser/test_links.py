"""No dead links: every link on the main pages, for each kind of reader, leads somewhere (never a 404).

It reads the demo hub as signed-out visitors, a member, a facilitator and the secretariat do, and
follows each link of each main page once (redirects followed). Following links can change what is
read or unread, so the walk has a demo hub of its own.
"""

import re
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest

from hub.accounts import two_factor
from hub.accounts.services import find_by_email
from hub.extensions import db
from tests.browser.conftest import DEMO_PASSWORD, MEMBER, SECRETARIAT, served_demo

pytestmark = pytest.mark.slow

FACILITATOR = "facilitator@example.org"
#: Links not to follow: signing out, and files (checked by the library's own tests).
SKIP = re.compile(r"^/(logout|static/)|/files/\d+")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href") if tag == "a" else None
        if href:
            self.found.append(href)


def links(html: str) -> set[str]:
    """The site's own paths linked from a page (fragments dropped)."""
    parser = _Links()
    parser.feed(html)
    paths = set()
    for href in parser.found:
        parts = urlsplit(urldefrag(href)[0])
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if not SKIP.search(path):
            paths.add(path)
    return paths


@pytest.fixture(scope="module")
def own_demo(tmp_path_factory):
    with served_demo(tmp_path_factory.mktemp("links_demo")) as site:
        yield site


def _sign_in(client, email):
    """Sign in through the form; the demo secretariat's device is one that gave its second factor before."""
    with client.application.app_context():
        user = find_by_email(email)
        if user.has_two_factor:
            client.set_cookie(two_factor.REMEMBER_COOKIE, two_factor.device_cookie(user))
        db.session.remove()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    token = token or re.search(r'name="csrf_token" value="([^"]+)"', page)
    response = client.post("/login", data={"email": email, "password": DEMO_PASSWORD,
                                           "csrf_token": token.group(1) if token else ""})
    assert response.status_code == 302 and "/login" not in response.location, f"{email} could not sign in"


@pytest.mark.parametrize("reader", ["visitor", MEMBER, FACILITATOR, SECRETARIAT])
def test_every_link_on_the_main_pages_leads_somewhere(own_demo, reader):
    site = own_demo
    client = site.app.test_client()
    starts = dict(site.pages)
    if reader == "visitor":
        starts = {name: path for name, path in starts.items() if name not in site.member_only}
    else:
        _sign_in(client, reader)
        if reader == SECRETARIAT:
            starts.update(site.staff_pages)
    dead, seen = [], set()
    for name, start in starts.items():
        response = client.get(start, follow_redirects=True)
        assert response.status_code == 200, (reader, name, start, response.status_code)
        for path in sorted(links(response.get_data(as_text=True)) - seen):
            seen.add(path)
            status = client.get(path, follow_redirects=True).status_code
            if status == 404 or status >= 500:
                dead.append(f"{start} → {path}: {status}")
    assert len(seen) > 20
    assert not dead, f"{reader}: " + "; ".join(dead)
