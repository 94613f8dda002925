"""A newcomer's first journey in a real browser: register, verify, approval, sign in, Arabic."""

import pytest
from playwright.sync_api import expect

from hub.extensions import db
from hub.organisations.models import Organisation
from tests.conftest import link_path

pytestmark = pytest.mark.slow


def test_register_verify_approve_sign_in_and_switch_to_arabic(page, live_server, create_user, create_org, outbox):
    org = create_org("Coalition sénégalaise pour l'éducation", country="SN", acronym="COSED")
    create_user(email="focal@example.org", organisation=org, is_focal_point=True, name="Moussa")
    org_id = org.id

    page.goto(live_server + "/register")
    page.get_by_label("Your name").fill("Awa Ndiaye")
    page.get_by_label("Email", exact=True).fill("awa@example.org")
    page.get_by_label("Password", exact=True).fill("mangroves of the saloum delta")
    page.get_by_label("Your organisation", exact=True).select_option(str(org_id))
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    page.goto(live_server + link_path(outbox.last_to("awa@example.org"), "/verify/"))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Email confirmed")).to_be_visible()

    # The focal point approves, in a separate browser context (their own session).
    focal = page.context.browser.new_context().new_page()
    focal.goto(live_server + "/login")
    focal.get_by_label("Email", exact=True).fill("focal@example.org")
    focal.get_by_label("Password", exact=True).fill("correct horse battery staple")
    focal.get_by_role("button", name="Sign in").click()
    focal.goto(live_server + "/registrations")
    expect(focal.get_by_role("heading", name="Awa Ndiaye")).to_be_visible()
    focal.get_by_role("button", name="Approve").click()
    expect(focal.get_by_text("Awa Ndiaye can now sign in.")).to_be_visible()

    page.goto(live_server + "/login")
    page.get_by_label("Email", exact=True).fill("awa@example.org")
    page.get_by_label("Password", exact=True).fill("mangroves of the saloum delta")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Welcome, Awa Ndiaye.")).to_be_visible()

    page.get_by_role("button", name="العربية").click()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    # The layout mirrors: the brand sits at the right edge of the header in Arabic.
    brand = page.locator(".brand").bounding_box()
    assert brand["x"] > page.viewport_size["width"] / 2
    assert db.session.scalar(db.select(Organisation.name).where(Organisation.id == org_id))
