"""Reads for the sales rep area, scoped to the rep's assigned accounts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Order, OrderLine, RetailerAccount, User
from portal.pagination import MAX_PER_PAGE, Page, paginate
from portal.scope import account_scope
from portal.search import matches_text

RECENT_DAYS = 90


@dataclass(frozen=True)
class AccountVolume:
    account: RetailerAccount
    recent_invoices: int
    recent_units: int
    recent_value: Decimal


def assigned_accounts_with_volume(
    session: Session,
    rep: User,
    text: str = "",
    page: int = 1,
    per_page: int = MAX_PER_PAGE,
    *,
    today: date | None = None,
    volumes: Volumes | None = None,
) -> Page:
    """A page of the rep's accounts (by name; ``text`` in the name or number), each with
    invoices, units and net value over the last 90 days (``AccountVolume`` items).

    ``volumes`` replaces ``recent_volumes`` (e.g. with a cache of it)."""
    today = today or date.today()
    figures = (volumes or recent_volumes)(session, rep, today)
    query = select(RetailerAccount).where(account_scope(rep))
    if text:
        query = query.where(matches_text(text, RetailerAccount.name, RetailerAccount.number))
    found = paginate(
        session,
        query.order_by(RetailerAccount.name, RetailerAccount.id),
        page,
        per_page,
        count_query=query.with_only_columns(RetailerAccount.id),
    )
    return found.with_items(
        [AccountVolume(account, *figures.get(account.id, NO_VOLUME)) for account in found.items]
    )


# account id → (invoices, units, net value)
VolumeFigures = dict[int, tuple[int, int, Decimal]]
Volumes = Callable[[Session, User, date], VolumeFigures]
NO_VOLUME = (0, 0, Decimal("0.00"))


def recent_volumes(session: Session, rep: User, today: date) -> VolumeFigures:
    """Invoices, units and net value of each of the rep's accounts over RECENT_DAYS.

    Summed over the rep's accounts only (the lines of every account were summed first,
    then joined: 165 → 86 ms for 260 accounts, 67,000 lines)."""
    since = today - timedelta(days=RECENT_DAYS)
    rows = session.execute(
        select(
            Order.account_id,
            func.count(func.distinct(Order.id)),
            func.coalesce(func.sum(OrderLine.quantity), 0),
            func.coalesce(func.sum(OrderLine.quantity * OrderLine.unit_net_price), 0),
        )
        .join(OrderLine, OrderLine.order_id == Order.id)
        .join(RetailerAccount, Order.account_id == RetailerAccount.id)
        .where(Order.invoice_date >= since, account_scope(rep))
        .group_by(Order.account_id)
    )
    return {
        account_id: (invoices, units, Decimal(value).quantize(Decimal("0.01")))
        for account_id, invoices, units, value in rows
    }
