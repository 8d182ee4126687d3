"""Gap-free document numbers and one-winner documents under concurrency, on PostgreSQL.

Numbers come from a counter row that each transaction locks until it commits (or rolls
back): concurrent issuers take numbers one after the other, and a number taken by a
transaction that rolls back is handed to the next one, so the issued numbers have no gap.
SQLite serialises writers, so these races only mean something on PostgreSQL.
"""

from __future__ import annotations

import threading
import time
import traceback
from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from models import CreditMemo, MemoKind, Refund, Rma
from portal.rmas.numbering import next_number
from tests.security.test_races import THREADS, _clients, _race, pg  # noqa: F401

pytestmark = pytest.mark.postgres_only

TRIALS = 20
NOW = datetime(2026, 12, 6, tzinfo=UTC)


def _issue_numbers(sessions, prefix: str, rolls_back: int) -> list[tuple[int, str]]:
    """THREADS transactions take a number at once; number ``rolls_back`` of them rolls back
    after holding its number a moment. Returns (thread, number) of those that committed."""
    barrier = threading.Barrier(THREADS)
    committed: list[tuple[int, str]] = []
    errors: list[str] = []

    def issue(index: int) -> None:
        try:
            with sessions() as session:
                barrier.wait()
                number = next_number(session, prefix, NOW)
                time.sleep(0.01)  # hold the counter while the others queue behind it
                if index == rolls_back:
                    session.rollback()
                    return
                session.commit()
                committed.append((index, number))
        except Exception:
            errors.append(traceback.format_exc())

    threads = [threading.Thread(target=issue, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == [], errors[0]
    return committed


def test_concurrent_numbers_are_consecutive_even_after_a_rollback(committed_sessions):
    for trial in range(TRIALS):
        prefix = f"T{trial}"
        committed = _issue_numbers(committed_sessions, prefix, rolls_back=trial % THREADS)
        numbers = sorted(int(number.rsplit("-", 1)[1]) for _index, number in committed)
        assert numbers == list(range(1, THREADS)), numbers  # no gap, no repeat
        with committed_sessions() as session:
            # The next number follows on: the rolled-back one was reused, not skipped.
            assert next_number(session, prefix, NOW) == f"{prefix}-2026-{THREADS:06d}"
            session.rollback()


def test_concurrent_reversals_of_one_memo_write_one(pg):  # noqa: F811
    app, sessions, ids, _shop = pg
    with sessions() as session:
        memo = session.scalar(select(CreditMemo).where(CreditMemo.kind == MemoKind.CREDIT_MEMO))
        number, memo_id = memo.number, memo.id
    results = _race(
        _clients(app, ids["admin"]), f"/credits/memos/{number}/reverse", {"reason": "Error"}
    )
    statuses = sorted(status for status, _body in results)
    assert statuses.count(303) == 1, statuses
    losers = [body for status, body in results if status != 303]
    assert all(f"{number} has already been reversed" in body for body in losers)
    with sessions() as session:
        count = session.scalar(select(func.count()).where(CreditMemo.original_memo_id == memo_id))
        assert count == 1


def test_concurrent_refunds_never_pay_out_more_than_the_memo(pg):  # noqa: F811
    app, sessions, ids, _shop = pg
    with sessions() as session:
        memo = session.scalar(select(CreditMemo).where(CreditMemo.kind == MemoKind.CREDIT_MEMO))
        session.get(Rma, memo.rma_id).resolution = "refund"
        number, amount = memo.number, memo.amount
        session.commit()
    data = {"method": "bank_transfer", "reference": "SEPA-1", "paid_on": "2026-12-01"}
    results = _race(_clients(app, ids["admin"]), f"/credits/memos/{number}/refund", data)
    statuses = sorted(status for status, _body in results)
    assert statuses == [303] + [422] * (THREADS - 1), statuses
    with sessions() as session:
        paid = session.scalar(select(func.sum(Refund.amount)))
        numbers = session.scalars(select(Refund.number)).all()
    assert paid == amount and len(numbers) == 1
