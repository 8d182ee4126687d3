"""Stock rotation's default resolution, end to end: the retailer submits a rotation with
replacement lines (so asks for a credit against the replacement order), the warehouse
receives and grades, the admin resolves with what the retailer asked for, and the RMA ends
credited with a credit memo and a replacement order."""

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

# Other browser tests on the same server have their own stock rotations.
NAME = "Stock rotation as shipped"
REPLACEMENT_RULE = {
    "enabled": True,
    "mode": "blocking",
    "min_ratio_percent": "100",
    "min_amount": None,
}


@pytest.fixture(scope="module")
def rotation(live_server):
    """An account that bought 10 frames 120 days ago; a new frame in stock to order."""
    from models import Grade, Role
    from tests.factories import (
        make_account,
        make_order,
        make_product,
        make_published_workflow,
        make_retailer,
        make_return_address,
        make_return_type,
        make_stock,
        make_user,
        make_warehouse,
    )
    from workflow_designer.runtime.defaults import DEFAULT_RETURN_TYPES

    (spec,) = [s for s in DEFAULT_RETURN_TYPES if s.code == "ROTATION"]
    with live_server.session() as session:
        rep = make_user(session, Role.SALES_REP, email="rot-rep@example.com")
        account = make_account(session, sales_rep=rep, region="ROT", name="Optik Rotation")
        warehouse = make_warehouse(session, code="ROT")
        make_return_address(session, warehouse, "ROT")
        old = make_product(session, sku="ROT-OLD", brand="Aurelo", model="Slow")
        new = make_product(session, sku="ROT-NEW", brand="Velo", model="Fast", list_price="95.00")
        make_stock(session, new, warehouse, Grade.NEW, 12)
        make_order(
            session,
            account,
            [(old, 10, "40.00")],
            invoice_number="ROT-INV-1",
            invoice_date=utcnow().date() - timedelta(days=120),
        )
        version = make_published_workflow(session, spec.template)
        make_return_type(
            session,
            version.workflow_id,
            code="ROT-DEFAULT",
            name=NAME,
            reasons=list(spec.reasons),
            resolutions=list(spec.resolutions),
            policy={"replacement_order": REPLACEMENT_RULE},
        )
        make_retailer(session, account, email="rot-retailer@example.com")
        make_user(session, Role.WAREHOUSE, email="rot-dock@example.com")
        make_user(session, Role.ADMIN, email="rot-admin@example.com", name="Rosa Admin")
        session.commit()
    return {"retailer": "rot-retailer@example.com", "admin": "rot-admin@example.com"}


def test_the_default_resolution_runs_to_a_credit_and_a_replacement_order(
    chromium, live_server, rotation
):
    number = _retailer_submits_with_replacement_lines(chromium, live_server, rotation)
    _warehouse_receives_and_grades(live_server, number)
    _admin_resolves_with_the_default(chromium, live_server, rotation, number)
    _check_the_outcome(live_server, number)


def _page(chromium, live_server, email):
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, email, PASSWORD)
    return context, page, errors


