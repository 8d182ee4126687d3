"""Every path that issues money today — ``resolve`` to credit, exchange, refund and
replacement order, each writing its memo through ``issue_credit_memo`` — credits at most the
invoiced value of the authorised quantity (+ the bonus the return type grants), even when
the warehouse received and graded far more than was authorised."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import select

from models import CreditMemo, Grade
from portal.credits.operations import resolve_rma
from portal.warehouse.corrections import correct_grading, correct_receipt
from portal.warehouse.operations import grade_line
from tests.factories import (
    make_published_workflow,
    make_return_type,
    make_rma_with_lines,
    receive_confirmed,
)
from tests.shop import POLICY
from workflow_designer.policy.money import HUNDRED, round_money
from workflow_designer.runtime.firing import fire

RESOLUTIONS = ("credit", "exchange", "refund", "replacement_order")


def over_received(session, shop, received: dict[str, int], grades: dict[str, dict]):
    """3 × AUR-1 (€40) and 2 × VEL-2 (€33.33) authorised, then received and graded."""
    version = make_published_workflow(session, "defective_warranty")
    return_type = make_return_type(
        session, version.workflow_id, policy=POLICY, resolutions=list(RESOLUTIONS)
    )
    aurora_line, velo_line = shop["order"].lines
    rma = make_rma_with_lines(
        session,
        shop["account"],
        version,
        [(aurora_line, 3), (velo_line, 2)],
        state="awaiting_receipt",
        return_type=return_type,
    )
    aurora, velo = rma.lines
    staff = shop["warehouse_user"]
    receive_confirmed(
        session, rma, staff, {aurora.id: received["AUR-1"], velo.id: received["VEL-2"]}
    )
    fire(session, rma, "start_inspection", staff)
    for line, sku in ((aurora, "AUR-1"), (velo, "VEL-2")):
        if received[sku]:
            grade_line(session, rma, line, staff, grades[sku])
    fire(session, rma, "finish_inspection", staff)
    return rma


def ceiling(rma, resolution: str) -> Decimal:
    """Invoiced value of the authorised quantities, plus the bonus granted (exchange: 5%)."""
    bonus = Decimal(POLICY["exchange_bonus"]["percent"]) if resolution == "exchange" else 0
    return sum(
        (
            round_money(
                line.order_line.unit_net_price
                * line.quantity_authorized
                * (HUNDRED + bonus)
                / HUNDRED,
                rma.currency,
            )
            for line in rma.lines
        ),
        Decimal(0),
    )


SHAPES = {
    # The reported typo: 23 received on a 3-unit line; the 3 accepted graded new.
    "23 for 3": ({"AUR-1": 23, "VEL-2": 2}, {"AUR-1": {Grade.NEW: 3}, "VEL-2": {Grade.NEW: 2}}),
    # Over-received and graded in mixed grades: the excess never lifts the credit.
    "mixed": (
        {"AUR-1": 9, "VEL-2": 5},
        {
            "AUR-1": {Grade.NEW: 2, Grade.USED: 1},
            "VEL-2": {Grade.OPEN_PACKAGING: 1, Grade.DEFECTIVE: 1},
        },
    ),
    # Short: nothing of one line arrived.
    "short": ({"AUR-1": 2, "VEL-2": 0}, {"AUR-1": {Grade.NEW: 2}}),
}


@pytest.mark.parametrize("resolution", RESOLUTIONS)
@pytest.mark.parametrize("shape", list(SHAPES))
def test_the_memo_never_exceeds_the_invoiced_value_of_the_authorised_quantity(
    db_session, shop, resolution, shape
):
    received, grades = SHAPES[shape]
    rma = over_received(db_session, shop, received, grades)
    resolve_rma(db_session, rma, shop["admin"], resolution)
    db_session.flush()
    memo = db_session.scalar(select(CreditMemo).where(CreditMemo.rma_id == rma.id))
    assert memo is not None, f"{resolution} issues a credit memo"
    assert Decimal(0) <= memo.amount <= ceiling(rma, resolution)
    assert memo.amount == sum((line.amount for line in memo.lines), Decimal(0))
    for memo_line in memo.lines:
        assert memo_line.quantity >= 0
        assert 0 <= memo_line.amount <= memo_line.gross + memo_line.exchange_bonus
    for line in rma.lines:
        credited = sum(m.quantity for m in memo.lines if m.rma_line_id == line.id)
        assert credited <= min(line.quantity_received, line.quantity_authorized)


def test_the_reported_typo_credits_three_units_not_twenty_three(db_session, shop):
    received, grades = SHAPES["23 for 3"]
    rma = over_received(db_session, shop, received, grades)
    resolve_rma(db_session, rma, shop["admin"], "credit")
    db_session.flush()
    memo = db_session.scalar(select(CreditMemo).where(CreditMemo.rma_id == rma.id))
    # 90% (10% restocking fee) of 3 × 40.00 and of 2 × 33.33: 108.00 + 59.99.
    assert [(m.quantity, m.amount) for m in memo.lines] == [
        (3, Decimal("108.00")),
        (2, Decimal("59.99")),
    ]
    assert memo.amount == Decimal("167.99")


def test_an_exchange_like_for_like_replaces_only_the_authorised_units(db_session, shop):
    received, grades = SHAPES["23 for 3"]
    rma = over_received(db_session, shop, received, grades)
    resolve_rma(db_session, rma, shop["admin"], "exchange")
    db_session.flush()
    assert [(r.product.sku, r.quantity) for r in rma.replacement_lines] == [
        ("AUR-1", 3),
        ("VEL-2", 2),
    ]


@pytest.mark.parametrize("resolution", ["credit", "exchange"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_corrections_after_resolution_never_lift_the_credit_over_the_invoice(
    db_session, shop, resolution, shape
):
    """An admin's correction after resolution issues an adjustment: the memo and its
    adjustments together stay within the invoiced value of the authorised quantity."""
    received, grades = SHAPES[shape]
    rma = over_received(db_session, shop, received, grades)
    resolve_rma(db_session, rma, shop["admin"], resolution)
    for line in rma.lines:
        if line.inspection_results and any(
            r.grade is not Grade.NEW for r in line.inspection_results
        ):
            correct_grading(
                db_session, rma, line, shop["admin"], {Grade.NEW: line.quantity_accepted}, "New"
            )
        # Every unit that arrived (held apart beyond the authorised quantity) graded new.
        correct_receipt(
            db_session,
            rma,
            line,
            shop["admin"],
            line.quantity_received + 5,
            "Five more were in the box",
            {Grade.NEW: line.quantity_authorized},
        )
    db_session.flush()
    issued = db_session.scalars(select(CreditMemo.amount).where(CreditMemo.rma_id == rma.id))
    assert Decimal(0) <= sum(issued, Decimal(0)) <= ceiling(rma, resolution)
