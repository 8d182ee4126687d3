"""Loading what the rules need from the database: a handful of aggregate queries, no more.

How RMAs count (returnable quantities, allowance, cooldown, frequency): an RMA counts from
the moment it is submitted (``submitted_at`` set) unless its state is ``rejected`` or
``cancelled``. Drafts never count. Periods are the N calendar days (UTC) ending today; a
period set in weeks or months is first turned into its days as of today.
Against the allowance an RMA counts at what was credited for it once a credit memo is
issued, and at its value at submission until then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Numeric,
    and_,
    case,
    func,
    select,
    true,
    type_coerce,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import BindParameter

from models import CreditMemo, Order, OrderLine, RetailerAccount, ReturnType, Rma, RmaLine
from models.sql import one_of
from workflow_designer.policy.dates import period_start
from workflow_designer.policy.request import AccountFacts
from workflow_designer.policy.validation import RuleConfig, read_policy

NOT_COUNTING_STATES: tuple[str, ...] = ("rejected", "cancelled")
# (session, account, today, period days) → the account's net purchases in the period.
NetPurchases = Callable[[Session, RetailerAccount, date, int], Decimal]
ZERO = Decimal(0)


def counting_rma() -> ColumnElement[bool]:
    """The condition under which an RMA counts against limits and quantities."""
    return and_(Rma.submitted_at.is_not(None), Rma.state.not_in(NOT_COUNTING_STATES))


def _other_than(rma_id: int | BindParameter[int] | None) -> ColumnElement[bool]:
    return Rma.id != rma_id if rma_id is not None else true()


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def load_facts(
    session: Session,
    account: RetailerAccount,
    return_type: ReturnType,
    policy: Any,
    today: date,
    exclude_rma_id: int | None = None,
    purchases: NetPurchases | None = None,
) -> AccountFacts:
    """The account's figures for the rules ``policy`` switches on, as of ``today``.

    At most two queries: net purchases (for the allowance) and one aggregate over the
    account's RMAs of ``return_type`` (allowance used, requests in period, last submission).
    ``exclude_rma_id`` leaves the RMA being evaluated out of its own history. ``purchases``
    replaces ``net_purchases`` (e.g. with a cache of it).
    """
    rules = read_policy(policy).rules
    allowance_days = _period_days(rules.get("allowance"), today)
    frequency_days = _period_days(rules.get("request_frequency"), today)
    facts: dict[str, Any] = {
        "currency": account.currency,
        "allowance_period_days": allowance_days,
        "frequency_period_days": frequency_days,
    }
    if allowance_days is not None:
        facts["net_purchases"] = (purchases or net_purchases)(
            session, account, today, allowance_days
        )
    if allowance_days is not None or frequency_days is not None or "cooldown" in rules:
        facts.update(
            _history(
                session, account, return_type, today, allowance_days, frequency_days, exclude_rma_id
            )
        )
    return AccountFacts(**facts)


def _period_days(config: RuleConfig | None, today: date) -> int | None:
    """The rule's trailing period as the number of calendar days ending ``today`` it holds
    (12 months hold 365 or 366 days, depending on ``today``)."""
    return config.params["period_days"].trailing_days(today) if config else None


def net_purchases(session: Session, account: RetailerAccount, today: date, days: int) -> Decimal:
    """Σ quantity × unit net price of the account's lines invoiced in the period.

    Invoices in another currency than the account's are left out: they cannot be added up.
    """
    amount = type_coerce(OrderLine.quantity * OrderLine.unit_net_price, Numeric(18, 4))
    total = session.scalar(
        select(func.coalesce(func.sum(amount), 0))
        .join(Order, OrderLine.order_id == Order.id)
        .where(
            Order.account_id == account.id,
            Order.currency == account.currency,
            Order.invoice_date >= period_start(today, days),
            Order.invoice_date <= today,
        )
    )
    return Decimal(total or 0)


def _history(
    session: Session,
    account: RetailerAccount,
    return_type: ReturnType,
    today: date,
    allowance_days: int | None,
    frequency_days: int | None,
    exclude_rma_id: int | None,
) -> dict[str, Any]:
    """Allowance used, requests in the frequency period and the last submission, at once."""
    money = Numeric(14, 2)
    columns = [func.max(Rma.submitted_at)]
    if allowance_days is not None:
        since = _midnight(period_start(today, allowance_days))
        credited = credited_amount()
        in_period = Rma.submitted_at >= since
        used = case((in_period, func.coalesce(credited, Rma.total_value)), else_=0)
        credited_in_period = case((in_period, func.coalesce(credited, 0)), else_=0)
        columns.append(type_coerce(func.coalesce(func.sum(used), 0), money))
        columns.append(type_coerce(func.coalesce(func.sum(credited_in_period), 0), money))
    if frequency_days is not None:
        since = _midnight(period_start(today, frequency_days))
        columns.append(func.coalesce(func.sum(case((Rma.submitted_at >= since, 1), else_=0)), 0))
    row = session.execute(
        select(*columns).where(
            Rma.account_id == account.id,
            Rma.return_type_id == return_type.id,
            counting_rma(),
            Rma.submitted_at < _midnight(today + timedelta(days=1)),
            _other_than(exclude_rma_id),
        )
    ).one()
    values = list(row)
    last: datetime | None = values.pop(0)
    facts: dict[str, Any] = {"last_submitted_on": last.astimezone(UTC).date() if last else None}
    if allowance_days is not None:
        facts["allowance_used"] = Decimal(values.pop(0) or 0)
        facts["allowance_credited"] = Decimal(values.pop(0) or 0)
    if frequency_days is not None:
        facts["requests_in_period"] = int(values.pop(0) or 0)
    return facts


def credited_amount() -> ColumnElement[Decimal]:
    """What was credited for the enclosing query's ``Rma``: the sum of its credit memos, NULL
    before any is issued. The one definition the allowance reads: documents that later
    change what an RMA credited (adjustments, reversals) are added here."""
    return (
        select(func.sum(CreditMemo.amount))
        .where(CreditMemo.rma_id == Rma.id)
        .correlate(Rma)
        .scalar_subquery()
    )


def returnable_column(
    exclude_rma_id: int | BindParameter[int] | None = None,
) -> ColumnElement[int]:
    """What is still returnable of the enclosing query's ``OrderLine``: invoiced − requested
    on counting RMAs (``exclude_rma_id``, a value or a bound parameter, left out), as a
    column. May be below zero."""
    taken = (
        select(func.coalesce(func.sum(RmaLine.quantity_requested), 0))
        .join(Rma, RmaLine.rma_id == Rma.id)
        .where(RmaLine.order_line_id == OrderLine.id, counting_rma(), _other_than(exclude_rma_id))
        .correlate(OrderLine)
        .scalar_subquery()
    )
    return OrderLine.quantity - taken


def returnable_quantities(
    session: Session, order_line_ids: Iterable[int], exclude_rma_id: int | None = None
) -> dict[int, int]:
    """Order line id → quantity still returnable (invoiced − requested on counting RMAs).

    One query for all ids; ids that do not exist are left out; never below zero.
    """
    ids = sorted(set(order_line_ids))
    if not ids:
        return {}
    rows = session.execute(
        select(OrderLine.id, returnable_column(exclude_rma_id)).where(
            one_of(session, OrderLine.id, ids)
        )
    )
    return {line_id: max(int(left), 0) for line_id, left in rows}


def net_purchases_of(
    session: Session, account_ids: Iterable[int], today: date, days: int
) -> dict[int, Decimal]:
    """``net_purchases`` of several accounts in one query (each in its own currency);
    accounts that bought nothing in the period are left out."""
    amount = type_coerce(OrderLine.quantity * OrderLine.unit_net_price, Numeric(18, 4))
    rows = session.execute(
        select(Order.account_id, func.sum(amount))
        .join(Order, OrderLine.order_id == Order.id)
        .join(RetailerAccount, RetailerAccount.id == Order.account_id)
        .where(
            one_of(session, Order.account_id, sorted(set(account_ids))),
            Order.currency == RetailerAccount.currency,
            Order.invoice_date >= period_start(today, days),
            Order.invoice_date <= today,
        )
        .group_by(Order.account_id)
    )
    return {account_id: Decimal(total or 0) for account_id, total in rows}


def allowance_used_of(
    session: Session, account_ids: Iterable[int], return_type_id: int, today: date, days: int
) -> dict[int, tuple[Decimal, Decimal]]:
    """Account id → (allowance used, of it credited) of ``return_type_id`` for several
    accounts in one query, counted as ``load_facts`` counts them for one."""
    money = Numeric(14, 2)
    credited = credited_amount()
    rows = session.execute(
        select(
            Rma.account_id,
            type_coerce(func.sum(func.coalesce(credited, Rma.total_value)), money),
            type_coerce(func.sum(func.coalesce(credited, 0)), money),
        )
        .where(
            one_of(session, Rma.account_id, sorted(set(account_ids))),
            Rma.return_type_id == return_type_id,
            counting_rma(),
            Rma.submitted_at >= _midnight(period_start(today, days)),
            Rma.submitted_at < _midnight(today + timedelta(days=1)),
        )
        .group_by(Rma.account_id)
    )
    return {
        account_id: (Decimal(used or 0), Decimal(credited_part or 0))
        for account_id, used, credited_part in rows
    }
