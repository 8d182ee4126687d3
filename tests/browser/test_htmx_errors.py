"""An HTMX request the server refuses, or that cannot reach it, is announced in the page's
alert line (js/htmx-errors.js) instead of silently changing nothing."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from models import Role
from tests.browser.checks import check_page
from tests.browser.helpers import log_in
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.browser

EMAIL = "htmx-errors@example.com"


@pytest.fixture(scope="module")
def admin(live_server):
    with live_server.session() as session:
        make_user(session, Role.ADMIN, name="Ada Alerts", email=EMAIL)
        session.commit()


@pytest.fixture
def admin_page(chromium, live_server, admin):
    # A context of its own: the refused requests below are console errors by design.
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, EMAIL, PASSWORD)
    yield page
    context.close()


def _htmx_get(page, url: str) -> None:
    # htmx.ajax's promise rejects when the request cannot be sent; the page handles that.
    page.evaluate(
        "url => htmx.ajax('GET', url, {target: '#htmx-alert', swap: 'none'}).catch(() => null)",
        url,
    )


def test_a_refused_htmx_request_says_why_and_a_good_one_clears_it(admin_page):
    page = admin_page
    page.goto("/admin/users")
    alert = page.locator("#htmx-alert")
    expect(alert).to_be_hidden()
    _htmx_get(page, "/admin/accounts/2147483647")
    expect(alert).to_be_visible()
    expect(alert).to_have_text("This page does not exist, or you do not have access to it.")
    expect(alert).to_have_attribute("role", "alert")
    _htmx_get(page, "/admin/users")
    expect(alert).to_be_hidden()


def test_an_unreachable_server_is_announced(admin_page):
    page = admin_page
    page.goto("/admin/users")
    page.context.route("**/admin/users*", lambda route: route.abort())
    _htmx_get(page, "/admin/users?page=2")
    expect(page.locator("#htmx-alert")).to_have_text(
        "Rotaflow could not be reached. Check the connection and try again."
    )


def test_a_page_with_the_alert_line_shown_passes_the_check(admin_page):
    page = admin_page
    page.goto("/me")
    _htmx_get(page, "/admin/accounts/2147483647")
    expect(page.locator("#htmx-alert")).to_be_visible()
    check_page(page)
