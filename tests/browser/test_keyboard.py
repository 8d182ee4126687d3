"""Keyboard only: a retailer builds a rotation request, asks for an exception and submits
it, and the sales rep approves it, with Tab, typing and Enter — no mouse. Focus lands
where the work goes on after every swap (the new line, the refusal), the live region reads
the policy panel's result out, and the draft page is one working surface: the panel beside
the lines on a wide screen, a bar leading to it on a phone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from models.base import utcnow
from tests.browser.checks import check_page
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

RETAILER = "keys-retailer@example.test"
REP = "keys-rep@example.test"
SURFACE = "keys-surface@example.test"
WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 800}


@pytest.fixture(scope="module")
def shop(live_server):
    """Two accounts of one rep (one per test, so neither's allowance counts the other's
    request), each with 30 older frames and 8 recent ones under a rotation return type."""
    from models import Role

    with live_server.session() as session:
        rep = make_user(session, Role.SALES_REP, name="Kim Keys", email=REP)
        version = make_published_workflow(session, "stock_rotation")
        make_return_type(
            session,
            version.workflow_id,
            code="KEYS-ROT",
            name="Keyboard rotation",
            reasons=["Slow seller", "Overstock"],
            resolutions=["credit"],
            policy={
                "request_size": rule(min_units=5, max_units=None),
                # Net purchases 1,520.00: 10 % = 152.00, which six frames (240.00) exceed.
                "allowance": rule("exception", percent="10", period_days=365),
            },
        )
        recent = make_product(session, sku="KEYS-A-1", brand="Aurora", model="Tasten")
        # Older purchases make the page long enough for the panel to have to stay in view.
        older = [make_product(session, sku=f"KEYS-B-{n}") for n in range(30)]
        today = utcnow().date()
        for email, name in ((RETAILER, "Optik Tastatur"), (SURFACE, "Optik Fläche")):
            account = make_account(session, sales_rep=rep, name=name)
            make_order(
                session,
                account,
                [(product, 1, "40.00") for product in older],
                invoice_date=today - timedelta(days=200),
            )
            make_order(
                session, account, [(recent, 8, "40.00")], invoice_date=today - timedelta(days=120)
            )
            make_retailer(session, account, email=email)
        session.commit()


def tab_to(page, selector: str, limit: int = 400) -> None:
    """Press Tab until the element ``selector`` finds first has the focus."""
    target = page.locator(selector).first
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {selector}")


def keyboard_log_in(page, email: str) -> None:
    page.goto("/login")
    tab_to(page, "input[name=email]")
    page.keyboard.type(email)
    tab_to(page, "input[name=password]")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: not url.endswith("/login"))
    page.wait_for_load_state()


def announced(page) -> str:
    return page.locator("#policy-status").inner_text()


def test_a_retailer_submits_and_the_rep_approves_by_keyboard_alone(chromium, live_server, shop):
    context = chromium.new_context(base_url=live_server.url, viewport=WIDE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        keyboard_log_in(page, RETAILER)
        tab_to(page, "nav a:text-is('New return')")
        page.keyboard.press("Enter")
        tab_to(page, "button:has-text('Start: Keyboard rotation')")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/requests/RMA-\d{4}-\d{6}$"))
        number = page.url.rsplit("/", 1)[1]

        # Submit is visibly disabled and says why.
        submit = page.locator("#submit-form button[type=submit]")
        expect(submit).to_be_disabled()
        expect(page.locator("#submit-blocked")).to_contain_text("Submit is not possible yet")
        assert submit.get_attribute("aria-describedby") == "submit-blocked"

        # Reason and condition by type-ahead, a quantity typed, Enter adds the line.
        tab_to(page, "#pick-form select[name=reason]")
        page.keyboard.type("Slow")
        expect(page.locator("#pick-form select[name=reason]")).to_have_value("Slow seller")
        tab_to(page, "#pick-form select[name=condition]")
        page.keyboard.type("New")
        expect(page.locator("#pick-form select[name=condition]")).to_have_value("new")
        tab_to(page, "#history-results input.qty")
        page.keyboard.type("6")
        with page.expect_response(lambda r: r.url.endswith("/lines") and r.status == 200):
            page.keyboard.press("Enter")
        new_line = page.locator("#lines tr[data-sku='KEYS-A-1'] input.qty")
        expect(new_line).to_be_focused()  # not the page body
        expect(page.locator("#policy-status")).to_contain_text("rule")
        assert "allowance" in announced(page) and "% used" in announced(page)

        # The allowance fails with an exception possible: ask for it, by keyboard.
        # A blank justification is refused: focus goes to the field that says why.
        tab_to(page, "#exception-form textarea")
        page.keyboard.type("   ")
        page.keyboard.press("Tab")
        with page.expect_response(lambda r: r.url.endswith("/exception") and r.status == 422):
            page.keyboard.press("Enter")
        expect(page.locator("#exception-form .error")).to_contain_text("Explain why")
        expect(page.locator("#exception-form textarea")).to_be_focused()
        page.keyboard.press("Control+A")
        page.keyboard.type("Our second shop closed; these frames never sold.")
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_selector("#policy-panel [data-exception=requested]")
        expect(submit).to_be_enabled()
        tab_to(page, "#submit-form button[type=submit]")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(rf"/rmas/{number}$"))
        expect(page.locator("#rma-timeline")).to_contain_text("Sales rep review")
    finally:
        context.close()

    context = chromium.new_context(base_url=live_server.url, viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        keyboard_log_in(page, REP)
        tab_to(page, ".menu-toggle")  # on a phone the navigation is behind the menu
        page.keyboard.press("Enter")
        tab_to(page, "nav a:text-is('Approvals')")
        page.keyboard.press("Enter")
        page.wait_for_url(re.compile(r"/approvals/"))
        row = f"#approval-{number}"
        expect(page.locator(row)).to_be_visible()
        check_page(page)  # the queue with a request in it (the demo's queue is empty)
        page.set_viewport_size(PHONE)
        tab_to(page, f"{row} textarea[name=comment]")
        page.keyboard.type("Closing shop: approved once.")
        tab_to(page, f"{row} button[value=approve]")
        with page.expect_response(lambda r: f"/approvals/{number}" in r.url):
            page.keyboard.press("Enter")
        expect(page.locator(row)).to_have_count(0)
        page.goto(f"/rmas/{number}")
        expect(page.locator("#rma-timeline")).to_contain_text("Closing shop: approved once.")
    finally:
        context.close()


def test_the_draft_is_one_working_surface(chromium, live_server, shop):
    context = chromium.new_context(base_url=live_server.url, viewport=WIDE)
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        keyboard_log_in(page, SURFACE)
        page.goto("/requests/new")
        page.click("button:has-text('Start: Keyboard rotation')")
        page.wait_for_url(re.compile(r"/requests/RMA-\d{4}-\d{6}$"))
        page.select_option("#pick-form select[name=reason]", "Slow seller")
        page.select_option("#pick-form select[name=condition]", "new")
        page.fill("#history-results input.qty >> nth=0", "2")
        with page.expect_response(lambda r: r.url.endswith("/lines") and r.status == 200):
            page.click("#pick-form button:has-text('Add selected lines')")
        check_page(page, widths=(375, 768, 1366, 1920))
        page.set_viewport_size(WIDE)

        # Wide: the panel stands beside the lines and stays in view while they scroll.
        panel = page.locator("#policy-panel")
        lines = page.locator("#lines")
        assert panel.bounding_box()["x"] > lines.bounding_box()["x"] + lines.bounding_box()["width"]
        expect(page.locator(".policy-bar")).to_be_hidden()
        page.evaluate("() => window.scrollTo(0, 0)")
        top = panel.bounding_box()["y"]
        page.mouse.wheel(0, 400)
        page.wait_for_timeout(200)
        box = panel.bounding_box()
        assert top > 100 and 0 <= box["y"] <= 40, f"the panel did not stay in view: {top} → {box}"

        # Narrow: the panel follows the lines; a bar at the bottom sums it up and leads to it.
        page.set_viewport_size({"width": 375, "height": 800})
        bar = page.locator(".policy-bar")
        expect(bar).to_be_visible()
        expect(bar).to_have_text("1 rule fails · allowance 53% used")
        assert bar.bounding_box()["y"] + bar.bounding_box()["height"] == pytest.approx(800, abs=1)
        bar.click()
        expect(page.locator("#policy-panel-title")).to_be_in_viewport()
    finally:
        context.close()
