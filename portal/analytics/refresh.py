"""Keeping the analytics rollups (``models.rollups``) equal to the facts.

A rollup is the facts (``portal.analytics.facts``) grouped by its keys; the coarser
grains are summed from the finer ones, which equals grouping the facts coarser. A refresh
recomputes whole *accounts*: every month of each account whose orders, order lines or
RMAs changed since the last refresh (their ``updated_at``). Whole accounts, not single
months, because a change can move a fact between months (an invoice date corrected by
the ERP, an RMA submitted again) and the month it left is not recorded anywhere; an
account's facts are a few thousand rows at most, so summing them again is cheap.

The watermark is the moment the last refresh began; the next one looks back a margin
further, so a transaction that stamped its rows before that moment but committed after
it is still seen. Recomputing an account twice gives the same rows (the refresh is
idempotent), so looking back too far costs time, never correctness.

Not seen by an incremental refresh (``rotaflow analytics refresh --full`` rebuilds): a
deleted order or submitted RMA (neither is deleted by the application), and a product
moved to another brand.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Select, delete, func, insert, select, text, union
from sqlalchemy.orm import Session

from models import (
    AccountPurchaseRollup,
    AccountReturnRollup,
    Base,
    BrandPurchaseRollup,
    BrandReturnRollup,
    Order,
    OrderLine,
    PurchaseRollup,
    ReturnRollup,
    Rma,
    RollupWatermark,
    TotalPurchaseRollup,
    TotalReturnRollup,
)
from portal.analytics.facts import purchase_facts, return_facts

log = logging.getLogger("rotaflow.analytics")

WATERMARK = "rollups"
# How far before the last refresh's start a refresh looks for changes: longer than any
# transaction that writes facts (a large ERP import takes about a minute).
LOOK_BACK = timedelta(minutes=15)
# Accounts recomputed per statement.
BATCH = 500


Source = Callable[[list[int] | None], Select]


@dataclass(frozen=True)
class Rollup:
    """A rollup table: its model, the rows it sums (the facts, or a finer rollup) and the
    columns it groups them by."""

    model: type[Base]
    source: Source
    keys: tuple[str, ...]
    # A full rebuild writes the rows in this order, so the rows a page reads together
    # (an account's months, a brand's months) share pages of the table.
    order: tuple[str, ...] = ("account_id", "month")

    def summed(self, account_ids: list[int] | None) -> Select:
        rows = self.source(account_ids).subquery()
        keys = [rows.c[key] for key in self.keys]
        query = select(*keys, func.sum(rows.c.units), func.sum(rows.c.value)).group_by(*keys)
        if account_ids is None:
            query = query.order_by(*(rows.c[key] for key in self.order))
        return query

    def rebuild(self, session: Session, account_ids: list[int] | None) -> None:
        """Replace the rows of ``account_ids`` (of every account: None) with fresh sums."""
        table = self.model.__table__
        clear = delete(table)
        if account_ids is not None:
            clear = clear.where(table.c.account_id.in_(account_ids))
        session.execute(clear)
        columns = [*self.keys, "units", "value"]
        session.execute(insert(table).from_select(columns, self.summed(account_ids)))


def rows_of(model: type[Base]) -> Source:
    """A finer rollup's rows (of some accounts) as the source of a coarser one."""

    def source(account_ids: list[int] | None) -> Select:
        query = select(model.__table__)
        if account_ids is not None:
            query = query.where(model.__table__.c.account_id.in_(account_ids))
        return query

    return source


