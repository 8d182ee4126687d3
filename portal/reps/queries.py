"""Reads for the sales rep area, scoped to the rep's assigned accounts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Order, OrderLine, RetailerAccount, User
from portal.scope import account_scope

RECENT_DAYS = 90


@dataclass(frozen=True)
class AccountVolume:
    account: RetailerAccount
    recent_invoices: int
    recent_units: int
    recent_value: Decimal


def assigned_accounts_with_volume(
    session: Session, rep: User, today: date | None = None
) -> list[AccountVolume]:
    """The rep's accounts with invoices, units and net value over the last 90 days."""
    since = (today or date.today()) - timedelta(days=RECENT_DAYS)
    volume = (
        select(
            Order.account_id.label("account_id"),
            func.count(func.distinct(Order.id)).label("invoices"),
            func.coalesce(func.sum(OrderLine.quantity), 0).label("units"),
            func.coalesce(func.sum(OrderLine.quantity * OrderLine.unit_net_price), 0).label(
                "value"
            ),
        )
        .join(OrderLine, OrderLine.order_id == Order.id)
        .where(Order.invoice_date >= since)
        .group_by(Order.account_id)
        .subquery()
    )
    rows = session.execute(
        select(RetailerAccount, volume.c.invoices, volume.c.units, volume.c.value)
        .outerjoin(volume, volume.c.account_id == RetailerAccount.id)
        .where(account_scope(rep))
        .order_by(RetailerAccount.name)
    ).all()
    return [
        AccountVolume(
            account, invoices or 0, units or 0, Decimal(value or 0).quantize(Decimal("0.01"))
        )
        for account, invoices, units, value in rows
    ]
