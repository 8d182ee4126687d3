"""A questionnaire line in a real browser: the retailer answers the return type's condition
questions on a draft line, the claimed condition and the line's estimated credit follow each
answer without a page load, the page passes the checks at every width, and it submits."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from models.base import utcnow
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
    make_user,
)
from tests.workflow_designer.policy.test_questionnaire import QUESTIONS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def retailer(live_server):
    with live_server.session() as session:
        from models import Role

        rep = make_user(session, Role.SALES_REP, email="browser-quiz-rep@example.test")
        account = make_account(session, sales_rep=rep, name="Optik Quiz")
        frames = make_product(session, sku="QUIZ-A-1", brand="Aurora", model="Quiz")
        make_order(
            session,
            account,
            [(frames, 4, "50.00")],
            invoice_number="QUIZ-INV-1",
            invoice_date=utcnow().date() - timedelta(days=120),
        )
        version = make_published_workflow(session, "stock_rotation")
        make_return_type(
            session,
            version.workflow_id,
            code="QUIZ-ROT",
            name="Quiz rotation",
            reasons=["Slow seller"],
            resolutions=["credit"],
            policy={
                "restocking_fee": {"enabled": True, "percent": "10"},
                "grade_deductions": {
                    "enabled": True,
                    "percent": {"used": "20", "lightly_damaged": "40"},
                    "disposition": {},
                },
                "condition_questionnaire": {"enabled": True, "questions": QUESTIONS},
            },
        )
        user = make_retailer(session, account, email="browser-quiz@example.test")
        session.commit()
        return user.email


def test_a_questionnaire_line_with_its_live_estimate(page, retailer):
    log_in(page, retailer, PASSWORD)
    page.click("nav >> text=New return")
    page.click("button:has-text('Start: Quiz rotation')")
    page.wait_for_url(re.compile(r"/requests/RMA-\d{4}-\d{6}$"))
    page.evaluate("window.__stillTheSamePage = true")
    page.select_option("#pick-form select[name=reason]", "Slow seller")
    with page.expect_response(lambda r: "/history" in r.url and "q=QUIZ-INV-1" in r.url):
        page.fill("#history-search input[name=q]", "QUIZ-INV-1")
    page.wait_for_selector("#history-results td:text-is('QUIZ-INV-1')")
    page.fill("#history-results input.qty >> nth=0", "2")
    with page.expect_response(lambda r: r.url.endswith("/lines") and r.status == 200):
        page.press("#history-results input.qty >> nth=0", "Enter")
    row = "#lines tr[data-sku='QUIZ-A-1']"
    page.wait_for_selector(row)
    estimate = page.locator(f"{row} [data-line-estimate]")
    claimed = page.locator(f"{row} [data-claimed-condition]")
    expect(claimed).to_have_text("Answer every question")
    assert page.is_disabled("#submit-form button[type=submit]")

    # 2 × €50.00, less the 10 % fee, 20 % for used and 5 % for the missing case.
    page.select_option(f"{row} select[data-question=frame]", "scratched")
    page.select_option(f"{row} select[data-question=case]", "missing")
    expect(claimed).to_have_text("Condition claimed: Used")
    expect(estimate).to_have_text("Estimated credit: €65.00")
    # Better answers: new, nothing deducted but the fee.
    page.select_option(f"{row} select[data-question=frame]", "perfect")
    page.select_option(f"{row} select[data-question=case]", "both")
    expect(estimate).to_have_text("Estimated credit: €90.00")
    expect(claimed).to_have_text("Condition claimed: New")
    assert page.evaluate("window.__stillTheSamePage") is True

    check_page(page)
    page.click("#submit-form button[type=submit]")
    page.wait_for_url(re.compile(r"/rmas/RMA-\d{4}-\d{6}$"))
    assert "€90.00" in page.locator("#rma-credit").inner_text()
