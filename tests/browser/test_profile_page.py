"""The "Your account" page passes the browser check (tests/browser/checks.py) as it first
shows and with a refused change's messages, and a password change works in the browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from models import Role
from tests.browser.checks import check_page
from tests.browser.helpers import log_in
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

EMAIL = "profile-checks@example.com"
NEW = "a brand new passphrase"


@pytest.fixture(scope="module")
def warehouse_user(live_server):
    with live_server.session() as session:
        make_user(session, Role.WAREHOUSE, name="Wanda Profile", email=EMAIL)
        session.commit()


def test_the_account_page_passes_the_check_and_changes_the_password(
    chromium, live_server, warehouse_user
):
    # A context of our own: the shared page fixture counts the browser's note about the
    # refused form's 422 as a console error. check_page still watches its own loads.
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    try:
        _check_and_change(context.new_page())
    finally:
        context.close()


def _check_and_change(page) -> None:
    log_in(page, EMAIL, PASSWORD)
    page.click("header >> text=Your account")
    page.wait_for_load_state()
    expect(page.locator("main h1")).to_have_text("Your account")
    check_page(page, "/me")

    page.fill("input[name=current_password]", "not my password")
    page.fill("input[name=password]", NEW)
    page.fill("input[name=confirm]", "something else entirely")
    page.click("main button:has-text('Change password')")
    page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text("The two new passwords differ.")
    check_page(page)  # the refused form, its messages in place

    page.fill("input[name=current_password]", PASSWORD)
    page.fill("input[name=password]", NEW)
    page.fill("input[name=confirm]", NEW)
    page.click("main button:has-text('Change password')")
    page.wait_for_load_state()
    expect(page.locator("main .flash")).to_contain_text("Password changed")
