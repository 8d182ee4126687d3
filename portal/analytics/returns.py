"""Return rates: what was returned against what was purchased over the same months, grouped
by one dimension (reason, return type, brand, SKU, account, region, sales rep, month) and
per invoice currency, read from the rollups only and scoped like every page.

A rate compares the returns *submitted* in the period with the purchases *invoiced* in it
(``portal.analytics.facts``), so a month can show more than 100 % when older purchases come
back. Units and values are both per currency: a row's unit rate and value rate describe the
same purchases, and amounts in two currencies are never added.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, Table, func, select, true
from sqlalchemy.orm import Session

from models import RetailerAccount, User
from portal.analytics.forms import Filters
from portal.analytics.sources import PURCHASE_GRAINS, RETURN_GRAINS, grain
from portal.scope import account_scope

# A ranking (SKUs, accounts) shows this many, most returned first.
RANKED = 50
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Dimension:
    """One way of grouping the figures: a view of its own (``/analytics/returns/<slug>``)."""

    slug: str
    title: LazyString
    key_label: LazyString  # the grouping column's heading
    column: str | None = None  # the rollup column grouped by
    account_attribute: str | None = None  # or the account's (region, sales rep)
    purchases_too: bool = True  # False: purchases have no such thing (reason, return type)
    ranked: bool = False  # too many keys to show: the RANKED most returned
    needs_brand: bool = False  # read one brand at a time (20,000 SKUs are too many)

    @property
    def needs_account(self) -> bool:
        return self.column == "account_id" or self.account_attribute is not None


DIMENSIONS = {
    dimension.slug: dimension
    for dimension in (
        Dimension("month", _l("By month"), _l("Month"), column="month"),
        Dimension("reason", _l("By reason"), _l("Reason"), column="reason", purchases_too=False),
        Dimension(
            "return-type",
            _l("By return type"),
            _l("Return type"),
            column="return_type_id",
            purchases_too=False,
        ),
        Dimension("brand", _l("By brand"), _l("Brand"), column="brand"),
        Dimension(
            "sku", _l("By SKU"), _l("SKU"), column="product_id", ranked=True, needs_brand=True
        ),
        Dimension("account", _l("By account"), _l("Account"), column="account_id", ranked=True),
        Dimension("region", _l("By region"), _l("Region"), account_attribute="region"),
        Dimension("rep", _l("By sales rep"), _l("Sales rep"), account_attribute="sales_rep_id"),
    )
}


@dataclass(frozen=True)
class Figures:
    units: int = 0
    value: Decimal = Decimal(0)


@dataclass(frozen=True)
class RateRow:
    key: Any
    currency: str
    returned: Figures
    purchased: Figures

    @property
    def unit_rate(self) -> Decimal | None:
        """Returned units per 100 purchased; None without purchases."""
        return _rate(Decimal(self.returned.units), Decimal(self.purchased.units))

    @property
    def value_rate(self) -> Decimal | None:
        return _rate(self.returned.value, self.purchased.value)


def _rate(returned: Decimal, purchased: Decimal) -> Decimal | None:
    if not purchased:
        return None
    return (returned * HUNDRED / purchased).quantize(Decimal("0.01"))


@dataclass
class RateTable:
    dimension: Dimension
    rows: list[RateRow]
    more: bool = False  # a ranking that left keys out
    labels: dict[Any, str] = field(default_factory=dict)
    codes: dict[Any, str] = field(default_factory=dict)

    @property
    def currencies(self) -> list[str]:
        return sorted({row.currency for row in self.rows})

    def in_currency(self, currency: str) -> list[RateRow]:
        return [row for row in self.rows if row.currency == currency]


@dataclass(frozen=True)
class Read:
    """One side's read: the rollup it uses and the conditions the scope and filters set."""

    table: Table
    key: ColumnElement[Any] | None
    conditions: list[ColumnElement[bool]]
    joins_account: bool


def return_rates(session: Session, user: User, dimension: Dimension, filters: Filters) -> RateTable:
    returns = _read(user, dimension, filters, RETURN_GRAINS, returns=True)
    purchases = _read(user, dimension, filters, PURCHASE_GRAINS, returns=False)
    keys = None
    more = False
    if dimension.ranked:
        returned, more = _ranked_sums(session, returns)
        keys = {key for key, _currency in returned}
    else:
        returned = _sums(session, _grouped(returns))
    purchased = _sums(session, _grouped(purchases, keys)) if keys != set() else {}
    rows = _rows(dimension, filters, returned, purchased)
    return RateTable(dimension, rows, more=more)


