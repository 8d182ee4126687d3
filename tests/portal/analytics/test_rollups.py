"""Every rollup equals a plain GROUP BY over the facts: after a full rebuild, and again
after facts are added and changed (an ERP import that adds an invoice and corrects a
line, an RMA submitted, another cancelled) and the incremental refresh that follows."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from models import Rma, RollupWatermark
from models.base import utcnow
from portal.analytics.facts import purchase_facts, return_facts
from portal.analytics.refresh import LOOK_BACK, ROLLUPS, WATERMARK, refresh_rollups
from portal.db import get_database
from portal.erp.importing import import_csv
from portal.notifications.worker import RetryPolicy, Worker
from tests.portal.analytics import dataset


def stored(session, rollup) -> set[tuple]:
    table = rollup.model.__table__
    columns = [table.c[key] for key in rollup.keys]
    rows = session.execute(select(*columns, table.c.units, table.c.value))
    return {_normal(row) for row in rows}


def from_facts(session, rollup) -> set[tuple]:
    returns = rollup.model.__tablename__.endswith("returns")
    facts = (return_facts if returns else purchase_facts)().subquery()
    keys = [facts.c[key] for key in rollup.keys]
    query = select(*keys, func.sum(facts.c.units), func.sum(facts.c.value)).group_by(*keys)
    return {_normal(row) for row in session.execute(query)}


def _normal(row) -> tuple:
    *keys, units, value = row
    return (*keys, int(units), Decimal(value).quantize(Decimal("0.0001")))


def assert_rollups_equal_facts(session) -> None:
    for rollup in ROLLUPS:
        expected = from_facts(session, rollup)
        assert expected, rollup.model.__tablename__
        assert stored(session, rollup) == expected, rollup.model.__tablename__


HEADER = (
    "invoice_number,account_number,invoice_date,currency,line_number,sku,quantity,unit_net_price"
)
ORDERS = (
    HEADER
    + """
{invoice},B-200,2026-03-05,EUR,1,BRIO-3,7,31.5000
{invoice},B-200,2026-03-05,EUR,2,ARIA-1,1,19.9900
"""
)


def test_rollups_equal_the_facts_after_full_and_incremental_refreshes(db_session):
    data = dataset.build(db_session)
    first = refresh_rollups(db_session, utcnow())
    assert first.full  # no watermark yet: the first refresh sums everything
    assert_rollups_equal_facts(db_session)

    # An import adds an invoice for B and corrects a line of A's (quantity 10 → 12).
    a_invoice = data.lines["a_p1"].order.invoice_number
    text = ORDERS.format(invoice="INV-NEW-1") + (
        f"{a_invoice},A-100,2026-01-01,EUR,1,ARIA-1,12,20.0000\n"
    )
    result = import_csv(db_session, "orders", io.StringIO(text))
    assert not result.errors, result.errors
    # C's RMA is cancelled; A's draft is submitted.
    rmas = db_session.scalars(select(Rma).order_by(Rma.id)).all()
    c_rma = next(r for r in rmas if r.account_id == data.accounts["C"].id)
    c_rma.state = "cancelled"
    draft = next(r for r in rmas if r.submitted_at is None)
    draft.state, draft.submitted_at = "authorized", utcnow()
    db_session.flush()

    second = refresh_rollups(db_session, utcnow())
    assert not second.full and second.accounts == 3  # A, B and C, nothing else
    assert_rollups_equal_facts(db_session)


def test_a_refresh_with_nothing_changed_recomputes_nothing(db_session):
    dataset.build(db_session)
    refresh_rollups(db_session, utcnow())
    mark = db_session.get(RollupWatermark, WATERMARK)
    later = utcnow() + LOOK_BACK + timedelta(minutes=1)
    mark.changes_through = later - timedelta(seconds=1)  # as if refreshed long after
    assert refresh_rollups(db_session, later).accounts == 0
    assert_rollups_equal_facts(db_session)


def test_a_full_refresh_rebuilds_what_an_incremental_one_cannot_see(db_session):
    """A product moved to another brand changes no fact's timestamp."""
    data = dataset.build(db_session)
    refresh_rollups(db_session, utcnow())
    data.products["P3"].brand = "Aria"
    db_session.flush()
    assert refresh_rollups(db_session, utcnow(), full=True).full
    assert_rollups_equal_facts(db_session)


class NoMail:
    def close(self) -> None:
        pass


def test_the_worker_refreshes_the_rollups_when_due(app, db_session):
    data = dataset.build(db_session)
    refresh_rollups(db_session, utcnow())
    db_session.flush()
    worker = Worker(
        get_database(app).session_factory,
        NoMail(),
        None,
        RetryPolicy(),
        analytics=refresh_rollups,
        analytics_every=3600,
    )
    # An RMA of A's is rejected: A's returns go down once the worker has passed.
    rma = db_session.scalars(
        select(Rma).where(Rma.account_id == data.accounts["A"].id, Rma.state == "authorized")
    ).first()
    rma.state = "rejected"
    db_session.flush()
    result = worker.run_once()
    assert result.errors == []
    assert_rollups_equal_facts(db_session)
    rma.state = "authorized"
    db_session.flush()
    worker.run_once()  # not due again for an hour
    with pytest.raises(AssertionError):
        assert_rollups_equal_facts(db_session)


def test_the_demo_fills_the_rollups(db_session):
    from portal.demo import SCALES, load_demo

    load_demo(db_session, seed=3, scale=SCALES["tiny"])
    assert db_session.get(RollupWatermark, WATERMARK).full_refresh_at is not None
    assert_rollups_equal_facts(db_session)


def test_the_refresh_command(app, db_session):
    from portal.analytics.cli import refresh

    dataset.build(db_session)
    runner = app.test_cli_runner()
    first = runner.invoke(refresh, [])
    assert first.exit_code == 0, first.output
    assert "analytics rebuilt from every fact" in first.output  # the first is full
    again = runner.invoke(refresh, [])
    assert "analytics: 3 accounts summed again" in again.output  # written minutes ago
    assert "rebuilt" in runner.invoke(refresh, ["--full"]).output
    assert_rollups_equal_facts(db_session)
