"""A retailer searches the order history; htmx replaces the table without a page load."""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories import PASSWORD, make_account, make_order, make_product, make_retailer

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def retailer(live_server):
    with live_server.session() as session:
        account = make_account(session, name="Optik Browser")
        aurora = make_product(session, sku="BRW-AUR-1", brand="Aurora", model="Meridian")
        velo = make_product(session, sku="BRW-VEL-2", brand="Velo", model="Sprint")
        for day in range(1, 28):
            make_order(
                session,
                account,
                [(aurora, 1, "40.00")],
                invoice_number=f"BRW-A-{day:02d}",
                invoice_date=date(2026, 2, day),
            )
        make_order(
            session,
            account,
            [(velo, 2, "55.00")],
            invoice_number="BRW-V-01",
            invoice_date=date(2026, 1, 5),
        )
        user = make_retailer(session, account, email="browser-retailer@example.test")
        session.commit()
        return user.email


def test_search_updates_the_table_in_place(page, retailer):
    log_in(page, retailer, PASSWORD)
    assert page.url.endswith("/account/")
    assert page.locator("#order-history-results tbody tr").count() == 25
    # A marker on window survives only if no full page load happens.
    page.evaluate("window.__stillTheSamePage = true")

    with page.expect_response(lambda r: "q=velo" in r.url and r.request.headers.get("hx-request")):
        page.fill("input[name=q]", "velo")
    expect(page.locator("#order-history-results tbody tr")).to_have_count(1)
    assert page.locator("#order-history-results").inner_text().count("BRW-V-01") == 1
    assert "BRW-A-" not in page.locator("#order-history-results").inner_text()
    assert page.evaluate("window.__stillTheSamePage") is True
    assert "q=velo" in page.url  # the URL follows, so the search can be shared or reloaded


def test_pagination_swaps_results_in_place(page, retailer):
    log_in(page, retailer, PASSWORD)
    page.evaluate("window.__stillTheSamePage = true")
    page.click("#order-history-results a[rel=next]")
    expect(page.locator("#order-history-results")).to_contain_text("Page 2 of 2")
    assert page.evaluate("window.__stillTheSamePage") is True
    assert "page=2" in page.url