def _read(user: User, dimension: Dimension, filters: Filters, grains, *, returns: bool) -> Read:
    scoped = account_scope(user)
    joins_account = (
        not _is_everything(scoped)
        or filters.region is not None
        or dimension.account_attribute is not None
    )
    columns: set[str] = set()
    grouped = dimension.purchases_too or returns
    if grouped and dimension.column:
        columns.add(dimension.column)
    if joins_account or filters.account_id is not None or (grouped and dimension.needs_account):
        columns.add("account_id")
    if filters.brand is not None:
        columns.add("brand")
    if returns and filters.return_type_id is not None:
        columns.add("return_type_id")
    table = grain(grains, columns)
    conditions = [table.c.month >= filters.period.first, table.c.month <= filters.period.last]
    if joins_account:
        conditions.append(scoped)
    if filters.account_id is not None:
        conditions.append(table.c.account_id == filters.account_id)
    if filters.region is not None:
        conditions.append(RetailerAccount.region == filters.region)
    if filters.brand is not None:
        conditions.append(table.c.brand == filters.brand)
    if returns and filters.return_type_id is not None:
        conditions.append(table.c.return_type_id == filters.return_type_id)
    key = _key(table, dimension) if grouped else None
    return Read(table, key, conditions, joins_account)


def _key(table: Table, dimension: Dimension) -> Any:
    """The column a dimension groups by: the account's, or the rollup's own."""
    if dimension.account_attribute:
        return getattr(RetailerAccount, dimension.account_attribute)
    if dimension.column is None:
        raise LookupError(f"{dimension.slug} groups by nothing")
    return table.c[dimension.column]


def _is_everything(condition: ColumnElement[bool]) -> bool:
    return condition.compare(true())


Sums = dict[tuple[Any, str], Figures]


def _grouped(read: Read, keys: Iterable[Any] | None = None) -> Select:
    """Σ units and value per (key, currency); no key for an ungrouped side."""
    table = read.table
    columns = [read.key.label("key")] if read.key is not None else []
    query = select(
        *columns,
        table.c.currency.label("currency"),
        func.sum(table.c.units).label("units"),
        func.sum(table.c.value).label("value"),
    ).select_from(table)
    if read.joins_account:
        query = query.join(RetailerAccount, RetailerAccount.id == table.c.account_id)
    query = query.where(*read.conditions)
    if keys is not None and read.key is not None:
        query = query.where(read.key.in_(list(keys)))
    return query.group_by(*columns, table.c.currency)


def _sums(session: Session, query: Select) -> Sums:
    sums: Sums = {}
    for row in session.execute(query):
        key = row.key if "key" in row._fields else None
        sums[(key, row.currency)] = Figures(int(row.units or 0), Decimal(row.value or 0))
    return sums


def _ranked_sums(session: Session, read: Read) -> tuple[Sums, bool]:
    """The sums of the RANKED keys with the most returned units (every currency together),
    ranked by the database: a brand's SKUs are thousands of keys. Ties go by key."""
    sums = _grouped(read).cte("sums")
    top = (
        select(sums.c.key)
        .group_by(sums.c.key)
        .order_by(func.sum(sums.c.units).desc(), sums.c.key)
        .limit(RANKED + 1)
        .subquery("top")
    )
    found = _sums(session, select(sums).join(top, top.c.key == sums.c.key))
    units: dict[Any, int] = {}
    for (key, _currency), figures in found.items():
        units[key] = units.get(key, 0) + figures.units
    kept = set(sorted(units, key=lambda k: (-units[k], k))[:RANKED])
    return {pair: f for pair, f in found.items() if pair[0] in kept}, len(units) > RANKED


def _rows(dimension: Dimension, filters: Filters, returned: Sums, purchased: Sums) -> list[RateRow]:
    if not dimension.purchases_too:
        # Reasons and return types are shares of everything purchased in the currency.
        return _sorted(
            RateRow(key, currency, figures, purchased.get((None, currency), Figures()))
            for (key, currency), figures in returned.items()
        )
    pairs = set(returned) | (set() if dimension.ranked else set(purchased))
    if dimension.column == "month":
        currencies = {currency for _key, currency in pairs}
        pairs = {(month, c) for month in filters.period.months() for c in currencies}
    rows = (
        RateRow(
            key,
            currency,
            returned.get((key, currency), Figures()),
            purchased.get((key, currency), Figures()),
        )
        for key, currency in pairs
    )
    if dimension.column == "month":
        return sorted(rows, key=lambda row: (row.key, row.currency))
    return _sorted(rows)


def _sorted(rows: Iterable[RateRow]) -> list[RateRow]:
    """Most returned units first; then by value, and by key for a stable order."""
    return sorted(
        rows, key=lambda r: (r.currency, -r.returned.units, -r.returned.value, str(r.key))
    )