def _retailer_submits_with_replacement_lines(chromium, live_server, rotation) -> str:
    context, page, errors = _page(chromium, live_server, rotation["retailer"])
    page.click("nav >> text=New return")
    page.click(f"button:has-text('Start: {NAME}')")
    page.wait_for_url(re.compile(r"/requests/RMA-\d{4}-\d{6}$"))
    page.select_option("#pick-form select[name=reason]", "Slow seller")
    page.select_option("#pick-form select[name=condition]", "new")
    with page.expect_response(lambda r: "/history" in r.url and "q=ROT-INV-1" in r.url):
        page.fill("#history-search input[name=q]", "ROT-INV-1")
    page.wait_for_selector("#history-results td:text-is('ROT-INV-1')")
    page.fill("#history-results input.qty >> nth=0", "4")
    with page.expect_response(lambda r: r.url.endswith("/lines") and r.status == 200):
        page.press("#history-results input.qty >> nth=0", "Enter")
    page.wait_for_selector("#lines tr[data-sku='ROT-OLD']")

    # 4 × 40.00 = 160.00 rotated; the replacement order must be worth at least that.
    page.fill("#offer-search input[type=search]", "ROT-NEW")
    page.wait_for_selector("#offers tr[data-offer='ROT-NEW']")
    page.fill("#offers tr[data-offer='ROT-NEW'] input.qty", "2")
    page.click("#offers tr[data-offer='ROT-NEW'] button:has-text('Add')")
    page.wait_for_selector("#replacements tr[data-replacement='ROT-NEW']")

    page.reload()
    resolution = page.locator("#submit-form select[name=resolution]")
    expect(resolution).to_have_value("replacement_order")  # the default with lines
    expect(resolution.locator("option:checked")).to_have_text("Credit against replacement order")
    page.click("#submit-form button[type=submit]")
    page.wait_for_url(re.compile(r"/rmas/RMA-\d{4}-\d{6}$"))
    expect(page.locator("#rma-resolution dd")).to_have_text(["Credit against replacement order"])
    number = page.url.rsplit("/", 1)[1]
    assert errors == []
    context.close()
    return number


def _warehouse_receives_and_grades(live_server, number) -> None:
    from models import Grade, Rma, User
    from portal.warehouse.operations import grade_line, receive
    from workflow_designer.runtime.firing import fire

    with live_server.session() as session:
        rma = session.scalar(select(Rma).where(Rma.number == number))
        assert (rma.state, rma.requested_resolution) == ("authorized", "replacement_order")
        retailer = session.scalar(select(User).where(User.email == "rot-retailer@example.com"))
        staff = session.scalar(select(User).where(User.email == "rot-dock@example.com"))
        fire(session, rma, "ship", retailer)
        (line,) = rma.lines
        receive(session, rma, staff, {line.id: 4})
        fire(session, rma, "start_inspection", staff)
        grade_line(session, rma, line, staff, {Grade.NEW: 4})
        fire(session, rma, "finish_inspection", staff)
        session.commit()


def _admin_resolves_with_the_default(chromium, live_server, rotation, number) -> None:
    context, page, errors = _page(chromium, live_server, rotation["admin"])
    page.goto(f"/admin/rmas/{number}/resolve")
    expect(page.locator("#requested-resolution")).to_contain_text(
        "The retailer asked for Credit against replacement order."
    )
    choices = page.locator("input[name=resolution]")
    # Credit memo, credit against replacement order, exchange.
    expect(choices).to_have_count(3)
    expect(page.locator("input[name=resolution][value=replacement_order]")).to_be_checked()
    check_page(page)
    page.click(f"button:has-text('Resolve {number}')")
    page.wait_for_url(re.compile(rf"/rmas/{number}$"))
    expect(page.locator(".flash-success")).to_contain_text(
        f"{number} resolved: Credit against replacement order. Credit memo"
    )
    expect(page.locator(".rma-head .tag-state")).to_have_text("Credited")
    record = page.locator("#rma-resolution")
    expect(record.locator("dd")).to_have_text(["Credit against replacement order"] * 2)
    expect(record).not_to_contain_text("instead of")
    check_page(page)

    assert errors == []
    context.close()


def _check_the_outcome(live_server, number) -> None:
    from models import CreditMemo, ReplacementOrder, Rma

    with live_server.session() as session:
        rma = session.scalar(select(Rma).where(Rma.number == number))
        assert (rma.state, rma.resolution) == ("credited", "replacement_order")
        memos = session.scalars(select(CreditMemo).where(CreditMemo.rma_id == rma.id)).all()
        assert len(memos) == 1 and memos[0].amount > 0
        order = session.scalar(select(ReplacementOrder).where(ReplacementOrder.rma_id == rma.id))
        assert order is not None
        assert [(r.product.sku, r.quantity) for r in rma.replacement_lines] == [("ROT-NEW", 2)]
