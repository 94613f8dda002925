"""Without JavaScript: read, sign in, join, start a discussion, reply, search, answer the survey, upload."""

import re

import pytest
from playwright.sync_api import expect

from hub.communities.models import Community
from hub.extensions import db
from hub.survey import services as survey
from tests.conftest import PASSWORD
from tests.library.library_samples import pdf_bytes

pytestmark = pytest.mark.slow


@pytest.fixture
def no_js(browser, app):
    """A page in a browser with JavaScript turned off; each member posts without waiting for review."""
    app.config["PREMODERATION_FIRST_POSTS"] = 0  # pre-moderation has its own tests
    context = browser.new_context(java_script_enabled=False)
    yield context.new_page()
    context.close()


def sign_in(page, live_server, email):
    page.goto(live_server + "/login")
    page.get_by_label("Email", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/$"))


def test_read_sign_in_join_post_reply_and_search(no_js, live_server, create_user, create_org):
    page = no_js
    community = Community(slug="literacy", title="Adult literacy", visibility="public")
    db.session.add(community)
    db.session.commit()
    create_user(email="amina@example.org", name="Amina", organisation=create_org("Coalition nigérienne"))

    page.goto(live_server + "/")
    page.get_by_role("link", name="Communities").first.click()
    page.get_by_role("link", name="Adult literacy").click()
    expect(page.get_by_role("heading", name="Adult literacy", level=1)).to_be_visible()

    sign_in(page, live_server, "amina@example.org")
    page.goto(live_server + "/communities/literacy")
    page.get_by_role("link", name="Join").click()
    page.get_by_role("button", name="Join").click()
    page.get_by_role("link", name="Start a discussion").click()
    page.get_by_label("Title").fill("Evening classes for mothers")
    page.get_by_label("Message").fill("How do you keep evening classes going through the rainy season?")
    page.get_by_role("button", name="Start the discussion").click()
    expect(page.get_by_role("heading", name="Evening classes for mothers")).to_be_visible()

    page.get_by_label("Your reply").fill("We move the classes to the school hall, which has light.")
    page.get_by_role("button", name="Post reply").click()
    expect(page.get_by_text("We move the classes to the school hall, which has light.")).to_be_visible()
    discussion_url = page.url

    page.get_by_role("searchbox", name="Search the hub").fill("rainy season")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("link", name="Evening classes for mothers")).to_be_visible()
    page.get_by_role("link", name="Evening classes for mothers").click()
    assert page.url.split("#")[0] == discussion_url.split("#")[0]

    page.get_by_role("button", name="Français").click()  # the language switcher is a plain form
    expect(page.locator("html")).to_have_attribute("lang", "fr")


def test_answer_the_capacity_survey(no_js, live_server, create_user, create_org):
    page = no_js
    org = create_org("Coalition béninoise pour l'éducation", country="BJ")
    create_user(email="focal@example.org", organisation=org, is_focal_point=True)
    survey_round = survey.open_round("Capacity mapping 2026", None, None, None)
    db.session.commit()
    round_id = survey_round.id

    sign_in(page, live_server, "focal@example.org")
    page.goto(live_server + f"/capacity/rounds/{round_id}")
    page.get_by_role("link", name=re.compile("answer", re.I)).first.click()
    form = page.locator("form.survey-form")
    first_scale = form.locator("fieldset").first
    first_scale.locator("input[type=radio]").nth(2).check()
    page.get_by_role("button", name=re.compile("save", re.I)).click()
    expect(page.get_by_text("Your draft is saved.")).to_be_visible()
    expect(form.locator("fieldset").first.locator("input[type=radio]").nth(2)).to_be_checked()

    for group in form.locator("fieldset").all():  # every question, then submit
        group.locator("input").first.check()
    page.get_by_role("button", name=re.compile("submit", re.I)).click()
    expect(page.get_by_text("Thank you: your answers are submitted.")).to_be_visible()


def test_upload_a_document_through_the_form(no_js, live_server, create_user, tmp_path):
    page = no_js
    create_user(email="librarian@example.org")
    document = tmp_path / "budget-brief.pdf"
    document.write_bytes(pdf_bytes("Education budget brief"))

    sign_in(page, live_server, "librarian@example.org")
    page.goto(live_server + "/library/new")
    expect(page.locator(".uploader")).to_be_hidden()  # the resumable uploader needs JavaScript
    page.get_by_label("Title").fill("Education budget brief")
    page.locator("input[type=file]").set_input_files(str(document))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name="Education budget brief")).to_be_visible()
    download = page.get_by_role("link", name="The file as uploaded")
    expect(download).to_be_visible()
    assert page.context.request.get(live_server + download.get_attribute("href")).body() == document.read_bytes()
