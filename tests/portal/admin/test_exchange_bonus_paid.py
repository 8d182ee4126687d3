"""The exchange bonus on issued credit: value towards the replacement order, never cash.

Under the back office's POLICY (10 % fee, 5 % exchange bonus) the inspected RMA earns
€188.66 as credit; the exchange adds 5 % of the €226.66 received, €11.33 — but only as far
as the replacement order costs more than the credit.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from models import CreditMemo, ReplacementLine
from portal.credits.operations import credit_for, line_amounts, resolve_rma
from tests.portal.admin.flows import inspect


def order(session, rma, product, quantity: int, price: str) -> None:
    session.add(
        ReplacementLine(
            rma_id=rma.id, product_id=product.id, quantity=quantity, unit_price=Decimal(price)
        )
    )
    session.flush()
    session.refresh(rma)


def bonus(estimate) -> Decimal:
    return sum((line_amounts(p, "EUR").exchange_bonus for p in estimate.lines), Decimal(0))


@pytest.mark.parametrize(
    ("quantity", "price", "credit", "paid", "unused"),
    [
        (3, "41.50", "188.66", "0.00", "11.33"),  # €124.50: the credit pays it all
        (5, "39.00", "195.00", "6.34", "4.99"),  # €195.00: €6.34 of the bonus used
        (6, "40.00", "199.99", "11.33", "0.00"),  # €240.00: the whole bonus
    ],
)
def test_the_memo_pays_only_the_bonus_the_order_uses(
    db_session, shop, awaiting, quantity, price, credit, paid, unused
):
    awaiting.return_type.resolutions = ["credit", "exchange"]
    order(db_session, awaiting, shop["velo"], quantity, price)
    inspect(db_session, awaiting, shop)
    estimate = credit_for(awaiting, "exchange")
    assert (estimate.total_credit, bonus(estimate)) == (Decimal(credit), Decimal(paid))
    assert estimate.bonus_unused == Decimal(unused)
    resolve_rma(db_session, awaiting, shop["admin"], "exchange")
    db_session.flush()
    memo = db_session.scalar(select(CreditMemo).where(CreditMemo.rma_id == awaiting.id))
    assert memo.amount == Decimal(credit)
    assert sum((line.exchange_bonus for line in memo.lines), Decimal(0)) == Decimal(paid)


def test_a_credit_never_includes_the_bonus(db_session, shop, awaiting):
    order(db_session, awaiting, shop["velo"], 6, "40.00")
    inspect(db_session, awaiting, shop)
    for resolution in ("credit", "refund", "replacement_order"):
        estimate = credit_for(awaiting, resolution)
        assert estimate.total_credit == Decimal("188.66") and bonus(estimate) == 0


def test_the_resolve_page_says_what_is_not_paid_out(client, login_as, db_session, shop, awaiting):
    awaiting.return_type.resolutions = ["credit", "exchange"]
    order(db_session, awaiting, shop["velo"], 3, "41.50")
    inspect(db_session, awaiting, shop)
    login_as(shop["admin"])
    html = client.get(f"/admin/rmas/{awaiting.number}/resolve").get_data(as_text=True)
    card = html[html.index('id="resolution-exchange"') :]
    assert "Exchange bonus not paid out: €11.33" in card[: card.index("</fieldset>")]


def test_the_rma_page_breakdown_says_what_is_not_paid_out(
    client, login_as, db_session, shop, awaiting
):
    awaiting.return_type.resolutions = ["credit", "exchange"]
    awaiting.resolution = "exchange"
    order(db_session, awaiting, shop["velo"], 3, "41.50")
    inspect(db_session, awaiting, shop)
    login_as(shop["admin"])
    html = client.get(f"/rmas/{awaiting.number}").get_data(as_text=True)
    credit = html[html.index('id="rma-credit"') :]
    assert "Exchange bonus not paid out: €11.33" in credit
