"""Receipts with an over-receipt and corrections, pressed by eight clients at once on
PostgreSQL (the harness of ``tests/security/test_races.py``): exactly one outcome."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from models import RmaEvent, RmaLine, User
from portal.warehouse.operations import UnconfirmedReceipt, receive
from tests.security.test_races import (  # noqa: F401 (the pg fixture)
    TRIALS,
    _clients,
    _count,
    _new_rma,
    _one_winner,
    _race,
    pg,
)

pytestmark = pytest.mark.postgres_only


def _received_over(session, rma, staff) -> None:
    """4 authorised AUR-1 arrived as 23, confirmed; 3 VEL-2 as authorised."""
    counts = {rma.lines[0].id: 23, rma.lines[1].id: 3}
    try:
        receive(session, rma, staff, counts)
    except UnconfirmedReceipt as asked:
        receive(session, rma, staff, counts, confirmation=asked.signature)


def test_concurrent_confirmed_over_receipts_record_once(pg):  # noqa: F811 (imported fixture)
    app, sessions, ids, shop = pg
    clients = _clients(app, ids["warehouse"])
    for _trial in range(TRIALS // 5):
        with sessions() as session:
            rma = _new_rma(session, shop, "awaiting_receipt")
            first, second = rma.lines
            number, rma_id = rma.number, rma.id
            data = {
                "lines-0-line_id": str(first.id),
                "lines-0-quantity": "6",
                "lines-1-line_id": str(second.id),
                "lines-1-quantity": "3",
                "confirm": f"over={first.id}:6;unexpected=",
            }
            session.commit()
        results = _race(clients, f"/warehouse/rmas/{number}/receive", data)
        for body in _one_winner(results, losers=(409, 422)):
            assert f"{number} was changed by someone else" in body or "is received now" in body
        with sessions() as session:
            assert _count(session, RmaEvent.rma_id == rma_id, RmaEvent.trigger == "receive") == 1
            assert session.get(RmaLine, first.id).quantity_received == 6


def test_concurrent_corrections_make_one(pg):  # noqa: F811 (the imported fixture)
    app, sessions, ids, shop = pg
    clients = _clients(app, ids["warehouse"])
    for _trial in range(TRIALS):
        with sessions() as session:
            rma = _new_rma(session, shop, "awaiting_receipt")
            _received_over(session, rma, session.get(User, ids["warehouse"]))
            line_id, number, rma_id = rma.lines[0].id, rma.number, rma.id
            session.commit()
        data = {
            f"correct-{line_id}-quantity": "3",
            f"correct-{line_id}-reason": "Typed 23 for 3",
        }
        results = _race(clients, f"/warehouse/rmas/{number}/lines/{line_id}/correct", data)
        for body in _one_winner(results, losers=(409, 422)):
            assert f"{number} was changed by someone else" in body or (
                "3 received is already recorded" in body
            ), body
        with sessions() as session:
            corrections = session.scalars(
                select(RmaEvent).where(
                    RmaEvent.rma_id == rma_id, RmaEvent.trigger == "correct_receipt"
                )
            ).all()
            assert [e.data["received"] for e in corrections] == [{"from": 23, "to": 3}]
            assert session.get(RmaLine, line_id).quantity_received == 3
