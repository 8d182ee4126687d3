"""Adjustments, reversals and refunds: new documents that reference the original, each
with its ledger entry and its RMA event; issued memos are never changed."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from models import CreditMemo, LedgerEntry, MemoKind, Refund, RefundMethod, RmaEvent
from portal.credits import documents
from portal.credits.documents import DocumentRefused, Payout
from tests.portal.credits.helpers import regrade_used_as_new


def _balance(session, account) -> Decimal:
    total = session.scalar(
        select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(
            LedgerEntry.account_id == account.id
        )
    )
    return Decimal(str(total)).quantize(Decimal("0.01"))


def _events(session, rma, trigger: str) -> list[RmaEvent]:
    return list(
        session.scalars(
            select(RmaEvent).where(RmaEvent.rma_id == rma.id, RmaEvent.trigger == trigger)
        )
    )


def test_an_adjustment_credits_the_difference_and_references_the_memo(
    db_session, shop, awaiting, credited
):
    regrade_used_as_new(db_session, awaiting)
    adjustment = documents.issue_adjustment(
        db_session, awaiting, shop["admin"], "Used frame was new after all"
    )
    assert adjustment.kind is MemoKind.ADJUSTMENT
    assert adjustment.original_memo_id == credited.id
    assert adjustment.amount == Decimal("12.00")
    assert sum(line.amount for line in adjustment.lines) == Decimal("12.00")
    assert adjustment.number != credited.number and adjustment.number.startswith("CM-")
    assert credited.amount == Decimal("188.66")  # the original stays as issued
    entry = db_session.scalar(
        select(LedgerEntry).where(LedgerEntry.credit_memo_id == adjustment.id)
    )
    assert entry.amount == Decimal("12.00")
    assert _balance(db_session, shop["account"]) == Decimal("200.66")
    (event,) = _events(db_session, awaiting, "adjustment_issued")
    assert event.comment == "Used frame was new after all"
    assert event.data["label"] == f"Credit adjustment {adjustment.number} issued"
    assert sum(line.credit for line in awaiting.lines) == Decimal("200.66")


def test_no_difference_writes_nothing(db_session, shop, awaiting, credited):
    assert documents.issue_adjustment(db_session, awaiting, shop["admin"], "Check") is None
    count = db_session.scalar(select(func.count()).where(CreditMemo.rma_id == awaiting.id))
    assert count == 1
    assert _events(db_session, awaiting, "adjustment_issued") == []


def test_a_second_adjustment_credits_only_the_new_difference(db_session, shop, awaiting, credited):
    regrade_used_as_new(db_session, awaiting)
    documents.issue_adjustment(db_session, awaiting, shop["admin"], "Regraded")
    assert documents.issue_adjustment(db_session, awaiting, shop["admin"], "Again") is None
    assert documents.issued_total(db_session, awaiting) == Decimal("200.66")


def test_an_adjustment_needs_a_reason_and_a_memo(db_session, shop, awaiting):
    with pytest.raises(DocumentRefused, match="reason"):
        documents.issue_adjustment(db_session, awaiting, shop["admin"], "  ")
    with pytest.raises(DocumentRefused, match="no credit memo"):
        documents.issue_adjustment(db_session, awaiting, shop["admin"], "Regraded")


def test_a_reversal_cancels_the_memo_and_its_adjustments(db_session, shop, awaiting, credited):
    regrade_used_as_new(db_session, awaiting)
    documents.issue_adjustment(db_session, awaiting, shop["admin"], "Regraded")
    reversal = documents.reverse_memo(db_session, credited, shop["admin"], "Issued in error")
    assert reversal.kind is MemoKind.REVERSAL and reversal.original_memo_id == credited.id
    assert reversal.amount == Decimal("-200.66")
    assert sum(line.amount for line in reversal.lines) == Decimal("-200.66")
    assert _balance(db_session, shop["account"]) == Decimal("0.00")
    assert documents.remaining_effect(db_session, credited) == 0
    (event,) = _events(db_session, awaiting, "reversal_issued")
    assert event.comment == "Issued in error"
    with pytest.raises(DocumentRefused, match="already been reversed"):
        documents.reverse_memo(db_session, credited, shop["admin"], "Twice")
    with pytest.raises(DocumentRefused, match="reversed"):
        documents.issue_adjustment(db_session, awaiting, shop["admin"], "After reversal")


def test_an_adjustment_reversed_alone_leaves_the_memo(db_session, shop, awaiting, credited):
    regrade_used_as_new(db_session, awaiting)
    adjustment = documents.issue_adjustment(db_session, awaiting, shop["admin"], "Regraded")
    documents.reverse_memo(db_session, adjustment, shop["admin"], "Regrade was wrong")
    assert _balance(db_session, shop["account"]) == Decimal("188.66")
    reversal = documents.reverse_memo(db_session, credited, shop["admin"], "Cancel all")
    assert reversal.amount == Decimal("-188.66")  # the adjustment is not cancelled twice


def test_reversals_are_for_admins_with_a_reason_and_never_of_a_reversal(db_session, shop, credited):
    with pytest.raises(DocumentRefused, match="Only an admin"):
        documents.reverse_memo(db_session, credited, shop["rep"], "Mine")
    with pytest.raises(DocumentRefused, match="reason"):
        documents.reverse_memo(db_session, credited, shop["admin"], "")
    reversal = documents.reverse_memo(db_session, credited, shop["admin"], "Error")
    with pytest.raises(DocumentRefused, match="itself a reversal"):
        documents.reverse_memo(db_session, reversal, shop["admin"], "Undo")


def test_the_database_refuses_a_second_reversal_and_a_second_credit_memo(
    db_session, shop, awaiting, credited
):
    def memo(kind, number, original=None):
        return CreditMemo(
            number=number,
            kind=kind,
            rma_id=awaiting.id,
            account_id=awaiting.account_id,
            currency="EUR",
            amount=Decimal("-1.00"),
            original_memo_id=original,
            reason="test" if original else None,
        )

    for extra in (
        memo(MemoKind.CREDIT_MEMO, "CM-2099-000001"),
        memo(MemoKind.ADJUSTMENT, "CM-2099-000002"),  # no original, no reason
    ):
        with pytest.raises(IntegrityError), db_session.begin_nested():
            db_session.add(extra)
            db_session.flush()
    with db_session.begin_nested():
        db_session.add(memo(MemoKind.REVERSAL, "CM-2099-000003", credited.id))
    with pytest.raises(IntegrityError), db_session.begin_nested():
        db_session.add(memo(MemoKind.REVERSAL, "CM-2099-000004", credited.id))
        db_session.flush()


def _payout(amount=None) -> Payout:
    return Payout(RefundMethod.BANK_TRANSFER, "SEPA-4711", date(2026, 12, 1), amount)


def test_a_refund_records_the_payout_and_lowers_the_balance(db_session, shop, awaiting, refundable):
    refund = documents.record_refund(db_session, refundable, shop["admin"], _payout())
    assert refund.amount == Decimal("188.66")  # defaults to what is unpaid
    assert refund.number.startswith("RF-")
    assert (refund.method, refund.reference) == (RefundMethod.BANK_TRANSFER, "SEPA-4711")
    entry = db_session.scalar(select(LedgerEntry).where(LedgerEntry.refund_id == refund.id))
    assert entry.amount == Decimal("-188.66")
    assert _balance(db_session, shop["account"]) == Decimal("0.00")
    assert len(_events(db_session, awaiting, "refund_recorded")) == 1
    with pytest.raises(DocumentRefused, match="nothing left"):
        documents.record_refund(db_session, refundable, shop["admin"], _payout())


def test_a_refund_is_never_above_the_unpaid_amount(db_session, shop, refundable):
    documents.record_refund(db_session, refundable, shop["admin"], _payout(Decimal("100.00")))
    assert documents.unpaid(db_session, refundable) == Decimal("88.66")
    for amount, message in (
        (Decimal("88.67"), "more than the 88.66 EUR left unpaid"),
        (Decimal("-5"), "more than zero"),
        (Decimal("1.005"), "at most 2 decimals"),
    ):
        with pytest.raises(DocumentRefused, match=message):
            documents.record_refund(db_session, refundable, shop["admin"], _payout(amount))
    assert db_session.scalar(select(func.count()).select_from(Refund)) == 1


def test_refunds_only_for_refund_resolutions_by_admins(db_session, shop, credited):
    with pytest.raises(DocumentRefused, match="not resolved as a refund"):
        documents.record_refund(db_session, credited, shop["admin"], _payout())
    with pytest.raises(DocumentRefused, match="Only an admin"):
        documents.record_refund(db_session, credited, shop["rep"], _payout())


def test_refunds_and_new_documents_are_append_only(db_session, shop, awaiting, refundable):
    from sqlalchemy import text
    from sqlalchemy.exc import DatabaseError

    documents.record_refund(db_session, refundable, shop["admin"], _payout(Decimal("10.00")))
    regrade_used_as_new(db_session, awaiting)
    documents.issue_adjustment(db_session, awaiting, shop["admin"], "Regraded")
    for statement in (
        "UPDATE refunds SET amount = 1",
        "DELETE FROM refunds",
        "UPDATE credit_memos SET reason = 'edited'",
        "DELETE FROM ledger_entries",
    ):
        with pytest.raises(DatabaseError, match="append-only"), db_session.begin_nested():
            db_session.execute(text(statement))
