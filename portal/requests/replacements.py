"""Reads for the replacement order of a rotation: what is in stock, and what to suggest.

A replacement product must be active and have new-grade stock on hand. Suggestions are
the best sellers of the returned brands (units invoiced in the last 12 months, all
accounts) and the other sizes and colours of the returned models.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from flask import g, has_app_context
from sqlalchemy import ColumnElement, Select, and_, func, or_, select
from sqlalchemy.orm import Session

from models import Grade, InventoryLevel, Lifecycle, Order, OrderLine, Product
from portal.search import matches_text

BEST_SELLER_DAYS = 365
SUGGESTION_LIMIT = 8
PER_GROUP = 2  # suggestions per brand (best sellers) or per model (variants)
SEARCH_LIMIT = 20


@dataclass(frozen=True)
class Offer:
    """A product that may be ordered, with its new-grade stock (and units sold, if known)."""

    product: Product
    available: int
    units_sold: int = 0


def _new_stock_of(product_id) -> ColumnElement[bool]:
    return and_(
        InventoryLevel.product_id == product_id,
        InventoryLevel.grade == Grade.NEW,
        InventoryLevel.quantity > 0,
    )


def new_stock(session: Session, product_ids: Iterable[int]) -> dict[int, int]:
    """New-grade units on hand per product, across warehouses (products with none left out)."""
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(InventoryLevel.product_id, func.sum(InventoryLevel.quantity))
        .where(_new_stock_of(InventoryLevel.product_id), InventoryLevel.product_id.in_(ids))
        .group_by(InventoryLevel.product_id)
    )
    return {product_id: int(available) for product_id, available in rows}


def _offers(*columns) -> Select:
    """Active products with their new stock; the join keeps only those with some. Grouping
    by the primary key lets the product's other columns be selected (PostgreSQL, SQLite)."""
    return (
        select(Product, func.sum(InventoryLevel.quantity), *columns)
        .join(InventoryLevel, _new_stock_of(Product.id))
        .where(Product.lifecycle == Lifecycle.ACTIVE)
        .group_by(Product.id, *columns)
    )


def orderable(session: Session, product_ids: Iterable[int]) -> dict[int, Offer]:
    """Those of ``product_ids`` that may be ordered now (active, in stock)."""
    ids = sorted(set(product_ids))
    if not ids:
        return {}
    rows = session.execute(_offers().where(Product.id.in_(ids)))
    return {product.id: Offer(product, int(available)) for product, available in rows}


def search_offers(session: Session, text: str, limit: int = SEARCH_LIMIT) -> list[Offer]:
    """Orderable products matching ``text`` (SKU, brand or model)."""
    if not text.strip():
        return []
    rows = session.execute(
        _offers()
        .where(matches_text(text, Product.sku, Product.brand, Product.model))
        .order_by(Product.brand, Product.model, Product.sku)
        .limit(limit)
    )
    return [Offer(product, int(available)) for product, available in rows]


def best_sellers(
    session: Session, brands: Iterable[str], today: date, limit: int = SUGGESTION_LIMIT
) -> list[Offer]:
    """The orderable best sellers of ``brands``: one aggregate query, memoised per request."""
    brands = tuple(sorted(set(brands)))
    if not brands:
        return []
    key = ("requests.best_sellers", brands, today, limit)
    memo = g.setdefault("request_memo", {}) if has_app_context() else {}
    if key not in memo:
        memo[key] = _best_sellers(session, brands, today, limit)
    return memo[key]


def _best_sellers(session: Session, brands: tuple[str, ...], today: date, limit: int):
    since = today - timedelta(days=BEST_SELLER_DAYS)
    # The brand filter sits inside the aggregate: only the returned brands' lines are summed.
    sold = (
        select(
            OrderLine.product_id.label("product_id"), func.sum(OrderLine.quantity).label("units")
        )
        .join(Order, OrderLine.order_id == Order.id)
        .join(Product, OrderLine.product_id == Product.id)
        .where(
            Order.invoice_date > since,
            Order.invoice_date <= today,
            Product.brand.in_(brands),
            Product.lifecycle == Lifecycle.ACTIVE,
        )
        .group_by(OrderLine.product_id)
        .subquery()
    )
    rows = session.execute(
        _offers(sold.c.units)
        .join(sold, sold.c.product_id == Product.id)
        .order_by(sold.c.units.desc(), Product.sku)
        .limit(limit * len(brands))
    )
    offers = [Offer(product, int(available), int(units)) for product, available, units in rows]
    return spread(offers, lambda offer: offer.product.brand, limit)


def variants(
    session: Session, returned: Iterable[Product], limit: int = SUGGESTION_LIMIT
) -> list[Offer]:
    """Other sizes and colours of the returned models that may be ordered."""
    returned = list(returned)
    models = sorted({(p.brand, p.model) for p in returned})
    if not models:
        return []
    rows = session.execute(
        _offers()
        .where(
            or_(*(and_(Product.brand == brand, Product.model == model) for brand, model in models)),
            Product.id.not_in([p.id for p in returned]),
        )
        .order_by(Product.brand, Product.model, Product.colour, Product.eye_size)
        .limit(limit * len(models))
    )
    offers = [Offer(product, int(available)) for product, available in rows]
    return spread(offers, lambda offer: (offer.product.brand, offer.product.model), limit)


def spread(offers: list[Offer], group, limit: int) -> list[Offer]:
    """At most ``PER_GROUP`` offers of each group first, in order, so that one brand (or
    model) does not fill the list; then the rest, up to ``limit``."""
    seen: Counter = Counter()
    first, rest = [], []
    for offer in offers:
        key = group(offer)
        (first if seen[key] < PER_GROUP else rest).append(offer)
        seen[key] += 1
    return (first + rest)[:limit]


def unused(offers: Iterable[Offer], taken: Iterable[int]) -> list[Offer]:
    """``offers`` without the products already on the order."""
    taken = set(taken)
    return [offer for offer in offers if offer.product.id not in taken]
