"""The webhooks pages pass the browser check (tests/browser/checks.py) at every width: a
subscription is made in the browser (its secret shown once), opened, its secret rotated."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from models import Role
from tests.browser.checks import check_page
from tests.browser.helpers import log_in
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

EMAIL = "webhooks-admin@example.com"


@pytest.fixture(scope="module")
def admin(live_server):
    with live_server.session() as session:
        make_user(session, Role.ADMIN, name="Ada Hooks", email=EMAIL)
        session.commit()


def test_the_webhooks_pages_make_open_and_rotate_a_subscription(chromium, live_server, admin):
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        log_in(page, EMAIL, PASSWORD)
        page.goto("/admin/webhooks")
        expect(page.locator("main h1")).to_have_text("Webhooks")
        check_page(page, "/admin/webhooks")
        long_url = "https://erp.example.com/" + "very-long-path-segment/" * 4 + "hooks"
        page.fill("input[name=url]", long_url)
        page.check("input[value='rma.submitted']")
        page.check("input[value='credit_memo.issued']")
        page.click("main button:has-text('Create webhook')")
        expect(page.locator("code.secret")).to_have_text(re.compile(r"^whsec_"))
        check_page(page)  # with the new secret shown
        page.click(f"main a:has-text('{long_url}')")
        expect(page.locator("main h1")).to_have_text("Webhook")
        check_page(page)
        page.click("main button:has-text('Rotate secret')")
        expect(page.locator("code.secret")).to_have_text(re.compile(r"^whsec_"))
        check_page(page)
    finally:
        context.close()
