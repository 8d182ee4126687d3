"""What the analytics count, as plain queries over the facts.

- **Purchases**: every invoiced order line, in the month of its invoice date: its quantity
  and its net amount (quantity × unit net price), in the invoice's currency.
- **Returns**: every line of a submitted RMA that counts (``counting_rma``: submitted,
  and not rejected or cancelled, as the return policies count them), in the UTC month it
  was submitted: the quantity *requested* (what the retailer asked to return, known from
  submission on, whatever approvers later authorise or the warehouse receives), valued at
  the order line's unit net price, in the invoice's currency. Lines not tied to an order
  line (none are made today) have no product or price and are left out.

The rollups (``portal.analytics.refresh``) are these queries grouped; the tests compare
the two. Months are whole calendar months (``portal.analytics.period``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Date, Select, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from models import Order, OrderLine, Product, Rma, RmaLine
from workflow_designer.runtime.policy_facts import counting_rma


class month_of_day(FunctionElement[Any]):
    """The first day of a date's month."""

    type = Date()
    inherit_cache = True
    name = "month_of_day"


class month_of_moment(FunctionElement[Any]):
    """The first day of a UTC timestamp's month (whatever the session's time zone)."""

    type = Date()
    inherit_cache = True
    name = "month_of_moment"


@compiles(month_of_day, "postgresql")
def _month_of_day_postgresql(element, compiler, **kw) -> str:
    inner = compiler.process(element.clauses, **kw)
    return f"CAST(date_trunc('month', CAST({inner} AS timestamp)) AS date)"


@compiles(month_of_moment, "postgresql")
def _month_of_moment_postgresql(element, compiler, **kw) -> str:
    inner = compiler.process(element.clauses, **kw)
    return f"CAST(date_trunc('month', ({inner}) AT TIME ZONE 'UTC') AS date)"


@compiles(month_of_day)
@compiles(month_of_moment)
def _month_sqlite(element, compiler, **kw) -> str:
    # SQLite keeps datetimes as UTC text ("2026-03-02 09:00:00.000000").
    return f"date({compiler.process(element.clauses, **kw)}, 'start of month')"


def purchase_facts(account_ids: list[int] | None = None) -> Select:
    """One row per invoiced order line (of ``account_ids`` only, when given)."""
    query = (
        select(
            month_of_day(Order.invoice_date).label("month"),
            Order.account_id.label("account_id"),
            OrderLine.product_id.label("product_id"),
            Product.brand.label("brand"),
            Order.currency.label("currency"),
            OrderLine.quantity.label("units"),
            (OrderLine.quantity * OrderLine.unit_net_price).label("value"),
        )
        .select_from(OrderLine)
        .join(Order, OrderLine.order_id == Order.id)
        .join(Product, OrderLine.product_id == Product.id)
    )
    return query if account_ids is None else query.where(Order.account_id.in_(account_ids))


def return_facts(account_ids: list[int] | None = None) -> Select:
    """One row per counted line of a submitted RMA (of ``account_ids`` only, when given)."""
    query = (
        select(
            month_of_moment(Rma.submitted_at).label("month"),
            Rma.account_id.label("account_id"),
            OrderLine.product_id.label("product_id"),
            Product.brand.label("brand"),
            Rma.return_type_id.label("return_type_id"),
            RmaLine.reason.label("reason"),
            Order.currency.label("currency"),
            RmaLine.quantity_requested.label("units"),
            (RmaLine.quantity_requested * OrderLine.unit_net_price).label("value"),
        )
        .select_from(RmaLine)
        .join(Rma, RmaLine.rma_id == Rma.id)
        .join(OrderLine, RmaLine.order_line_id == OrderLine.id)
        .join(Order, OrderLine.order_id == Order.id)
        .join(Product, OrderLine.product_id == Product.id)
        .where(counting_rma())
    )
    return query if account_ids is None else query.where(Rma.account_id.in_(account_ids))
