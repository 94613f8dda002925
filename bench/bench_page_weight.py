"""What each main page transfers on a first view, in KB: total, HTML, CSS, JavaScript, images.

Loads the demo into a temporary folder, serves it, and measures every main page in Debian's Chromium,
signed out where public, signed in as the demo member and, for the staff pages, as the secretariat —
with the same code as tests/browser/test_page_weight.py. Run: .venv/bin/python bench/bench_page_weight.py
"""

import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.browser.conftest import MEMBER, SECRETARIAT, served_demo, sign_in  # noqa: E402
from tests.browser.weight import measure_site, site_table  # noqa: E402

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic", "--no-first-run"]


def signed_in_state(browser, site, email):
    """Cookies of `email` signed in, for new browser contexts."""
    context = browser.new_context()
    sign_in(context, site, email)
    state = context.storage_state()
    context.close()
    return state


def main():
    started = time.monotonic()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    with tempfile.TemporaryDirectory() as folder, served_demo(Path(folder)) as site, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium") or "/usr/bin/chromium",
                                    args=CHROMIUM_ARGS)
        measured = measure_site(browser, site, signed_in_state(browser, site, MEMBER),
                                signed_in_state(browser, site, SECRETARIAT))
        browser.close()
    print("First view of each main page (compressed bytes on the wire, headers included; 1 KB = 1,024 bytes)")
    print(site_table(measured))
    print(f"({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