RETURN_KEYS = ("return_type_id", "reason")
# Per account, finest first: each coarser rollup sums the one before it (already fresh).
ACCOUNT_ROLLUPS: tuple[Rollup, ...] = (
    Rollup(
        PurchaseRollup, purchase_facts, ("month", "account_id", "product_id", "currency", "brand")
    ),
    Rollup(
        BrandPurchaseRollup, rows_of(PurchaseRollup), ("month", "account_id", "brand", "currency")
    ),
    Rollup(
        AccountPurchaseRollup, rows_of(BrandPurchaseRollup), ("month", "account_id", "currency")
    ),
    Rollup(
        ReturnRollup,
        return_facts,
        ("month", "account_id", "product_id", *RETURN_KEYS, "currency", "brand"),
        order=("brand", "month"),  # read a brand at a time (the SKU ranking)
    ),
    Rollup(
        BrandReturnRollup,
        rows_of(ReturnRollup),
        ("month", "account_id", "brand", *RETURN_KEYS, "currency"),
    ),
    Rollup(AccountReturnRollup, rows_of(BrandReturnRollup), ("month", "account_id", "currency")),
)
# The whole distributor's, summed from the brand grain after the accounts changed: a few
# hundred thousand rows at most (about a second on the large data set).
TOTAL_ROLLUPS: tuple[Rollup, ...] = (
    Rollup(
        TotalPurchaseRollup,
        rows_of(BrandPurchaseRollup),
        ("month", "brand", "currency"),
        order=("month",),
    ),
    Rollup(
        TotalReturnRollup,
        rows_of(BrandReturnRollup),
        ("month", "brand", *RETURN_KEYS, "currency"),
        order=("month",),
    ),
)
ROLLUPS = ACCOUNT_ROLLUPS + TOTAL_ROLLUPS


@dataclass(frozen=True)
class RefreshResult:
    full: bool
    accounts: int  # accounts recomputed (0 for a full rebuild)

    def summary(self) -> str:
        if self.full:
            return "analytics rebuilt from every fact"
        return f"analytics: {self.accounts} accounts summed again"


def refresh_rollups(session: Session, now: datetime, *, full: bool = False) -> RefreshResult:
    """Bring every rollup up to date with the facts; never commits. The first refresh
    (no watermark yet) is a full one."""
    # One refresh at a time: two would delete and insert the same accounts' rows.
    mark = session.get(RollupWatermark, WATERMARK, with_for_update=True)
    if full or mark is None:
        rebuild_all(session)
        if mark is None:
            mark = RollupWatermark(name=WATERMARK, changes_through=now)
            session.add(mark)
        mark.changes_through = mark.full_refresh_at = now
        session.flush()  # the watermark is the figures' version (``keeping``): write it now
        return RefreshResult(full=True, accounts=0)
    accounts = changed_accounts(session, mark.changes_through - LOOK_BACK)
    recompute_accounts(session, accounts)
    mark.changes_through = now
    session.flush()
    return RefreshResult(full=False, accounts=len(accounts))


def rebuild_all(session: Session) -> None:
    for rollup in ROLLUPS:
        rollup.rebuild(session, None)
    if session.get_bind().dialect.name == "postgresql":
        # Fresh statistics: the planner otherwise guesses the rebuilt tables' sizes.
        session.execute(text("ANALYZE " + ", ".join(r.model.__tablename__ for r in ROLLUPS)))


def recompute_accounts(session: Session, account_ids: Iterable[int]) -> None:
    ids = sorted(set(account_ids))
    if not ids:
        return
    for start in range(0, len(ids), BATCH):
        batch = ids[start : start + BATCH]
        for rollup in ACCOUNT_ROLLUPS:
            rollup.rebuild(session, batch)
    for rollup in TOTAL_ROLLUPS:
        rollup.rebuild(session, None)


def changed_accounts(session: Session, since: datetime) -> list[int]:
    """Accounts with an order, an order line or an RMA written or changed since ``since``."""
    changed = union(
        select(Order.account_id).where(Order.updated_at >= since),
        select(Order.account_id)
        .join(OrderLine, OrderLine.order_id == Order.id)
        .where(OrderLine.updated_at >= since),
        select(Rma.account_id).where(Rma.updated_at >= since),
    )
    return list(session.scalars(changed))
