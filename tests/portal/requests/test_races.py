"""Concurrent submits on PostgreSQL: a double click submits once, and two drafts cannot
both take the last returnable units of an order line."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import NamedTuple

import pytest
from sqlalchemy import func, select

from models import Rma, RmaEvent, RmaLine, Role, User
from models.base import utcnow
from portal.requests.contents import draft_contents
from portal.requests.errors import RequestError
from portal.requests.submission import SubmitPayload, content_digest, submit_request
from tests.factories import (
    make_account,
    make_order,
    make_product,
    make_published_workflow,
    make_retailer,
    make_return_type,
    make_user,
)

pytestmark = pytest.mark.postgres_only

TRIALS = 5


class Drafts(NamedTuple):
    retailer_id: int
    account_id: int
    numbers: list[str]


def _setup(
    session,
    drafts: int,
    bought: tuple[int, str] = (4, "25.00"),
    returned: int = 4,
    policy: dict | None = None,
) -> Drafts:
    """``drafts`` drafts of one retailer, each returning ``returned`` of one order line
    (``bought``: quantity and unit price, invoiced 100 days ago), committed."""
    rep = make_user(session, Role.SALES_REP)
    account = make_account(session, sales_rep=rep)
    retailer = make_retailer(session, account)
    order = make_order(
        session,
        account,
        [(make_product(session), *bought)],
        invoice_date=utcnow().date() - timedelta(days=100),
    )
    version = make_published_workflow(session)
    rtype = make_return_type(
        session, version.workflow_id, resolutions=["credit"], policy=policy or {}
    )
    numbers = []
    for n in range(drafts):
        rma = Rma(
            number=f"RMA-RACE-{n}-{retailer.id}",
            account_id=account.id,
            return_type_id=rtype.id,
            workflow_version_id=version.id,
            state="draft",
            currency="EUR",
        )
        session.add(rma)
        session.flush()
        session.add(
            RmaLine(
                rma_id=rma.id,
                order_line_id=order.lines[0].id,
                quantity_requested=returned,
                reason="Slow seller",
                condition="new",
            )
        )
        numbers.append(rma.number)
    session.commit()
    return Drafts(retailer.id, account.id, numbers)


def _race(factory, user_id: int, jobs: list[tuple[str, str]]) -> list[str]:
    """Submit each (number, key) in its own thread at the same moment."""
    barrier = threading.Barrier(len(jobs))
    results: list[str] = []

    def run(number: str, key: str) -> None:
        with factory() as session:
            rma = session.scalar(select(Rma).where(Rma.number == number))
            actor = session.get(User, user_id)
            digest = content_digest(rma, draft_contents(session, rma))
            payload = SubmitPayload(number, "credit", digest)
            barrier.wait()
            try:
                submit_request(
                    session,
                    actor,
                    rma,
                    key=key,
                    payload=payload,
                    today=utcnow().date(),
                    now=utcnow(),
                )
                session.commit()
                results.append("submitted")
            except RequestError as error:
                session.rollback()
                results.append(str(error))

    threads = [threading.Thread(target=run, args=job) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_a_double_click_submits_once(committed_sessions):
    for trial in range(TRIALS):
        with committed_sessions() as session:
            user_id, _, (number,) = _setup(session, 1)
        key = f"double-click-key-{trial:04d}"
        results = _race(committed_sessions, user_id, [(number, key), (number, key)])
        assert results == ["submitted", "submitted"]  # the second finds the first's RMA
        with committed_sessions() as session:
            rma = session.scalar(select(Rma).where(Rma.number == number))
            events = session.scalar(select(func.count()).where(RmaEvent.rma_id == rma.id))
            assert events == 1 and rma.idempotency_key == key


def test_two_drafts_cannot_both_take_the_last_units(committed_sessions):
    for trial in range(TRIALS):
        with committed_sessions() as session:
            user_id, _, numbers = _setup(session, 2)
        jobs = [(number, f"key-{trial}-{number}") for number in numbers]
        results = _race(committed_sessions, user_id, jobs)
        assert sorted(results, key=len)[0] == "submitted"
        assert results.count("submitted") == 1, results
        refused = next(r for r in results if r != "submitted")
        assert "More than is still returnable" in refused
