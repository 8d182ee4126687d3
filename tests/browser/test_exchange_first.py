"""Exchange first, in the browser: a line returned for a wrong size offers an exchange
before a credit, with its bonus; the retailer picks the other colour of the same model from
stock, the exchange stays chosen, and the request is submitted as an exchange."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from models.base import utcnow
from tests.browser.checks import check_page
from tests.browser.helpers import log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser

NAME = "Wrong size, exchange first"


@pytest.fixture(scope="module")
def exchange(live_server):
    """An account that received 2 frames in the wrong size; the same model in another
    colour and size is in stock."""
    from models import Grade
    from tests.factories import (
        make_account,
        make_order,
        make_product,
        make_published_workflow,
        make_retailer,
        make_return_address,
        make_return_type,
        make_stock,
        make_warehouse,
    )

    with live_server.session() as session:
        account = make_account(session, region="EXF", name="Optik Tausch")
        warehouse = make_warehouse(session, code="EXF")
        make_return_address(session, warehouse, "EXF")
        wrong = make_product(session, sku="EXF-52-BLK", brand="Exfra", model="Alba")
        right = make_product(
            session, sku="EXF-54-TOR", brand="Exfra", model="Alba", colour="Tortoise"
        )
        make_stock(session, right, warehouse, Grade.NEW, 5)
        make_order(
            session,
            account,
            [(wrong, 2, "60.00")],
            invoice_number="EXF-INV-1",
            invoice_date=utcnow().date() - timedelta(days=5),
        )
        version = make_published_workflow(session, "wrong_item")
        make_return_type(
            session,
            version.workflow_id,
            code="EXF",
            name=NAME,
            reasons=["Wrong size", "Wrong model"],
            resolutions=["credit", "exchange"],
            exchange_reasons=["Wrong size"],
            policy={"exchange_bonus": {"enabled": True, "percent": "10", "amount": "3"}},
        )
        make_retailer(session, account, email="exf-retailer@example.com")
        session.commit()
    return {"retailer": "exf-retailer@example.com"}


def test_choosing_an_exchange_on_the_draft(chromium, live_server, exchange):
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, exchange["retailer"], PASSWORD)
    page.click("nav >> text=New return")
    page.click(f"button:has-text('Start: {NAME}')")
    page.wait_for_url(re.compile(r"/requests/RMA-\d{4}-\d{6}$"))

    # A wrong model offers no exchange first.
    page.select_option("#pick-form select[name=reason]", "Wrong model")
    page.select_option("#pick-form select[name=condition]", "new")
    with page.expect_response(lambda r: "/history" in r.url and "q=EXF-INV-1" in r.url):
        page.fill("#history-search input[name=q]", "EXF-INV-1")
    page.wait_for_selector("#history-results td:text-is('EXF-INV-1')")
    page.fill("#history-results input.qty >> nth=0", "2")
    with page.expect_response(lambda r: r.url.endswith("/lines") and r.status == 200):
        page.press("#history-results input.qty >> nth=0", "Enter")
    page.wait_for_selector("#lines tr[data-sku='EXF-52-BLK']")
    expect(page.locator("#exchange-offer")).to_have_count(0)

    # The wrong size does: the offer comes with the panel, without a page load.
    line = page.locator("#lines tr[data-sku='EXF-52-BLK']")
    with page.expect_response(lambda r: "/lines/" in r.url and r.status == 200):
        line.locator("select[name$='-reason']").select_option("Wrong size")
    offer = page.locator("#exchange-offer")
    expect(offer).to_contain_text("Exchange first")
    # 2 × €60.00 = €120.00: 10 % (€12.00) + €3.00.
    expect(offer.locator("[data-figure=exchange-bonus]")).to_have_text("€15.00")

    page.reload()
    resolution = page.locator("#submit-form select[name=resolution]")
    expect(resolution).to_have_value("exchange")
    expect(resolution.locator("option")).to_have_text(["Exchange", "Credit memo"])
    # The same model in another colour and size, from stock.
    variant = page.locator("#replacements tr[data-offer='EXF-54-TOR']")
    variant.locator("input.qty").fill("2")
    variant.locator("button").click()
    page.wait_for_selector("#replacements tr[data-replacement='EXF-54-TOR']")
    check_page(page)

    page.reload()
    expect(page.locator("#submit-form select[name=resolution]")).to_have_value("exchange")
    page.click("#submit-form button[type=submit]")
    page.wait_for_url(re.compile(r"/rmas/RMA-\d{4}-\d{6}$"))
    expect(page.locator("#rma-resolution dd").first).to_have_text("Exchange")
    number = page.url.rsplit("/", 1)[1]
    assert errors == []
    context.close()

    from models import Rma

    with live_server.session() as session:
        rma = session.scalar(select(Rma).where(Rma.number == number))
        assert rma.requested_resolution == "exchange"
        assert [(r.product.sku, r.quantity) for r in rma.replacement_lines] == [("EXF-54-TOR", 2)]
