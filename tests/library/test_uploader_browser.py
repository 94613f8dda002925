"""The in-page resumable uploader in a real browser: upload, reload half-way, resume, save, play."""

import os

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from hub.extensions import db
from hub.library.models import Upload
from tests.library.library_samples import items

pytestmark = pytest.mark.slow
MB = 1024 * 1024


def sign_in(page, live_server, email):
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign in").click()


def test_upload_survives_a_reload_and_resumes(page, live_server, create_user, video_bytes, tmp_path):
    person = create_user()
    big = tmp_path / "session.mp4"
    big.write_bytes(video_bytes + os.urandom(24 * MB))  # a real MP4 head; three 8 MB pieces and a bit
    sign_in(page, live_server, person.email)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 20, "downloadThroughput": -1,
                                                  "uploadThroughput": 2 * MB})  # a slow line: ~4 s per piece
    page.goto(live_server + "/library/new")
    page.get_by_label("Kind").select_option("recording")
    page.locator("input[type=file]").set_input_files(str(big))
    for _ in range(300):  # until the first 8 MB piece has arrived
        page.wait_for_timeout(100)
        db.session.rollback()
        if db.session.scalar(sa.select(Upload.offset)) or 0:
            break
    received = db.session.scalar(sa.select(Upload.offset))
    assert 0 < received < big.stat().st_size

    page.reload()  # the connection drops, the page is reloaded: choose the same file again
    page.get_by_label("Kind").select_option("recording")
    page.get_by_label("Title").fill("Budget session, resumed")
    cdp = page.context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {"offline": False, "latency": 0, "downloadThroughput": -1,
                                                  "uploadThroughput": -1})
    page.locator("input[type=file]").set_input_files(str(big))
    expect(page.locator(".upload-status")).to_contain_text("Upload complete", timeout=60_000)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Upload)) == 1  # resumed, not restarted
    expect(page.locator(".upload-status")).not_to_contain_text("The upload stopped")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Budget session, resumed")).to_be_visible()
    db.session.expire_all()
    original = items()[0].file("original")
    assert original.size == big.stat().st_size and original.filename == "session.mp4"
    expect(page.locator("video source")).to_have_attribute("type", "video/mp4")
