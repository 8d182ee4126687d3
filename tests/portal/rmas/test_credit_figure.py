"""The RMA page shows one credit figure, estimated or final, beside a breakdown that adds
up to it. The reported shape: 3 authorised, 23 received (a typo at receiving)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from models import Grade
from portal.credits.operations import resolve_rma
from portal.warehouse.operations import grade_line
from tests.factories import make_return_address, make_warehouse, receive_confirmed
from tests.world import add_rma, authorized_rma
from workflow_designer.runtime.firing import fire


def page_of(client, rma) -> str:
    response = client.get(f"/rmas/{rma.number}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def euros(text: str) -> Decimal:
    return Decimal(text.strip().replace("€", "").replace(",", ""))


def credit_figures(page: str) -> list[tuple[str, Decimal]]:
    labels = re.findall(r'<dt class="credit-label">([^<]*)</dt>', page)
    amounts = re.findall(r'<dd class="credit-amount">([^<]*)</dd>', page)
    return [(label, euros(amount)) for label, amount in zip(labels, amounts, strict=True)]


def breakdown_sum(page: str) -> Decimal:
    return sum((euros(a) for a in re.findall(r'class="num row-credit">([^<]*)<', page)), Decimal(0))


def the_one_figure(page: str) -> tuple[str, Decimal]:
    (figure,) = credit_figures(page)
    assert breakdown_sum(page) == figure[1]
    (total,) = re.findall(r'class="num total-credit">([^<]*)<', page)
    assert euros(total) == figure[1]
    return figure


def over_received(session, world):
    """Authorised 3 × €40 (reported new) and 2 × €55 (reported used); 23 and 2 arrive."""
    make_return_address(session, make_warehouse(session), world.account.region)
    rma = authorized_rma(session, world)
    first, second = rma.lines
    assert (first.quantity_authorized, second.quantity_authorized) == (3, 2)
    fire(session, rma, "ship", world.retailer)
    receive_confirmed(session, rma, world.warehouse_user, {first.id: 23, second.id: 2})
    session.flush()
    return rma


@pytest.mark.parametrize("who", ["retailer", "admin"])
def test_before_authorisation_the_estimate_is_on_the_requested_quantity(
    client, db_session, login_as, world, who
):
    rma = add_rma(db_session, world)
    login_as(world.person(who))
    # 10% restocking fee on 3 × 40 + 2 × 55.
    assert the_one_figure(page_of(client, rma)) == ("Estimated credit", Decimal("207.00"))


def test_over_received_units_are_not_in_the_estimate(client, db_session, login_as, world):
    rma = over_received(db_session, world)
    login_as(world.retailer)
    page = page_of(client, rma)
    # 3 × 40 × 90% + 2 × 55 × 90%, not 23 × 40 × 90% + 99.00 = 927.00.
    assert the_one_figure(page) == ("Estimated credit", Decimal("207.00"))


@pytest.mark.parametrize("who", ["retailer", "rep", "admin", "warehouse"])
def test_after_inspection_the_final_credit_counts_the_authorised_units_only(
    client, db_session, login_as, world, who
):
    rma = over_received(db_session, world)
    first, second = rma.lines
    fire(db_session, rma, "start_inspection", world.warehouse_user)
    grade_line(db_session, rma, first, world.warehouse_user, {Grade.NEW: 3})
    grade_line(db_session, rma, second, world.warehouse_user, {Grade.NEW: 2})
    fire(db_session, rma, "finish_inspection", world.warehouse_user)
    db_session.flush()
    login_as(world.person(who))
    page = page_of(client, rma)
    assert the_one_figure(page) == ("Final credit", Decimal("207.00"))
    assert "Estimated credit" not in page

    resolve_rma(db_session, rma, world.admin, "credit")
    db_session.flush()
    page = page_of(client, rma)
    assert the_one_figure(page) == ("Final credit", Decimal("207.00"))
    assert rma.lines[0].credit == Decimal("108.00")  # 3 × 40 × 90%, the memo line's amount
