"""From the dock to the ledger: receive, grade, restock, resolve, credit."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DatabaseError, IntegrityError

from models import (
    CreditMemo,
    Grade,
    InventoryLevel,
    LedgerEntry,
    ReplacementOrder,
    UnexpectedItem,
)
from portal.credits.operations import ResolutionError, issue_credit_memo, resolve_rma
from portal.warehouse.operations import (
    ReceivingError,
    Unexpected,
    grade_line,
    receipt_signature,
    receive,
)
from workflow_designer.runtime.firing import TransitionRefused, fire


def lines_of(rma):
    aurora, velo = rma.lines
    return aurora, velo


def receive_short(db_session, rma, shop):
    aurora, velo = lines_of(rma)
    return receive(
        db_session,
        rma,
        shop["warehouse_user"],
        {aurora.id: 4, velo.id: 2},
        [Unexpected("Unlabelled sunglasses case", 1)],
        comment="One Velo missing",
        confirmation=receipt_signature([], [Unexpected("Unlabelled sunglasses case", 1)]),
    )


def inspect(db_session, rma, shop, resolution_grades=None):
    aurora, velo = lines_of(rma)
    fire(db_session, rma, "start_inspection", shop["warehouse_user"])
    grade_line(db_session, rma, aurora, shop["warehouse_user"], {Grade.NEW: 3, Grade.USED: 1})
    grade_line(db_session, rma, velo, shop["warehouse_user"], {Grade.OPEN_PACKAGING: 2})
    fire(db_session, rma, "finish_inspection", shop["warehouse_user"])


def test_receiving_flags_short_over_and_unexpected_items(db_session, shop, awaiting):
    report = receive_short(db_session, awaiting, shop)
    aurora, velo = lines_of(awaiting)
    assert awaiting.state == "received"
    assert (aurora.quantity_received, aurora.has_discrepancy) == (4, False)
    assert (velo.quantity_received, velo.has_discrepancy) == (2, True)
    assert report["short"] == [{"line": velo.id, "expected": 3, "received": 2}]
    assert report["unexpected"] == [
        {"description": "Unlabelled sunglasses case", "quantity": 1, "confirmed": True}
    ]
    event = awaiting.events[-1]
    assert event.trigger == "receive" and event.data["receipt"] == report
    assert event.comment == "One Velo missing"
    assert db_session.scalar(select(func.count(UnexpectedItem.id))) == 1


@pytest.mark.parametrize(
    ("quantities", "message"),
    [
        ({"aurora": 4}, "every line"),
        ({"aurora": -1, "velo": 3}, "negative"),
        ({"aurora": 4, "velo": 3, "stranger": 1}, "not on this RMA"),
    ],
)
def test_receiving_refuses_bad_quantities_and_changes_nothing(
    db_session, shop, awaiting, quantities, message
):
    aurora, velo = lines_of(awaiting)
    ids = {"aurora": aurora.id, "velo": velo.id, "stranger": 999_999}
    with pytest.raises(ReceivingError, match=message):
        receive(
            db_session, awaiting, shop["warehouse_user"], {ids[k]: v for k, v in quantities.items()}
        )
    assert awaiting.state == "awaiting_receipt"
    assert aurora.quantity_received == velo.quantity_received == 0


def test_only_warehouse_staff_receive(db_session, shop, awaiting):
    aurora, velo = lines_of(awaiting)
    with pytest.raises(TransitionRefused):
        receive(db_session, awaiting, shop["retailer"], {aurora.id: 4, velo.id: 3})


def test_grading_must_cover_every_received_unit(db_session, shop, awaiting):
    receive_short(db_session, awaiting, shop)
    fire(db_session, awaiting, "start_inspection", shop["warehouse_user"])
    aurora, _velo = lines_of(awaiting)
    with pytest.raises(ReceivingError, match="Grade all 4 accepted units: 3 are graded"):
        grade_line(db_session, awaiting, aurora, shop["warehouse_user"], {Grade.NEW: 3})
    with pytest.raises(TransitionRefused, match="not graded"):
        fire(db_session, awaiting, "finish_inspection", shop["warehouse_user"])


def test_regrading_replaces_the_earlier_grades(db_session, shop, awaiting):
    receive_short(db_session, awaiting, shop)
    aurora, _velo = lines_of(awaiting)
    grade_line(db_session, awaiting, aurora, shop["warehouse_user"], {Grade.USED: 4})
    grade_line(db_session, awaiting, aurora, shop["warehouse_user"], {Grade.NEW: 2, Grade.USED: 2})
    db_session.refresh(aurora)
    assert sorted((r.grade, r.quantity) for r in aurora.inspection_results) == [
        (Grade.NEW, 2),
        (Grade.USED, 2),
    ]
    assert aurora.grade == "mixed"


@pytest.mark.parametrize(
    ("grade", "disposition", "stocked"),
    [
        (Grade.NEW, "restock", True),
        (Grade.OPEN_PACKAGING, "b_stock", True),
        (Grade.USED, "b_stock", True),
        (Grade.LIGHTLY_DAMAGED, "refurbish", True),
        (Grade.HEAVILY_DAMAGED, "scrap", False),
        (Grade.DEFECTIVE, "return_to_manufacturer", False),
    ],
)
def test_every_grade_maps_to_its_disposition_and_stock(
    db_session, shop, awaiting, grade, disposition, stocked
):
    receive_short(db_session, awaiting, shop)
    fire(db_session, awaiting, "start_inspection", shop["warehouse_user"])
    aurora, velo = lines_of(awaiting)
    (result,) = grade_line(db_session, awaiting, aurora, shop["warehouse_user"], {grade: 4})
    grade_line(db_session, awaiting, velo, shop["warehouse_user"], {grade: 2})
    assert result.disposition == disposition
    fire(db_session, awaiting, "finish_inspection", shop["warehouse_user"])
    level = db_session.scalar(
        select(InventoryLevel.quantity).where(
            InventoryLevel.product_id == shop["aurora"].id, InventoryLevel.grade == grade
        )
    )
    assert level == (4 if stocked else None)


def test_restock_adds_to_existing_stock(db_session, shop, awaiting):
    from tests.factories import make_stock

    make_stock(db_session, shop["aurora"], shop["warehouse"], Grade.NEW, 7)
    receive_short(db_session, awaiting, shop)
    inspect(db_session, awaiting, shop)
    stock = dict(
        db_session.execute(
            select(InventoryLevel.grade, InventoryLevel.quantity).where(
                InventoryLevel.product_id == shop["aurora"].id
            )
        ).all()
    )
    assert stock == {Grade.NEW: 10, Grade.USED: 1}


def test_credit_is_invoice_price_less_fee_and_grade_deductions(db_session, shop, awaiting):
    receive_short(db_session, awaiting, shop)
    inspect(db_session, awaiting, shop)
    resolve_rma(db_session, awaiting, shop["admin"], "credit", comment="Settled")
    assert awaiting.state == "credited"
    memo = db_session.scalar(select(CreditMemo).where(CreditMemo.rma_id == awaiting.id))
    # 3 new × 40.00 at 90 % = 108.00; 1 used × 40.00 at 60 % = 24.00;
    # 2 open packaging × 33.33 at 85 % = 56.661 → 56.66 (rounded once per line)
    assert memo.amount == Decimal("188.66")
    assert [line.amount for line in memo.lines] == [
        Decimal("108.00"),
        Decimal("24.00"),
        Decimal("56.66"),
    ]
    velo_line = memo.lines[2]
    assert (velo_line.gross, velo_line.restocking_fee, velo_line.grade_deduction) == (
        Decimal("66.66"),
        Decimal("6.67"),
        Decimal("3.33"),
    )
    for line in memo.lines:
        assert line.gross - line.restocking_fee - line.grade_deduction + line.exchange_bonus == (
            line.amount
        )
    entry = db_session.scalar(select(LedgerEntry).where(LedgerEntry.credit_memo_id == memo.id))
    assert (entry.amount, entry.currency, entry.account_id) == (
        Decimal("188.66"),
        "EUR",
        shop["account"].id,
    )
    assert memo.number.startswith("CM-")


def test_exchange_earns_the_bonus_and_a_like_for_like_order(db_session, shop, awaiting):
    awaiting.return_type.resolutions = ["credit", "exchange"]
    receive_short(db_session, awaiting, shop)
    inspect(db_session, awaiting, shop)
    resolve_rma(db_session, awaiting, shop["admin"], "exchange")
    assert awaiting.state == "exchanged"
    memo = db_session.scalar(select(CreditMemo).where(CreditMemo.rma_id == awaiting.id))
    assert memo.amount == Decimal("114.00") + Decimal("26.00") + Decimal("59.99")
    order = db_session.scalar(
        select(ReplacementOrder).where(ReplacementOrder.rma_id == awaiting.id)
    )
    assert order.status.value == "to_fulfil"
    assert sorted((line.product.sku, line.quantity) for line in awaiting.replacement_lines) == [
        ("AUR-1", 4),
        ("VEL-2", 2),
    ]


def test_a_waived_restocking_fee_is_applied(db_session, shop, awaiting):
    awaiting.restocking_fee_percent = Decimal("0")
    receive_short(db_session, awaiting, shop)
    inspect(db_session, awaiting, shop)
    resolve_rma(db_session, awaiting, shop["admin"], "credit")
    memo = db_session.scalar(select(CreditMemo).where(CreditMemo.rma_id == awaiting.id))
    # 120.00 + 40.00 × 70 % + 66.66 × 95 % (63.327 → 63.33)
    assert memo.amount == Decimal("211.33")


def test_a_resolution_the_type_does_not_offer_is_refused(db_session, shop, awaiting):
    receive_short(db_session, awaiting, shop)
    inspect(db_session, awaiting, shop)
    with pytest.raises(ResolutionError, match="offers: Credit"):
        resolve_rma(db_session, awaiting, shop["admin"], "refund")
    assert awaiting.state == "inspected"


def test_a_second_credit_memo_for_the_same_rma_is_impossible(db_session, shop, awaiting):
    receive_short(db_session, awaiting, shop)
    inspect(db_session, awaiting, shop)
    resolve_rma(db_session, awaiting, shop["admin"], "credit")
    with pytest.raises(IntegrityError), db_session.begin_nested():
        issue_credit_memo(db_session, awaiting, shop["admin"])
    assert db_session.scalar(select(func.count(CreditMemo.id))) == 1


def test_ledger_rows_cannot_be_changed_or_deleted(db_session, shop, awaiting):
    receive_short(db_session, awaiting, shop)
    inspect(db_session, awaiting, shop)
    resolve_rma(db_session, awaiting, shop["admin"], "credit")
    from sqlalchemy import text

    for statement in (
        "UPDATE ledger_entries SET amount = 1",
        "DELETE FROM ledger_entries",
        "UPDATE credit_memos SET amount = 1",
        "DELETE FROM credit_memo_lines",
    ):
        with pytest.raises(DatabaseError, match="append-only"), db_session.begin_nested():
            db_session.execute(text(statement))
