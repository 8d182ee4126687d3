"""Reads for the rotation assistant: the account's shelf, sell-through from the rollups,
the rotation policy's limits and the network's best sellers.

Sized for the large data set: the shelf reads the account's own invoices (by the
``account_id, invoice_date`` index) inside the policy's purchase window; sell-through
(every product's, network-wide and per region) and the network's best sellers are rollup
aggregates kept a few minutes per process, the same for every account.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask import has_app_context
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from models import (
    Grade,
    InventoryLevel,
    Lifecycle,
    Order,
    OrderLine,
    Product,
    PurchaseRollup,
    RetailerAccount,
    ReturnType,
)
from portal.assistant.ranking import (
    Offer,
    PriceBand,
    RotationLimits,
    SellThrough,
    ShelfLine,
    price_band,
)
from portal.caching import app_cache
from portal.requests.purchases import recent_net_purchases
from portal.requests.queries import startable_return_types
from workflow_designer.policy.money import percent_of, round_money
from workflow_designer.policy.request import AccountFacts
from workflow_designer.policy.validation import read_policy
from workflow_designer.runtime.policy_facts import load_facts, returnable_column

SALES_DAYS = 365
# Without a maximum purchase age, the shelf goes back this far.
SHELF_DAYS = 3 * 365
BEST_SELLERS = 200
BEST_SELLERS_TTL = 600.0
ROTATION_RULES = ("replacement_order", "allowance", "purchase_age")


def months_since(today: date, days: int) -> date:
    """The first day of the month ``days`` before ``today``: rollups are kept per month."""
    return (today - timedelta(days=days)).replace(day=1)


def rotation_type(session: Session) -> ReturnType | None:
    """The startable return type the assistant drafts: the first (by name) whose policy
    switches on a rotation rule (replacement order, allowance or purchase age)."""
    for return_type in startable_return_types(session):
        rules = read_policy(return_type.policy or {}).rules
        if any(name in rules for name in ROTATION_RULES):
            return return_type
    return None


def rotation_facts(
    session: Session, account: RetailerAccount, return_type: ReturnType, today: date
) -> AccountFacts:
    """The account's figures the return type's policy needs today (``load_facts``). The
    page may show net purchases read a few minutes ago, as the draft's live panel does;
    submitting reads them afresh."""
    kept = recent_net_purchases if has_app_context() else None
    policy = return_type.policy or {}
    return load_facts(session, account, return_type, policy, today, purchases=kept)


def rotation_limits(
    return_type: ReturnType, facts: AccountFacts, currency: str, today: date
) -> RotationLimits:
    """The purchase age window in days, the allowance left and the request's maximum
    units, as the return type's policy and the account's ``facts`` stand today."""
    rules = read_policy(return_type.policy or {}).rules
    low = high = max_units = None
    if (age := rules.get("purchase_age")) is not None:
        if age.params["min_days"] is not None:
            low = (today - age.params["min_days"].before(today)).days
        if age.params["max_days"] is not None:
            high = (today - age.params["max_days"].before(today)).days
    if (size := rules.get("request_size")) is not None:
        max_units = size.params["max_units"]
    left = None
    if (allowance := rules.get("allowance")) is not None:
        total = round_money(percent_of(allowance.params["percent"], facts.net_purchases), currency)
        left = max(total - facts.allowance_used, Decimal(0))
    return RotationLimits(low, high, left, max_units)


def shelf(
    session: Session, account: RetailerAccount, today: date, limits: RotationLimits
) -> list[ShelfLine]:
    """The account's frames still on its shelf: lines of products it bought on one invoice
    only (never re-ordered) within the shelf period, with units still returnable."""
    since = today - timedelta(days=limits.max_age_days or SHELF_DAYS)
    # Plain columns, not entities: the busiest account of the large data set has thousands
    # of lines in the window, and building an object per line would cost more than the read.
    rows = session.execute(
        select(
            OrderLine.id,
            OrderLine.product_id,
            Product.sku,
            Product.brand,
            Product.model,
            Product.category,
            Product.lifecycle,
            Order.invoice_date,
            returnable_column(),
            OrderLine.unit_net_price,
        )
        .join(Order, OrderLine.order_id == Order.id)
        .join(Product, OrderLine.product_id == Product.id)
        .where(
            Order.account_id == account.id,
            Order.currency == account.currency,
            Order.invoice_date >= since,
            Order.invoice_date <= today,
        )
    ).all()
    invoices: dict[int, set[date]] = {}
    for row in rows:
        invoices.setdefault(row.product_id, set()).add(row.invoice_date)
    return [
        ShelfLine(line_id, product_id, sku, brand, model, Lifecycle(lifecycle).value,
                  invoiced, int(units), price, category)
        for line_id, product_id, sku, brand, model, category, lifecycle, invoiced, units, price
        in rows
        if units > 0 and len(invoices[product_id]) == 1
    ]  # fmt: skip


@dataclass(frozen=True)
class SellThroughFigures:
    network: dict[int, SellThrough]
    region: dict[int, SellThrough]


def sell_through(
    session: Session, product_ids: list[int], region: str, today: date
) -> SellThroughFigures:
    """Units invoiced and carrying accounts per product in the last 12 months, across the
    network and in ``region``: the shelf's products' share of ``network_sell_through``."""
    wanted = set(product_ids)
    every = network_sell_through(session, today)
    network = {p: figures for p, figures in every.network.items() if p in wanted}
    in_region = every.regions.get(region, {})
    regional = {p: figures for p, figures in in_region.items() if p in wanted}
    return SellThroughFigures(network, regional)


@dataclass(frozen=True)
class NetworkSellThrough:
    network: dict[int, SellThrough]
    regions: dict[str, dict[int, SellThrough]]


def network_sell_through(session: Session, today: date) -> NetworkSellThrough:
    """Every product's sell-through over the last 12 months, network-wide and per region,
    kept ``BEST_SELLERS_TTL`` seconds per process like the best sellers: monthly figures
    that an hour's invoices barely move. Read per page from the shelf's products, the
    busiest account's thousands of products took 120 ms; this takes under a second once."""
    if not has_app_context():  # a script or a test without an app: read afresh
        return _network_sell_through(session, today)
    return app_cache("assistant_sell_through", BEST_SELLERS_TTL).get(
        today, lambda: _network_sell_through(session, today)
    )


