"""Concurrent fires on one RMA: exactly one wins (PostgreSQL, real threads and connections)."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from models import Rma, RmaEvent, Role
from tests.factories import make_account, make_published_workflow, make_rma, make_user
from workflow_designer.runtime.firing import TransitionConflict, TransitionRefused, fire

THREADS = 8
TRIALS = 20

pytestmark = pytest.mark.postgres_only


def _race(factory, rma_id: int, actor_id: int) -> list[str]:
    barrier = threading.Barrier(THREADS)
    results: list[str] = []
    lock = threading.Lock()

    def approve() -> None:
        from models import User

        with factory() as session:
            rma = session.get(Rma, rma_id)
            actor = session.get(User, actor_id)
            _ = rma.account.sales_rep_id  # loaded before the race starts
            barrier.wait()
            try:
                fire(session, rma, "approve", actor, comment="approved")
                session.commit()
                outcome = "won"
            except (TransitionConflict, TransitionRefused) as error:
                session.rollback()
                outcome = type(error).__name__
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=approve) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_concurrent_approvals_have_exactly_one_winner(committed_sessions):
    with committed_sessions() as session:
        rep = make_user(session, Role.SALES_REP)
        account = make_account(session, sales_rep=rep)
        version = make_published_workflow(session)
        rmas = [
            make_rma(
                session,
                account,
                version,
                state="rep_review",
                approval_step=1,
                total_value=Decimal("100"),
            )
            for _ in range(TRIALS)
        ]
        session.commit()
        rep_id, rma_ids = rep.id, [r.id for r in rmas]

    for rma_id in rma_ids:
        results = _race(committed_sessions, rma_id, rep_id)
        assert len(results) == THREADS
        assert results.count("won") == 1, results
        assert set(results) <= {"won", "TransitionConflict"}, results

    with committed_sessions() as session:
        events = session.execute(
            select(RmaEvent.rma_id, func.count()).group_by(RmaEvent.rma_id)
        ).all()
        assert sorted(count for _, count in events) == [1] * TRIALS
        states = session.scalars(select(Rma.state).where(Rma.id.in_(rma_ids))).all()
        assert set(states) == {"authorized"}
