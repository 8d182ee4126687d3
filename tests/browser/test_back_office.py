"""In a real browser: the admin's RMA list filters and pages in place (htmx), an inspected
RMA is resolved through the form (CSRF on), the export downloads, the retailer's ledger
pages in place."""

from __future__ import annotations

import csv
from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.checks import check_page
from tests.browser.helpers import log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

# Waits go through locators: wait_for_function polls by evaluating a string, which the
# Content-Security-Policy (no 'unsafe-eval') refuses once the first check is false.


@pytest.fixture(scope="module")
def office(live_server):
    """30 authorized RMAs and one inspected, with a replacement line, on one account."""
    from models import Grade, LedgerEntry, ReplacementLine, Role
    from models.base import utcnow
    from portal.warehouse.operations import grade_line, receive
    from tests.factories import (
        make_account,
        make_order,
        make_product,
        make_published_workflow,
        make_retailer,
        make_return_address,
        make_return_type,
        make_rma,
        make_rma_with_lines,
        make_user,
        make_warehouse,
    )
    from tests.shop import POLICY
    from workflow_designer.runtime.firing import fire

    with live_server.session() as session:
        rep = make_user(session, Role.SALES_REP)
        account = make_account(session, sales_rep=rep, region="ABO", name="Optik Backoffice")
        make_return_address(session, make_warehouse(session, code="ABO"), "ABO")
        frame = make_product(session, sku="ABO-AUR", brand="Aurelo", model="Paola")
        order = make_order(session, account, [(frame, 10, "40.00")])
        version = make_published_workflow(session, "stock_rotation")
        return_type = make_return_type(session, version.workflow_id, policy=POLICY)
        now = utcnow()
        for day in range(30):
            make_rma(
                session,
                account,
                version,
                return_type=return_type,
                state="authorized",
                submitted_at=now - timedelta(days=day + 1),
            )
        rma = make_rma_with_lines(
            session,
            account,
            version,
            [(order.lines[0], 4)],
            return_type=return_type,
            state="awaiting_receipt",
            submitted_at=now,
        )
        session.add(
            ReplacementLine(
                rma_id=rma.id, product_id=frame.id, quantity=2, unit_price=Decimal("40.00")
            )
        )
        staff = make_user(session, Role.WAREHOUSE)
        receive(session, rma, staff, {rma.lines[0].id: 4})
        fire(session, rma, "start_inspection", staff)
        grade_line(session, rma, rma.lines[0], staff, {Grade.NEW: 4})
        fire(session, rma, "finish_inspection", staff)
        for day in range(27):
            session.add(
                LedgerEntry(
                    account_id=account.id,
                    currency="EUR",
                    amount=Decimal("1.00"),
                    description=f"Browser entry {day:02d}",
                    created_at=now - timedelta(days=day + 1),
                )
            )
        admin = make_user(session, Role.ADMIN, email="adminbo-browser@example.test")
        retailer = make_retailer(session, account, email="adminbo-retailer@example.test")
        session.commit()
        return {"admin": admin.email, "retailer": retailer.email, "inspected": rma.number}


def rows(page, container: str) -> int:
    return page.locator(f"{container} tbody tr").count()


def test_filters_and_pages_swap_the_results_in_place(page, office):
    log_in(page, office["admin"], PASSWORD)
    page.goto("/admin/rmas?account=backoffice")
    assert rows(page, "#rma-results") == 25
    page.evaluate("window.__stillTheSamePage = true")

    page.click("#rma-results a[rel=next]")
    expect(page.locator("#rma-results .pagination")).to_contain_text("Page 2 of 2")
    assert rows(page, "#rma-results") == 6 and "page=2" in page.url

    with page.expect_response(lambda r: "state=inspected" in r.url):
        page.select_option("select[name=state]", "inspected")
    expect(page.locator("#rma-results tbody tr")).to_have_count(1)
    assert office["inspected"] in page.locator("#rma-results").inner_text()
    assert "state=inspected" in page.url
    assert page.evaluate("window.__stillTheSamePage") is True


def test_resolving_an_inspected_rma(page, office):
    log_in(page, office["admin"], PASSWORD)
    page.goto("/admin/rmas?account=backoffice&state=inspected")
    page.click(f"a[href='/admin/rmas/{office['inspected']}/resolve']")
    # 4 new at 40.00 less the 10 % restocking fee.
    assert page.locator("#resolution-credit .preview-total").inner_text() == "€144.00"
    assert "ABO-AUR" in page.locator("table.replacement").inner_text()
    page.check("input[name=resolution][value=credit]")
    page.click("button.primary")
    page.wait_for_url(f"**/rmas/{office['inspected']}")
    assert "Credit memo CM-" in page.locator("main").inner_text()

    page.goto("/admin/replacement-orders")
    with page.expect_download() as download:
        page.click("text=Export orders to fulfil (CSV)")
    with open(download.value.path(), encoding="utf-8") as file:
        exported = list(csv.DictReader(file))
    assert [(r["rma_number"], r["sku"], r["quantity"]) for r in exported] == [
        (office["inspected"], "ABO-AUR", "2")
    ]


def test_the_ledger_pages_in_place(page, office):
    log_in(page, office["retailer"], PASSWORD)
    page.click("nav >> text=Credits")
    page.wait_for_url("**/credits/")
    assert rows(page, "#ledger-results") == 25
    assert "Browser entry 26" not in page.locator("#ledger-results").inner_text()
    page.evaluate("window.__stillTheSamePage = true")
    page.click("#ledger-results a[rel=next]")
    expect(page.locator("#ledger-results .pagination")).to_contain_text("Page 2 of 2")
    second = page.locator("#ledger-results").inner_text()
    assert "Browser entry 26" in second and "Browser entry 00" not in second  # newest first
    assert page.evaluate("window.__stillTheSamePage") is True
    check_page(page)  # the ledger: kinds, running balance, filters
