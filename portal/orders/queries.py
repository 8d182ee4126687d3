"""Order history reads, always for one account already loaded through ``portal.scope``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, Select, false, or_, select
from sqlalchemy.orm import Session

from models import Lifecycle, Order, OrderLine, Product, RetailerAccount
from models.sql import one_of, one_of_many
from portal.caching import app_cache
from portal.pagination import COUNT_LIMIT, Page, paginate
from portal.search import matches_indexed_text, matches_text

# Up to FEW_MATCHES products or invoices matching a search are read by their ids; up to
# MANY_MATCHES, the account's lines are read in order and tested against them instead.
FEW_MATCHES = 200
MANY_MATCHES = 5000
# A search counts its matches up to this many past the page ("of more than 200"): for a
# brand, counting to 1,000 meant testing several thousand lines (4.7 ms of 20).
SEARCH_COUNT_LIMIT = 200


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
    brands: Sequence[str] | None = None,
) -> Page:
    """One page of the account's invoiced lines, newest first, with product and invoice.

    ``brands``: the catalog's brands (``catalog_brands``), if the caller keeps them."""
    query = (
        select(OrderLine, Order, Product)
        .join(Order, OrderLine.order_id == Order.id)
        .join(Product, OrderLine.product_id == Product.id)
        .order_by(Order.invoice_date.desc(), Order.invoice_number.desc(), OrderLine.line_number)
    )
    # Counted without the product unless a filter reads it: 0.4 ms for 1,000 lines from
    # the indexes alone, 1.6 ms with a product lookup per line.
    count = select(OrderLine.id).join(Order, OrderLine.order_id == Order.id)
    if filters.brand or filters.lifecycle:
        count = count.join(Product, OrderLine.product_id == Product.id)
    conditions = _conditions(session, account, filters, brands)
    return paginate(
        session,
        query.where(*conditions),
        page,
        per_page,
        count_query=count.where(*conditions),
        count_limit=SEARCH_COUNT_LIMIT if filters.text else COUNT_LIMIT,
    )


def _conditions(
    session: Session,
    account: RetailerAccount,
    filters: OrderHistoryFilter,
    brands: Sequence[str] | None,
) -> list[ColumnElement[bool]]:
    conditions = [Order.account_id == account.id]
    if filters.text:
        if brands is None:
            brands = catalog_brands(session)
        conditions.append(_lines_matching(session, account, filters.text, brands))
    if filters.brand:
        conditions.append(Product.brand == filters.brand)
    if filters.lifecycle:
        conditions.append(Product.lifecycle == filters.lifecycle)
    if filters.invoiced_from:
        conditions.append(Order.invoice_date >= filters.invoiced_from)
    if filters.invoiced_to:
        conditions.append(Order.invoice_date <= filters.invoiced_to)
    return conditions


def _lines_matching(
    session: Session, account: RetailerAccount, text: str, brands: Sequence[str]
) -> ColumnElement:
    """Lines whose product's SKU, brand or model, or whose invoice number, contains ``text``.

    The matching products and the account's matching invoices are looked up first. When
    they are few, their lines are read through the product and order indexes: 1.5 ms,
    where testing each of the busiest account's 16,000 lines took 25 ms. When they are
    many (a brand: 2,700 products, 90,000 lines of all accounts), reading by product is
    the slow way; see ``_matching``.

    SKU and model are matched through a trigram index. The brand is matched against the
    catalog's few ``brands`` here, then looked up by name: the trigram index found a
    brand's 2,700 products too, but checking each one's brand again took 3.8 ms, the
    name lookup 1.1.
    """
    wanted = text.casefold()
    named = [brand for brand in brands if wanted in brand.casefold()]
    in_text = matches_indexed_text(text, Product.sku, Product.model)
    products = select(Product.id).where(
        or_(Product.brand.in_(named), in_text) if named else in_text
    )
    invoices = select(Order.id).where(
        Order.account_id == account.id, matches_text(text, Order.invoice_number)
    )
    # An empty side is left out: "OR order_id = ANY('{}')" kept PostgreSQL from counting
    # a model's lines from the product index alone (2.9 ms, against 0.9).
    sides = [
        _matching(session, OrderLine.product_id, products),
        _matching(session, OrderLine.order_id, invoices),
    ]
    return or_(false(), *(side for side in sides if side is not None))


def _matching(session: Session, column, ids: Select) -> ColumnElement[bool] | None:
    """``column`` is one of the ids ``ids`` selects.

    Few ids: read through the column's index. More (a brand: 2,700 products, 90,000 lines
    of all accounts): ``column + 0``, which keeps PostgreSQL off that index and from a
    scan of all 2,000,000 lines (67–185 ms, either way), so it walks the account's lines
    newest first, testing each against the hashed ids, and stops when the page is full
    (counting 1,000 of them: 6 ms). Beyond MANY_MATCHES (a letter or two) the ids are not
    worth fetching: the query itself is the test. None when nothing matches.
    """
    found = session.scalars(ids.limit(MANY_MATCHES + 1)).all()
    if not found:
        return None
    if len(found) <= FEW_MATCHES:
        return one_of(session, column, found)
    if len(found) <= MANY_MATCHES:
        return one_of_many(session, column + 0, found)
    return (column + 0).in_(ids)


def catalog_brands(session: Session) -> list[str]:
    """Every brand of the catalog (a handful: the index on brand and model answers)."""
    return list(session.scalars(select(Product.brand).distinct().order_by(Product.brand)))


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


# The brand menu lists the brands an account bought: a pass over all its invoice lines
# (10–14 ms for 16,000 lines) for a list only an import changes. Kept a few minutes, as
# is the catalog's list of brands that a search matches its text against.
BRANDS_TTL = 300.0


def recent_brands_bought(session: Session, account: RetailerAccount) -> list[str]:
    """``brands_bought``, as read at most ``BRANDS_TTL`` seconds ago in this process."""
    return app_cache("brands_bought", BRANDS_TTL).get(
        account.id, lambda: brands_bought(session, account)
    )


def searched_brands(session: Session, filters: OrderHistoryFilter) -> list[str] | None:
    """The catalog's brands a search matches its text against; None without a search."""
    if not filters.text:
        return None
    return app_cache("catalog_brands", BRANDS_TTL).get(None, lambda: catalog_brands(session))
