"""A retailer opens the rotation assistant in a real browser, keeps its suggestions, builds
the draft in one click, and the draft's policy panel passes it for submitting; a rep finds
the same assistant from the account's page. The page passes the page checks (axe, 375 /
768 / 1366 px, no console error)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from models import Grade, Role
from models.base import utcnow
from portal.analytics.refresh import refresh_rollups
from tests.browser.checks import check_page
from tests.browser.helpers import log_in
from tests.factories import (
    PASSWORD,
    make_account,
    make_order,
    make_product,
    make_published_workflow,
    make_retailer,
    make_return_type,
    make_stock,
    make_user,
    make_warehouse,
)
from tests.support import rule

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def accounts(live_server):
    """Optik Regal bought a slow frame 200 days ago and a good seller; another account of
    its region buys BEST-ASSIST, which is in stock and in its price band."""
    with live_server.session() as session:
        rep = make_user(session, Role.SALES_REP, email="browser-assistant-rep@example.test")
        account = make_account(session, sales_rep=rep, region="ASSIST", name="Optik Regal")
        other = make_account(session, sales_rep=rep, region="ASSIST", name="Optik Nachbar")
        slow = make_product(session, sku="SLOW-ASSIST", list_price="80.00")
        best = make_product(session, sku="BEST-ASSIST", list_price="90.00")
        bought = utcnow().date() - timedelta(days=200)
        make_order(session, account, [(slow, 4, "50.00")], invoice_date=bought)
        make_order(session, other, [(best, 30, "60.00")], invoice_date=bought)
        make_stock(session, best, make_warehouse(session), Grade.NEW, 40)
        version = make_published_workflow(session, "stock_rotation")
        make_return_type(
            session,
            version.workflow_id,
            code="ASSIST-ROT",
            name="Assistant rotation",  # first by name: the one the assistant drafts
            reasons=["Slow seller"],
            resolutions=["credit", "replacement_order"],
            policy={
                "allowance": rule(percent="100", period_days=365),
                "purchase_age": rule(min_days=90, max_days=730),
                "replacement_order": rule(min_ratio_percent="100", min_amount=None),
            },
        )
        user = make_retailer(session, account, email="browser-assistant@example.test")
        refresh_rollups(session, utcnow(), full=True)
        session.commit()
        return user.email, rep.email, account.id


def test_a_rep_finds_it_on_the_account_page(page, accounts):
    """First: the retailer's test below rotates the frame out."""
    _retailer, rep, account_id = accounts
    log_in(page, rep, PASSWORD)
    page.goto(f"/rep/accounts/{account_id}")
    page.click("text=Rotation assistant for this account")
    page.wait_for_selector("tr[data-candidate='SLOW-ASSIST']")
    assert page.is_visible("button:has-text('Build and send to the retailer')")
    check_page(page, widths=(375,))


def test_assistant_to_draft_to_submit(page, accounts):
    retailer, _rep, _account_id = accounts
    log_in(page, retailer, PASSWORD)
    page.click("nav >> text=Rotation assistant")
    page.wait_for_selector("tr[data-candidate='SLOW-ASSIST']")
    check_page(page)
    assert page.is_checked("tr[data-candidate='SLOW-ASSIST'] input[name=lines]")
    assert page.is_checked("tr[data-suggestion='BEST-ASSIST'] input[name=products]")
    why = page.locator("tr[data-candidate='SLOW-ASSIST']").inner_text()
    assert "Bought 200 days ago (4 for €200.00)" in why

    page.click("button:has-text('Build the rotation draft')")
    page.wait_for_url(re.compile(r"/requests/RMA-\d{4}-\d{6}$"))
    panel = page.locator("#policy-panel")
    for rule_name in ("allowance", "purchase_age", "replacement_order"):
        assert panel.locator(f"[data-rule='{rule_name}']").get_attribute("data-passed") == "true"
    page.wait_for_selector("#lines tr[data-sku='SLOW-ASSIST']")
    assert page.is_enabled("#submit-form button[type=submit]")

    page.click("#submit-form button[type=submit]")
    page.wait_for_url(re.compile(r"/rmas/RMA-\d{4}-\d{6}$"))
    assert "has been submitted" in page.locator(".flash").inner_text()
