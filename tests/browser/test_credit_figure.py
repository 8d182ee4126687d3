"""The RMA page shows exactly one credit figure, and its breakdown adds up to it: before
inspection (estimated) and after it (final), for an RMA received 23 units on a 3-unit line."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.browser.helpers import log_in
from tests.factories import PASSWORD
from tests.shop import POLICY  # 10% restocking fee, used −30%, open −5%

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def rmas(live_server):
    from models import Grade, Role
    from portal.warehouse.operations import grade_line
    from tests.factories import (
        make_account,
        make_published_workflow,
        make_retailer,
        make_return_address,
        make_return_type,
        make_user,
        make_warehouse,
        receive_confirmed,
    )
    from tests.world import World, authorized_rma
    from workflow_designer.runtime.firing import fire

    with live_server.session() as session:
        rep = make_user(session, Role.SALES_REP, email="rita-credit@example.test")
        account = make_account(session, sales_rep=rep, name="Optik Credit", region="CR")
        make_return_address(session, make_warehouse(session), "CR")
        version = make_published_workflow(session, "stock_rotation")
        return_type = make_return_type(session, version.workflow_id, policy=POLICY)
        other_rep = make_user(session, Role.SALES_REP)
        other_account = make_account(session, sales_rep=other_rep)
        world = World(
            rep=rep,
            account=account,
            retailer=make_retailer(session, account, email="olga-credit@example.test"),
            admin=make_user(session, Role.ADMIN),
            warehouse_user=make_user(session, Role.WAREHOUSE),
            other_rep=other_rep,
            other_account=other_account,
            other_retailer=make_retailer(session, other_account),
            version=version,
            return_type=return_type,
        )
        estimated = authorized_rma(session, world)
        inspected = authorized_rma(session, world)
        first, second = inspected.lines
        fire(session, inspected, "ship", world.retailer)
        receive_confirmed(session, inspected, world.warehouse_user, {first.id: 23, second.id: 2})
        fire(session, inspected, "start_inspection", world.warehouse_user)
        grade_line(session, inspected, first, world.warehouse_user, {Grade.NEW: 3})
        grade_line(session, inspected, second, world.warehouse_user, {Grade.OPEN_PACKAGING: 2})
        fire(session, inspected, "finish_inspection", world.warehouse_user)
        session.commit()
        return {"estimated": estimated.number, "inspected": inspected.number}


def euros(text: str) -> Decimal:
    return Decimal(text.strip().replace("€", "").replace(",", ""))


def the_one_figure(page, number: str) -> tuple[str, Decimal]:
    page.goto(f"/rmas/{number}")
    credit = page.locator("#rma-credit")
    assert credit.locator(".credit-amount").count() == 1
    # No other credit figure anywhere on the page (the old page had two that disagreed).
    assert page.locator("dt", has_text="credit").count() == 1
    amount = euros(credit.locator(".credit-amount").inner_text())
    rows = credit.locator("tbody .row-credit").all_inner_texts()
    assert sum((euros(text) for text in rows), Decimal(0)) == amount
    assert euros(credit.locator("tfoot .total-credit").inner_text()) == amount
    return credit.locator(".credit-label").inner_text(), amount


def test_one_credit_figure_that_the_breakdown_adds_up_to(page, rmas):
    log_in(page, "olga-credit@example.test", PASSWORD)
    # 90% of 3 × €40 reported new, 60% of 2 × €55 reported used: 108.00 + 66.00.
    assert the_one_figure(page, rmas["estimated"]) == ("Estimated credit", Decimal("174.00"))
    # 23 received on the 3-unit line: only 3 are credited (108.00); the pair was found in
    # open packaging, 85% of 2 × €55 = 93.50.
    assert the_one_figure(page, rmas["inspected"]) == ("Final credit", Decimal("201.50"))
