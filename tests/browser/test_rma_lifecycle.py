"""One return across three desks: the rep approves the exception from the queue, the
warehouse scans, receives one line short and grades, and the retailer finds the credit
in the ledger."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import log_in
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def exception_request(live_server):
    """A rotation RMA whose exception request waits on the account's rep."""
    from models import Role
    from tests.factories import (
        make_account,
        make_order,
        make_product,
        make_published_workflow,
        make_retailer,
        make_return_address,
        make_return_type,
        make_rma_with_lines,
        make_user,
        make_warehouse,
    )
    from tests.shop import POLICY
    from workflow_designer.runtime.firing import fire

    with live_server.session() as session:
        rep = make_user(session, Role.SALES_REP, email="life-rep@example.com")
        account = make_account(session, sales_rep=rep, region="LIFE", name="Optik Lifecycle")
        make_return_address(session, make_warehouse(session, code="LIFE"), "LIFE")
        frame = make_product(session, sku="LIFE-AUR", brand="Aurelo", model="Paola")
        other = make_product(session, sku="LIFE-VEL", brand="Velo", model="Sprint")
        order = make_order(session, account, [(frame, 10, "40.00"), (other, 5, "30.00")])
        version = make_published_workflow(session, "stock_rotation")
        return_type = make_return_type(session, version.workflow_id, policy=POLICY)
        retailer = make_retailer(session, account, email="life-retailer@example.com")
        rma = make_rma_with_lines(
            session,
            account,
            version,
            [(order.lines[0], 2), (order.lines[1], 2)],
            authorized=False,
            return_type=return_type,
            exception_requested=True,
            exception_justification="Closing our second shop.",
        )
        fire(session, rma, "submit", retailer)
        assert rma.state == "rep_review"
        make_user(session, Role.WAREHOUSE, email="life-dock@example.com")
        admin = make_user(session, Role.ADMIN, email="life-admin@example.com")
        session.commit()
        return {"number": rma.number, "admin_id": admin.id, "retailer_id": retailer.id}


def test_approve_receive_grade_and_see_the_credit(chromium, live_server, exception_request):
    number = exception_request["number"]
    _rep_approves(chromium, live_server, number)
    _retailer_ships(live_server, number)
    _warehouse_receives_and_grades(chromium, live_server, number)
    amount = _admin_resolves(live_server, number, exception_request["admin_id"])
    _retailer_sees_the_credit(chromium, live_server, number, amount)


def _page(chromium, live_server, email):
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    log_in(page, email, PASSWORD)
    return context, page


def _rep_approves(chromium, live_server, number):
    context, page = _page(chromium, live_server, "life-rep@example.com")
    page.goto("/approvals/")
    row = page.locator(f"#approval-{number}")
    expect(row).to_contain_text("Closing our second shop.")
    page.evaluate("window.__stillTheSamePage = true")
    row.locator("textarea[name=comment]").fill("Good partner; approved.")
    row.locator("button[value=approve]").click()
    expect(page.locator(f"#approval-{number}")).to_have_count(0)
    expect(page.locator("#approval-queue .flash-success")).to_contain_text(f"{number}: approve")
    assert page.evaluate("window.__stillTheSamePage") is True  # swapped by htmx
    context.close()


def _retailer_ships(live_server, number):
    from sqlalchemy import select

    from models import Rma, User
    from workflow_designer.runtime.firing import fire

    with live_server.session() as session:
        rma = session.scalar(select(Rma).where(Rma.number == number))
        assert rma.state == "authorized"
        retailer = session.scalar(select(User).where(User.email == "life-retailer@example.com"))
        fire(session, rma, "ship", retailer)
        session.commit()


def _warehouse_receives_and_grades(chromium, live_server, number):
    context, page = _page(chromium, live_server, "life-dock@example.com")
    page.goto("/warehouse/receive")
    page.fill("#scan", number)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/warehouse/rmas/{number}")
    page.locator("tr[data-line]").nth(1).locator("input[type=number]").fill("1")
    page.click("button:has-text('Receive parcel')")
    expect(page.locator(".flash-success")).to_contain_text("1 line short")
    page.click("button:has-text('Start inspection')")
    forms = page.locator("[data-grade-form]")
    expect(forms).to_have_count(2)
    for index, count in ((0, "2"), (1, "1")):
        form = forms.nth(index)
        form.locator("input[data-grade=new]").fill(count)
        form.locator("button:has-text('Save grading')").click()
        expect(form.locator(".flash-success")).to_have_count(1)
    finish = page.locator("#inspection-actions button[type=submit]")
    expect(finish).to_be_enabled()
    finish.click()
    expect(page.locator("h1")).to_contain_text("Inspected")
    context.close()


def _admin_resolves(live_server, number, admin_id):
    from sqlalchemy import select

    from models import Rma, User
    from portal.credits.operations import resolve_rma

    with live_server.session() as session:
        rma = session.scalar(select(Rma).where(Rma.number == number))
        resolve_rma(session, rma, session.get(User, admin_id), "credit")
        session.commit()
        # 3 new frames received of 4: (2 × 40.00 + 1 × 30.00) less the 10 % restocking fee
        return "€99.00"


def _retailer_sees_the_credit(chromium, live_server, number, amount):
    context, page = _page(chromium, live_server, "life-retailer@example.com")
    page.goto("/credits/")
    ledger = page.locator("main")
    expect(ledger).to_contain_text(number)
    expect(ledger).to_contain_text(amount)
    context.close()
