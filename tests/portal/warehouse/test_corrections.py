"""Over-receipt guards, units held apart, and corrections of receipts and grades.

The shop's RMA authorises 4 × AUR-1 and 3 × VEL-2 (``tests/portal/warehouse/conftest.py``)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from models import (
    CreditMemo,
    Grade,
    InventoryLevel,
    LedgerEntry,
    MemoKind,
    RmaEvent,
    RmaLine,
    UnexpectedItem,
)
from portal.warehouse.corrections import (
    CorrectionRefused,
    correct_grading,
    correct_receipt,
    is_resolved,
)
from portal.warehouse.operations import (
    ReceivingError,
    UnconfirmedReceipt,
    Unexpected,
    grade_line,
    receive,
)
from tests.factories import make_rma_with_lines
from tests.portal.admin.flows import inspect, resolve
from tests.portal.warehouse.helpers import lines_of
from workflow_designer.runtime.firing import fire


def stock(db_session, product, grade: Grade) -> int:
    level = db_session.scalar(
        select(InventoryLevel.quantity).where(
            InventoryLevel.product_id == product.id, InventoryLevel.grade == grade
        )
    )
    return level or 0


def events(db_session, rma, trigger: str) -> list[RmaEvent]:
    return list(
        db_session.scalars(
            select(RmaEvent)
            .where(RmaEvent.rma_id == rma.id, RmaEvent.trigger == trigger)
            .order_by(RmaEvent.id)
        )
    )


def receive_over(db_session, shop, rma, aurora=23, velo=3) -> dict:
    """The dock types ``aurora`` for the 4 authorised AUR-1 and confirms it."""
    first, second = lines_of(rma)
    counts = {first.id: aurora, second.id: velo}
    with pytest.raises(UnconfirmedReceipt) as asked:
        receive(db_session, rma, shop["warehouse_user"], counts)
    return receive(
        db_session, rma, shop["warehouse_user"], counts, confirmation=asked.value.signature
    )


# --- over-receipt is never silent ------------------------------------------------------


def test_an_over_receipt_is_not_recorded_without_its_confirmation(db_session, shop, awaiting):
    aurora, velo = lines_of(awaiting)
    counts = {aurora.id: 23, velo.id: 3}
    with pytest.raises(UnconfirmedReceipt) as asked:
        receive(db_session, awaiting, shop["warehouse_user"], counts)
    assert [(o.sku, o.authorized, o.received, o.excess) for o in asked.value.over] == [
        ("AUR-1", 4, 23, 19)
    ]
    # A confirmation of other figures (the form was changed after the question) is no
    # confirmation of these.
    stale = {aurora.id: 22, velo.id: 3}
    with pytest.raises(UnconfirmedReceipt):
        receive(
            db_session, awaiting, shop["warehouse_user"], stale, confirmation=asked.value.signature
        )
    assert awaiting.state == "awaiting_receipt"
    assert [line.quantity_received for line in awaiting.lines] == [0, 0]
    assert events(db_session, awaiting, "receive") == []

    report = receive(
        db_session, awaiting, shop["warehouse_user"], counts, confirmation=asked.value.signature
    )
    assert awaiting.state == "received"
    assert (aurora.quantity_received, aurora.has_discrepancy) == (23, True)
    assert (aurora.quantity_accepted, aurora.quantity_excess) == (4, 19)
    assert report["over"] == [
        {
            "line": aurora.id,
            "sku": "AUR-1",
            "expected": 4,
            "received": 23,
            "excess": 19,
            "confirmed": True,
        }
    ]
    (event,) = events(db_session, awaiting, "receive")
    assert event.data["receipt"]["over"] == report["over"]
    assert "AUR-1 23 received, 4 authorised (19 held apart)" in event.data["label"]


def test_an_unexpected_item_needs_its_confirmation_too(db_session, shop, awaiting):
    aurora, velo = lines_of(awaiting)
    counts = {aurora.id: 4, velo.id: 3}
    case = [Unexpected("Sunglasses case", 2)]
    with pytest.raises(UnconfirmedReceipt) as asked:
        receive(db_session, awaiting, shop["warehouse_user"], counts, case)
    assert asked.value.over == [] and asked.value.unexpected_units == 2
    assert db_session.scalar(select(func.count(UnexpectedItem.id))) == 0
    receive(
        db_session,
        awaiting,
        shop["warehouse_user"],
        counts,
        case,
        confirmation=asked.value.signature,
    )
    assert db_session.scalar(select(func.count(UnexpectedItem.id))) == 1


@pytest.mark.parametrize(
    ("quantity", "message"),
    [
        (-1, "cannot be negative"),
        (2.5, "whole numbers"),
        ("3", "whole numbers"),
        (True, "whole numbers"),
        (10_000, "Enter 0 to 9999"),
        (10**30, "Enter 0 to 9999"),
    ],
)
def test_receiving_refuses_absurd_quantities(db_session, shop, awaiting, quantity, message):
    aurora, velo = lines_of(awaiting)
    with pytest.raises(ReceivingError, match=message):
        receive(db_session, awaiting, shop["warehouse_user"], {aurora.id: quantity, velo.id: 3})
    assert awaiting.state == "awaiting_receipt" and aurora.quantity_received == 0


def test_accepted_and_excess_are_sql_expressions_too(db_session, shop, awaiting):
    receive_over(db_session, shop, awaiting, aurora=6, velo=1)
    rows = db_session.execute(
        select(RmaLine.quantity_accepted, RmaLine.quantity_excess)
        .where(RmaLine.rma_id == awaiting.id)
        .order_by(RmaLine.id)
    ).all()
    assert [tuple(row) for row in rows] == [(4, 2), (1, 0)]
    assert [(line.quantity_accepted, line.quantity_excess) for line in awaiting.lines] == [
        (4, 2),
        (1, 0),
    ]


# --- over-received units are held apart -----------------------------------------------


def test_only_accepted_units_are_graded_and_stocked(db_session, shop, awaiting):
    receive_over(db_session, shop, awaiting)
    aurora, velo = lines_of(awaiting)
    staff = shop["warehouse_user"]
    fire(db_session, awaiting, "start_inspection", staff)
    with pytest.raises(ReceivingError, match="Grade all 4 accepted units: 23 are graded"):
        grade_line(db_session, awaiting, aurora, staff, {Grade.NEW: 23})
    grade_line(db_session, awaiting, aurora, staff, {Grade.NEW: 4})
    grade_line(db_session, awaiting, velo, staff, {Grade.NEW: 3})
    fire(db_session, awaiting, "finish_inspection", staff)
    assert stock(db_session, shop["aurora"], Grade.NEW) == 4  # not 23: 19 are held apart
    assert stock(db_session, shop["velo"], Grade.NEW) == 3


def test_a_grade_outside_the_vocabulary_is_refused(db_session, shop, inspecting):
    aurora, _velo = lines_of(inspecting)
    with pytest.raises(ReceivingError, match="Use the grades offered"):
        grade_line(db_session, inspecting, aurora, shop["warehouse_user"], {"shiny": 4})
    assert aurora.inspection_results == []


# --- corrections -------------------------------------------------------------------------


def test_a_receipt_is_corrected_with_its_reason_and_the_old_figure_kept(db_session, shop, awaiting):
    receive_over(db_session, shop, awaiting)
    aurora, _velo = lines_of(awaiting)
    correction = correct_receipt(
        db_session, awaiting, aurora, shop["warehouse_user"], 3, "Typed 23 for 3 at the dock"
    )
    assert correction.received == (23, 3)
    assert (aurora.quantity_received, aurora.quantity_accepted, aurora.quantity_excess) == (3, 3, 0)
    assert aurora.has_discrepancy  # 3 of 4: short now
    (event,) = events(db_session, awaiting, "correct_receipt")
    assert event.actor_id == shop["warehouse_user"].id
    assert event.comment == "Typed 23 for 3 at the dock"
    assert event.data["received"] == {"from": 23, "to": 3}
    assert event.data["line"] == aurora.id and event.data["sku"] == "AUR-1"
    assert event.data["label"] == "Receipt corrected: AUR-1 received 23 → 3"
    assert event.from_state == event.to_state == "received"
    # The receipt as first recorded stays readable.
    (receipt,) = events(db_session, awaiting, "receive")
    assert receipt.data["receipt"]["over"][0]["received"] == 23


def test_a_correction_bumps_the_rma_version(db_session, shop, awaiting):
    receive_over(db_session, shop, awaiting)
    before = awaiting.version
    correct_receipt(db_session, awaiting, lines_of(awaiting)[0], shop["admin"], 4, "Recounted")
    assert awaiting.version == before + 1


def test_a_graded_line_is_corrected_with_the_grades_of_its_new_quantity(
    db_session, shop, inspecting
):
    _aurora, velo = lines_of(inspecting)
    staff = shop["warehouse_user"]
    grade_line(db_session, inspecting, velo, staff, {Grade.NEW: 2})
    with pytest.raises(CorrectionRefused, match="grade the 3 accepted units again"):
        correct_receipt(db_session, inspecting, velo, staff, 3, "Third one was under the foam")
    with pytest.raises(CorrectionRefused, match="grade all 3 accepted units: 2 are graded"):
        correct_receipt(db_session, inspecting, velo, staff, 3, "Found it", {Grade.NEW: 2})
    assert velo.quantity_received == 2
    correct_receipt(
        db_session, inspecting, velo, staff, 3, "Found it", {Grade.NEW: 2, Grade.USED: 1}
    )
    assert velo.quantity_received == 3
    assert {r.grade: r.quantity for r in velo.inspection_results} == {Grade.NEW: 2, Grade.USED: 1}
    (event,) = events(db_session, inspecting, "correct_receipt")
    assert event.data["grades"] == {"from": {"new": 2}, "to": {"new": 2, "used": 1}}


def test_a_correction_after_restocking_moves_stock_by_the_difference(db_session, shop, awaiting):
    inspect(db_session, awaiting, shop)  # AUR-1: 3 new (restocked) + 1 used (B-stock)
    aurora, _velo = lines_of(awaiting)
    assert stock(db_session, shop["aurora"], Grade.NEW) == 3
    correction = correct_grading(
        db_session,
        awaiting,
        aurora,
        shop["warehouse_user"],
        {Grade.NEW: 2, Grade.USED: 1, Grade.HEAVILY_DAMAGED: 1},
        "One had a cracked lens",
    )
    assert correction.stock == {"new": -1}  # heavily damaged units are scrapped, not stocked
    assert stock(db_session, shop["aurora"], Grade.NEW) == 2
    assert stock(db_session, shop["aurora"], Grade.HEAVILY_DAMAGED) == 0
    (event,) = events(db_session, awaiting, "correct_grading")
    assert event.data["stock"] == {"new": -1}
    assert (
        "grades 3 × new, 1 × used → 2 × new, 1 × used, 1 × heavily damaged" in event.data["label"]
    )

    correct_receipt(
        db_session, awaiting, aurora, shop["admin"], 2, "Two were another shop's", {Grade.NEW: 2}
    )
    assert stock(db_session, shop["aurora"], Grade.NEW) == 2
    assert stock(db_session, shop["aurora"], Grade.USED) == 0
    assert awaiting.state == "inspected"


def test_stock_never_goes_below_zero_and_the_shortfall_is_recorded(db_session, shop, awaiting):
    inspect(db_session, awaiting, shop)
    aurora, _velo = lines_of(awaiting)
    level = db_session.scalar(
        select(InventoryLevel).where(
            InventoryLevel.product_id == shop["aurora"].id, InventoryLevel.grade == Grade.NEW
        )
    )
    level.quantity = 1  # two of the three were sold meanwhile
    db_session.flush()
    correction = correct_grading(
        db_session, awaiting, aurora, shop["warehouse_user"], {Grade.USED: 4}, "All were worn"
    )
    assert stock(db_session, shop["aurora"], Grade.NEW) == 0
    assert correction.stock == {"new": -1, "used": 3}
    assert correction.stock_short == {"new": 2}
    (event,) = events(db_session, awaiting, "correct_grading")
    assert event.data["stock_not_found"] == {"new": 2}


@pytest.mark.parametrize(
    ("quantity", "reason", "message"),
    [
        (3, "", "needs a reason"),
        (3, "   ", "needs a reason"),
        (3, "bad\x00byte", "plain text"),
        (3, "x" * 2001, "2000 characters"),
        (-1, "Recount", "cannot be negative"),
        (2.5, "Recount", "whole numbers"),
        (10_000, "Recount", "Enter 0 to 9999"),
        (23, "Recount", "already recorded"),
    ],
)
def test_a_bad_correction_is_refused_and_changes_nothing(
    db_session, shop, awaiting, quantity, reason, message
):
    receive_over(db_session, shop, awaiting)
    aurora, _velo = lines_of(awaiting)
    version = awaiting.version
    with pytest.raises(ReceivingError, match=message):
        correct_receipt(db_session, awaiting, aurora, shop["warehouse_user"], quantity, reason)
    assert aurora.quantity_received == 23 and awaiting.version == version
    assert events(db_session, awaiting, "correct_receipt") == []


def test_a_line_of_another_rma_is_refused(db_session, shop, awaiting):
    other = make_rma_with_lines(
        db_session,
        shop["account"],
        shop["version"],
        [(shop["order"].lines[0], 1)],
        state="awaiting_receipt",
        return_type=awaiting.return_type,
    )
    receive_over(db_session, shop, awaiting)
    with pytest.raises(CorrectionRefused, match="another RMA"):
        correct_receipt(db_session, awaiting, other.lines[0], shop["warehouse_user"], 3, "Wrong")


def test_only_warehouse_staff_and_admins_correct(db_session, shop, awaiting):
    receive_over(db_session, shop, awaiting)
    with pytest.raises(CorrectionRefused, match="warehouse staff and admins"):
        correct_receipt(db_session, awaiting, lines_of(awaiting)[0], shop["rep"], 3, "Rep says so")


def test_nothing_is_corrected_before_the_receipt(db_session, shop, awaiting):
    with pytest.raises(CorrectionRefused, match="has not been received yet"):
        correct_receipt(db_session, awaiting, lines_of(awaiting)[0], shop["admin"], 3, "Early")


def test_after_resolution_warehouse_staff_may_not_correct(db_session, shop, awaiting):
    resolve(db_session, awaiting, shop)
    assert is_resolved(db_session, awaiting)
    aurora, _velo = lines_of(awaiting)
    staff = shop["warehouse_user"]
    with pytest.raises(CorrectionRefused, match=r"is resolved: only an admin .* credit adjustment"):
        correct_grading(db_session, awaiting, aurora, staff, {Grade.USED: 4}, "Too late")
    with pytest.raises(CorrectionRefused, match="is resolved"):
        correct_receipt(db_session, awaiting, aurora, staff, 3, "Too late")
    assert aurora.quantity_received == 4


def memos_of(db_session, rma) -> list[CreditMemo]:
    return list(
        db_session.scalars(
            select(CreditMemo).where(CreditMemo.rma_id == rma.id).order_by(CreditMemo.id)
        )
    )


def balance(db_session, rma) -> Decimal:
    return db_session.scalar(
        select(func.sum(LedgerEntry.amount)).where(LedgerEntry.account_id == rma.account_id)
    )


def test_an_admin_regrade_after_resolution_issues_an_adjustment(db_session, shop, awaiting):
    resolve(db_session, awaiting, shop)  # 188.66 credited: AUR-1 3 new + 1 used, VEL-2 2 open
    aurora, _velo = lines_of(awaiting)
    correction = correct_grading(
        db_session, awaiting, aurora, shop["admin"], {Grade.NEW: 4}, "The used one was new"
    )
    memo, adjustment = memos_of(db_session, awaiting)
    assert correction.adjustment is adjustment
    # The used unit earned 60% of 40.00 (24.00); graded new it earns 90% (36.00).
    assert (memo.amount, adjustment.amount) == (Decimal("188.66"), Decimal("12.00"))
    assert adjustment.kind is MemoKind.ADJUSTMENT and adjustment.original_memo_id == memo.id
    assert adjustment.reason == "The used one was new"
    assert balance(db_session, awaiting) == Decimal("200.66")
    assert [e.data["grades"] for e in events(db_session, awaiting, "correct_grading")] == [
        {"from": {"new": 3, "used": 1}, "to": {"new": 4}}
    ]
    assert events(db_session, awaiting, "adjustment_issued")


def test_an_admin_receipt_correction_after_resolution_takes_credit_back(db_session, shop, awaiting):
    resolve(db_session, awaiting, shop)
    aurora, _velo = lines_of(awaiting)
    correct_receipt(
        db_session, awaiting, aurora, shop["admin"], 3, "Only 3 were in the box", {Grade.NEW: 3}
    )
    memo, adjustment = memos_of(db_session, awaiting)
    assert memo.amount == Decimal("188.66")  # the issued memo never changes
    assert adjustment.amount == Decimal("-24.00")  # the used unit's credit, taken back
    assert balance(db_session, awaiting) == Decimal("164.66")
    assert aurora.quantity_received == 3


def test_a_correction_is_priced_under_the_terms_the_memo_was_issued_under(
    db_session, shop, awaiting
):
    resolve(db_session, awaiting, shop)  # 188.66 under a 10% restocking fee
    policy = dict(awaiting.return_type.policy)
    policy["restocking_fee"] = {"enabled": True, "percent": "50"}
    awaiting.return_type.policy = policy  # edited after the memo
    aurora, _velo = lines_of(awaiting)
    correction = correct_grading(
        db_session, awaiting, aurora, shop["admin"], {Grade.NEW: 4}, "The used one was new"
    )
    # Only the corrected unit changes (+12.00): the other lines are not repriced at 50%.
    assert correction.adjustment.amount == Decimal("12.00")


def test_a_correction_that_changes_no_credit_issues_no_adjustment(db_session, shop, awaiting):
    resolve(db_session, awaiting, shop)
    aurora, _velo = lines_of(awaiting)
    # One more unit than authorised was in the box: held apart, so the credit is the same.
    correction = correct_receipt(
        db_session, awaiting, aurora, shop["admin"], 5, "A fifth frame was under the foam"
    )
    assert correction.adjustment is None
    assert [m.kind for m in memos_of(db_session, awaiting)] == [MemoKind.CREDIT_MEMO]
    assert (aurora.quantity_accepted, aurora.quantity_excess) == (4, 1)
    assert balance(db_session, awaiting) == Decimal("188.66")


def test_an_inspected_rma_is_not_resolved_yet(db_session, shop, awaiting):
    inspect(db_session, awaiting, shop)
    assert not is_resolved(db_session, awaiting)


def test_over_received_units_are_never_credited_nor_replaced(db_session, shop, awaiting):
    from models import CreditMemo
    from portal.credits.operations import resolve_rma

    awaiting.return_type.resolutions = ["credit", "exchange"]
    receive_over(db_session, shop, awaiting)  # 23 AUR-1 for 4 authorised
    aurora, velo = lines_of(awaiting)
    staff = shop["warehouse_user"]
    fire(db_session, awaiting, "start_inspection", staff)
    grade_line(db_session, awaiting, aurora, staff, {Grade.NEW: 4})
    grade_line(db_session, awaiting, velo, staff, {Grade.NEW: 3})
    fire(db_session, awaiting, "finish_inspection", staff)
    resolve_rma(db_session, awaiting, shop["admin"], "exchange")
    replaced = {line.product_id: line.quantity for line in awaiting.replacement_lines}
    assert replaced == {shop["aurora"].id: 4, shop["velo"].id: 3}
    memo = db_session.scalars(select(CreditMemo).where(CreditMemo.rma_id == awaiting.id)).one()
    assert {line.rma_line_id: line.quantity for line in memo.lines} == {aurora.id: 4, velo.id: 3}