def _network_sell_through(session: Session, today: date) -> NetworkSellThrough:
    rows = session.execute(
        select(
            PurchaseRollup.product_id,
            RetailerAccount.region,
            func.sum(PurchaseRollup.units),
            func.count(func.distinct(PurchaseRollup.account_id)),
        )
        .join(RetailerAccount, RetailerAccount.id == PurchaseRollup.account_id)
        .where(PurchaseRollup.month >= months_since(today, SALES_DAYS))
        .group_by(PurchaseRollup.product_id, RetailerAccount.region)
    )
    units: dict[int, int] = {}
    accounts: dict[int, int] = {}
    regions: dict[str, dict[int, SellThrough]] = {}
    for product_id, region, sold, buyers in rows:
        # An account is in one region: its distinct accounts add up across regions.
        units[product_id] = units.get(product_id, 0) + int(sold or 0)
        accounts[product_id] = accounts.get(product_id, 0) + int(buyers or 0)
        regions.setdefault(region, {})[product_id] = SellThrough(int(sold or 0), int(buyers or 0))
    network = {p: SellThrough(units[p], accounts[p]) for p in units}
    return NetworkSellThrough(network, regions)


def account_band(
    session: Session, account: RetailerAccount, today: date
) -> tuple[PriceBand | None, set[int]]:
    """The account's price band (see ``ranking``) and the products it bought in the last
    12 months, from its purchase rollups."""
    rows = session.execute(
        select(PurchaseRollup.product_id, Product.list_price, func.sum(PurchaseRollup.units))
        .join(Product, Product.id == PurchaseRollup.product_id)
        .where(
            PurchaseRollup.account_id == account.id,
            PurchaseRollup.month >= months_since(today, SALES_DAYS),
        )
        .group_by(PurchaseRollup.product_id, Product.list_price)
    ).all()
    band = price_band([(price, int(units or 0)) for _id, price, units in rows])
    return band, {product_id for product_id, _price, _units in rows}


def network_best_sellers(session: Session, today: date) -> list[Offer]:
    """The ``BEST_SELLERS`` active products sold most across the network in the last 12
    months that have new stock on hand, kept ``BEST_SELLERS_TTL`` seconds per process."""
    if not has_app_context():  # a script or a test without an app: read afresh
        return _best_sellers(session, today)
    return app_cache("assistant_best_sellers", BEST_SELLERS_TTL).get(
        today, lambda: _best_sellers(session, today)
    )


def _best_sellers(session: Session, today: date) -> list[Offer]:
    sold = (
        select(PurchaseRollup.product_id, func.sum(PurchaseRollup.units).label("units"))
        .where(PurchaseRollup.month >= months_since(today, SALES_DAYS))
        .group_by(PurchaseRollup.product_id)
        .subquery()
    )
    stock = (
        select(InventoryLevel.product_id, func.sum(InventoryLevel.quantity).label("available"))
        .where(InventoryLevel.grade == Grade.NEW, InventoryLevel.quantity > 0)
        .group_by(InventoryLevel.product_id)
        .subquery()
    )
    rows = session.execute(
        select(Product, stock.c.available, sold.c.units)
        .join(sold, sold.c.product_id == Product.id)
        .join(stock, and_(stock.c.product_id == Product.id))
        .where(Product.lifecycle == Lifecycle.ACTIVE)
        .order_by(sold.c.units.desc(), Product.sku)
        .limit(BEST_SELLERS)
    )
    return [
        Offer(p.id, p.sku, p.brand, p.model, p.colour, p.list_price, int(available), int(units))
        for p, available, units in rows
    ]
