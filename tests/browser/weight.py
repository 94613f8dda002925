"""What a page costs to load: every request a view makes, the bytes each one transferred, by kind.

Chromium's own network log (DevTools protocol) is the measure: `encodedDataLength` is what crossed
the wire (response headers plus the compressed body), and `fromDiskCache`/`fromMemoryCache`/
`requestServedFromCache` say a resource came from the browser's cache instead.
Used by tests/browser/test_page_weight.py and bench/bench_page_weight.py (one piece of code).
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

KINDS = {"Document": "html", "Stylesheet": "css", "Script": "js", "Image": "images"}
COLUMNS = ("total", "html", "css", "js", "images", "other")


@dataclass
class Request:
    """One request of a page view: where it went, what kind, bytes transferred, whether cached."""
    url: str
    kind: str
    transferred: int = 0
    from_cache: bool = False
    status: int = 0


class View:
    """The requests one page view made; `bytes(kind)` sums what crossed the wire."""

    def __init__(self, requests: list[Request]):
        self.requests = requests

    def bytes(self, kind: str = "total") -> int:
        return sum(r.transferred for r in self.requests
                   if not r.from_cache and kind in ("total", r.kind))

    def network(self) -> list[Request]:
        """Requests that reached a server (not answered by the browser's cache)."""
        return [r for r in self.requests if not r.from_cache]

    def foreign(self, origin: str) -> list[str]:
        """URLs requested outside `origin` (data: URLs never leave the page)."""
        return [r.url for r in self.requests if not r.url.startswith(("data:", "blob:"))
                and "{0.scheme}://{0.netloc}".format(urlsplit(r.url)) != origin]

    def row(self) -> dict:
        return {kind: self.bytes(kind) for kind in COLUMNS if kind != "other"} | {
            "other": self.bytes() - sum(self.bytes(k) for k in ("html", "css", "js", "images"))}


def record(page, url: str) -> View:
    """Load `url` in `page` (a Chromium page) and return every request the view made."""
    cdp = page.context.new_cdp_session(page)
    seen: dict[str, Request] = {}

    def sent(event):
        kind = KINDS.get(event.get("type"), "other")
        seen.setdefault(event["requestId"], Request(event["request"]["url"], kind))

    def received(event):
        request = seen.get(event["requestId"])
        response = event["response"]
        if request:
            request.status = request.status or response["status"]
            request.from_cache |= bool(response.get("fromDiskCache") or response.get("fromMemoryCache"))

    def cached(event):
        if event["requestId"] in seen:
            seen[event["requestId"]].from_cache = True

    def raw(event):  # the status on the wire: a revalidated resource is "304" here, "200" above
        if event["requestId"] in seen:
            seen[event["requestId"]].status = event["statusCode"]

    def finished(event):
        if event["requestId"] in seen:
            seen[event["requestId"]].transferred = int(event["encodedDataLength"])

    cdp.on("Network.requestWillBeSent", sent)
    cdp.on("Network.responseReceived", received)
    cdp.on("Network.responseReceivedExtraInfo", raw)
    cdp.on("Network.requestServedFromCache", cached)
    cdp.on("Network.loadingFinished", finished)
    cdp.send("Network.enable")
    page.goto(url)
    page.wait_for_load_state("networkidle")
    cdp.detach()
    return View(list(seen.values()))


@dataclass
class PageWeight:
    """A page's first view and repeat view in one browser context; `landed` is the path it ended on."""
    path: str
    first: View
    repeat: View
    html: str
    landed: str


def measure(browser, site, paths: dict, state=None) -> dict:
    """First and repeat view of each page, each page in a fresh browser context (an empty cache).

    A page that sends the visitor to the sign-in page is not theirs to see: it maps to None.
    """
    weights = {}
    for name, path in paths.items():
        context = browser.new_context(storage_state=state)
        page = context.new_page()
        first = record(page, site.url + path)
        landed = page.url.removeprefix(site.url)
        if "/login" in landed and "/login" not in path:
            weights[name] = None
        else:
            weights[name] = PageWeight(path, first, record(page, site.url + path), page.content(), landed)
        context.close()
    return weights


def measure_site(browser, site, member_state, secretariat_state) -> dict:
    """Every main page signed out (where public), as a member, and the staff pages as the secretariat."""
    return {
        "signed out": measure(browser, site, site.pages),
        "member": measure(browser, site, site.pages, member_state),
        "secretariat": measure(browser, site, site.staff_pages, secretariat_state),
    }


def site_table(measured: dict) -> str:
    """The first-view table of a `measure_site` result, one line per page and visitor."""
    rows = {}
    for who, weights in measured.items():
        for name, weight in weights.items():
            if weight:
                moved = f" → {weight.landed}" if weight.landed != weight.path else ""
                rows[f"{name} ({who}){moved}"] = weight.first.row()
    return table(rows)


def table(rows: dict[str, dict]) -> str:
    """A plain-text table of kilobytes per page and kind (1 KB = 1,024 bytes)."""
    lines = [f"{'page (KB transferred)':<36}" + "".join(f"{c:>8}" for c in COLUMNS)]
    for name, row in rows.items():
        lines.append(f"{name:<36}" + "".join(f"{row[c] / 1024:>8.1f}" for c in COLUMNS))
    return "\n".join(lines)
