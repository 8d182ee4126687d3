"""A retailer builds a rotation request from two invoices in a real browser: the panel's
figures follow each added line without a page load, an exception is requested, the
request is submitted and the RMA page shows its timeline."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from models.base import utcnow
from tests.browser.helpers import log_in
from tests.factories import (
    PASSWORD,
    make_account,
    make_order,
    make_product,
    make_published_workflow,
    make_retailer,
    make_return_type,
    make_user,
)
from tests.support import rule

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def retailer(live_server):
    with live_server.session() as session:
        from models import Role

        rep = make_user(session, Role.SALES_REP, email="browser-rep@example.test")
        account = make_account(session, sales_rep=rep, name="Optik Flow")
        invoiced = utcnow().date() - timedelta(days=120)
        frames = make_product(session, sku="FLOW-A-1", brand="Aurora", model="Flow")
        sun = make_product(session, sku="FLOW-S-2", brand="Solis", model="Ray")
        make_order(
            session,
            account,
            [(frames, 8, "40.00")],
            invoice_number="FLOW-INV-1",
            invoice_date=invoiced,
        )
        make_order(
            session,
            account,
            [(sun, 6, "50.00")],
            invoice_number="FLOW-INV-2",
            invoice_date=invoiced + timedelta(days=1),
        )
        version = make_published_workflow(session, "stock_rotation")
        make_return_type(
            session,
            version.workflow_id,
            code="FLOW-ROT",
            name="Flow rotation",
            reasons=["Slow seller", "Overstock"],
            resolutions=["credit"],
            policy={
                "request_size": rule(min_units=10, max_units=None),
                # Net purchases 620.00: 10% = 62.00, which any real rotation exceeds.
                "allowance": rule("exception", percent="10", period_days=365),
            },
        )
        user = make_retailer(session, account, email="browser-flow@example.test")
        session.commit()
        return user.email


PANEL = "#policy-panel"


def figure(page, rule_name: str, key: str) -> str:
    return page.locator(f'{PANEL} [data-rule="{rule_name}"] [data-figure="{key}"]').inner_text()


def units(page):
    return page.locator(f'{PANEL} [data-rule="request_size"] [data-figure="units"]')


def passed(page, selector: str) -> bool:
    return page.locator(f"{PANEL} {selector}").get_attribute("data-passed") == "true"


def search(page, text: str) -> None:
    with page.expect_response(lambda r: "/history" in r.url and f"q={text}" in r.url):
        page.fill("#history-search input[name=q]", text)
    page.wait_for_selector(f"#history-results td:text-is('{text}')")


def test_a_rotation_from_two_invoices_with_an_exception(page, retailer):
    log_in(page, retailer, PASSWORD)
    page.click("nav >> text=New return")
    page.click("button:has-text('Start: Flow rotation')")
    page.wait_for_url(re.compile(r"/requests/RMA-\d{4}-\d{6}$"))
    page.evaluate("window.__stillTheSamePage = true")
    assert not passed(page, "[data-check='Lines']")

    page.select_option("#pick-form select[name=reason]", "Slow seller")
    page.select_option("#pick-form select[name=condition]", "new")

    # Invoice 1: type a quantity (which ticks the line) and press Enter.
    search(page, "FLOW-INV-1")
    page.fill("#history-results input.qty >> nth=0", "6")
    assert page.is_checked("#history-results input[name=pick] >> nth=0")
    with page.expect_response(lambda r: r.url.endswith("/lines") and r.status == 200):
        page.press("#history-results input.qty >> nth=0", "Enter")
    page.wait_for_selector("#lines tr[data-sku='FLOW-A-1']")
    assert figure(page, "request_size", "units") == "6"
    assert figure(page, "allowance", "this_request") == "€240.00"
    assert not passed(page, "[data-rule='request_size']")

    # Invoice 2: tick the line without a quantity: everything still returnable goes.
    search(page, "FLOW-INV-2")
    page.check("#history-results input[name=pick] >> nth=0")
    with page.expect_response(lambda r: r.url.endswith("/lines") and r.status == 200):
        page.click("#pick-form button:has-text('Add selected lines')")
    page.wait_for_selector("#lines tr[data-sku='FLOW-S-2']")
    expect(units(page)).to_have_text("12")
    assert figure(page, "allowance", "this_request") == "€540.00"
    assert figure(page, "allowance", "allowance") == "€62.00"
    assert passed(page, "[data-rule='request_size']")
    assert not passed(page, "[data-rule='allowance']")
    assert page.is_disabled("#submit-form button[type=submit]")

    # A quantity above what can be returned is stopped in the browser (the server would
    # refuse it too): nothing is sent.
    quantity = "#lines tr[data-sku='FLOW-A-1'] input.qty"
    page.fill(quantity, "9")
    page.press(quantity, "Tab")
    assert page.eval_on_selector(quantity, "input => input.validity.rangeOverflow") is True
    assert figure(page, "request_size", "units") == "12"

    # A quantity changed in the lines table recomputes the panel too.
    page.fill("#lines tr[data-sku='FLOW-A-1'] input.qty", "7")
    page.press("#lines tr[data-sku='FLOW-A-1'] input.qty", "Tab")
    expect(units(page)).to_have_text("13")
    assert figure(page, "allowance", "this_request") == "€580.00"

    # The exception needs a justification: the browser asks for one before sending
    # (a blank one is refused by the server too, see tests/portal/requests/test_submit.py).
    page.click("#exception-form button[type=submit]")
    assert page.eval_on_selector("#exception-form textarea", "t => t.validity.valueMissing")
    page.fill("#exception-form textarea", "Our second shop closed; these frames never sold.")
    page.click("#exception-form button[type=submit]")
    page.wait_for_selector("#policy-panel [data-exception=requested]")
    assert page.is_enabled("#submit-form button[type=submit]")
    assert page.evaluate("window.__stillTheSamePage") is True

    page.click("#submit-form button[type=submit]")
    page.wait_for_url(re.compile(r"/rmas/RMA-\d{4}-\d{6}$"))
    timeline = page.locator("#rma-timeline").inner_text()
    assert "Sales rep review" in timeline
    assert "has been submitted" in page.locator(".flash").inner_text()
