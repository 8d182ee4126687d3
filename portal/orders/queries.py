"""Order history reads, always for one account already loaded through ``portal.scope``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from models import Lifecycle, Order, OrderLine, Product, RetailerAccount
from portal.pagination import Page, paginate
from portal.search import matches_text


@dataclass(frozen=True)
class OrderHistoryFilter:
    text: str = ""
    brand: str = ""
    lifecycle: Lifecycle | None = None
    invoiced_from: date | None = None
    invoiced_to: date | None = None


def order_history(
    session: Session,
    account: RetailerAccount,
    filters: OrderHistoryFilter,
    page: int,
    per_page: int,
) -> Page:
    """One page of the account's invoiced lines, newest first, with product and invoice."""
    query = _history_query(account, filters)
    return paginate(session, query, page, per_page)


def _history_query(account: RetailerAccount, filters: OrderHistoryFilter) -> Select:
    query = (
        select(OrderLine, Order, Product)
        .join(Order, OrderLine.order_id == Order.id)
        .join(Product, OrderLine.product_id == Product.id)
        .where(Order.account_id == account.id)
        .order_by(Order.invoice_date.desc(), Order.invoice_number.desc(), OrderLine.line_number)
    )
    if filters.text:
        query = query.where(
            matches_text(
                filters.text, Product.sku, Product.brand, Product.model, Order.invoice_number
            )
        )
    if filters.brand:
        query = query.where(Product.brand == filters.brand)
    if filters.lifecycle:
        query = query.where(Product.lifecycle == filters.lifecycle)
    if filters.invoiced_from:
        query = query.where(Order.invoice_date >= filters.invoiced_from)
    if filters.invoiced_to:
        query = query.where(Order.invoice_date <= filters.invoiced_to)
    return query


def brands_bought(session: Session, account: RetailerAccount) -> list[str]:
    return list(
        session.scalars(
            select(Product.brand)
            .join(OrderLine, OrderLine.product_id == Product.id)
            .join(Order, OrderLine.order_id == Order.id)
            .where(Order.account_id == account.id)
            .distinct()
            .order_by(Product.brand)
        )
    )
