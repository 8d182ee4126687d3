"""Reads of replacement orders for the admin's list (admins see every account's)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, contains_eager

from models import (
    ReplacementLine,
    ReplacementOrder,
    ReplacementOrderStatus,
    RetailerAccount,
    Rma,
)
from portal.pagination import Page, paginate
from portal.search import matches_text
from workflow_designer.policy.money import round_money


@dataclass(frozen=True)
class OrderFilter:
    status: ReplacementOrderStatus | None = ReplacementOrderStatus.TO_FULFIL
    account: str = ""  # number or name, "contains"


@dataclass(frozen=True)
class OrderRow:
    order: ReplacementOrder  # ``order.rma`` and ``order.account`` are loaded with it
    units: int
    amount: Decimal


def replacement_orders_page(
    session: Session, filters: OrderFilter, page: int, per_page: int
) -> Page:
    """Replacement orders with the units and value of their lines. Orders still to fulfil
    come oldest first (the order to ship them in); otherwise the newest come first."""
    totals = (
        select(
            ReplacementLine.rma_id.label("rma_id"),
            func.sum(ReplacementLine.quantity).label("units"),
            func.sum(ReplacementLine.quantity * ReplacementLine.unit_price).label("amount"),
        )
        .group_by(ReplacementLine.rma_id)
        .subquery()
    )
    oldest_first = filters.status is ReplacementOrderStatus.TO_FULFIL
    query = (
        select(ReplacementOrder, totals.c.units, totals.c.amount)
        .join(Rma, ReplacementOrder.rma_id == Rma.id)
        .join(RetailerAccount, ReplacementOrder.account_id == RetailerAccount.id)
        .outerjoin(totals, totals.c.rma_id == ReplacementOrder.rma_id)
        .options(contains_eager(ReplacementOrder.rma), contains_eager(ReplacementOrder.account))
        .order_by(
            *(
                (ReplacementOrder.created_at, ReplacementOrder.id)
                if oldest_first
                else (ReplacementOrder.created_at.desc(), ReplacementOrder.id.desc())
            )
        )
    )
    if filters.status is not None:
        query = query.where(ReplacementOrder.status == filters.status)
    if filters.account:
        query = query.where(
            matches_text(filters.account, RetailerAccount.number, RetailerAccount.name)
        )
    result = paginate(session, query, page, per_page)
    items = [_row(order, units, amount) for order, units, amount in result.items]
    return result.with_items(items)


def _row(order: ReplacementOrder, units: int | None, amount) -> OrderRow:
    # SQLite sums in binary floating point: back to the currency's minor unit.
    value = round_money(Decimal(str(amount or 0)), order.rma.currency)
    return OrderRow(order=order, units=units or 0, amount=value)


def orders_to_fulfil_count(session: Session) -> int:
    return session.execute(
        select(func.count(ReplacementOrder.id)).where(
            ReplacementOrder.status == ReplacementOrderStatus.TO_FULFIL
        )
    ).scalar_one()
