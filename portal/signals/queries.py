"""The facts behind the risk signals, for many accounts at once, and the signals they raise.

Each kind of fact is one grouped query over the accounts asked about (never a query per
account); the network's return rates, which every page needs and only imports and new
RMAs move, are summed once per process every few minutes. Every account-scoped read goes
through ``account_scope``: a rep gets facts of their accounts only, a retailer none.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Numeric, and_, exists, func, or_, select, type_coerce
from sqlalchemy.orm import Session

from models import (
    InspectionResult,
    Order,
    OrderLine,
    Product,
    RetailerAccount,
    ReturnType,
    Rma,
    RmaLine,
    Role,
    User,
)
from models.signals import SETTINGS_ID, RiskSignalSettings
from portal.caching import app_cache
from portal.scope import account_scope
from portal.signals.rules import (
    MISMATCHED_GRADES,
    AccountFacts,
    Network,
    Rush,
    Signal,
    Thresholds,
    evaluate,
)
from workflow_designer.policy.dates import Window, period_start
from workflow_designer.policy.validation import read_policy
from workflow_designer.runtime.policy_facts import counting_rma

# The network's figures sum a year of every account's invoices: each process keeps them
# a few minutes per day and period.
NETWORK_TTL = 300.0
STAFF = (Role.ADMIN, Role.SALES_REP)


@dataclass(frozen=True)
class Period:
    first_day: date
    today: date

    @classmethod
    def ending(cls, today: date, days: int) -> Period:
        return cls(period_start(today, days), today)

    @property
    def since(self) -> datetime:
        return _midnight(self.first_day)

    @property
    def until(self) -> datetime:
        return _midnight(self.today + timedelta(days=1))

    def submitted(self):
        return and_(Rma.submitted_at >= self.since, Rma.submitted_at < self.until)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def load_thresholds(session: Session) -> Thresholds:
    """The distributor's thresholds (the defaults until an admin saves some)."""
    row = session.get(RiskSignalSettings, SETTINGS_ID)
    return Thresholds.from_document(row.thresholds if row is not None else None)


def signals_for_accounts(
    session: Session,
    user: User,
    account_ids: Iterable[int] | None,
    today: date,
    thresholds: Thresholds | None = None,
) -> dict[int, list[Signal]]:
    """Account id → the signals of those of ``account_ids`` (None: every account) that
    ``user`` may see and that raise any. Staff only: anyone else gets nothing."""
    if user.role not in STAFF:
        return {}
    thresholds = thresholds or load_thresholds(session)
    facts = account_facts(session, user, account_ids, today, thresholds)
    if not facts:
        return {}
    return evaluate(facts, network(session, today, thresholds.period_days), thresholds)


def account_facts(
    session: Session,
    user: User,
    account_ids: Iterable[int] | None,
    today: date,
    thresholds: Thresholds,
) -> list[AccountFacts]:
    """The facts of the accounts ``user`` may see among ``account_ids``."""
    accounts = _scoped_accounts(session, user, account_ids)
    if not accounts:
        return []
    ids = list(accounts)
    period = Period.ending(today, thresholds.period_days)
    values: dict[int, dict[str, Any]] = {i: {"currency": accounts[i]} for i in ids}
    purchased, returned = _network_sums(session, today, thresholds.period_days)
    for account_id in ids:
        values[account_id]["purchased"] = purchased.get(account_id, Decimal(0))
        values[account_id]["returned"] = returned.get(account_id, Decimal(0))
    _merge(values, _repeated_skus(session, ids, period))
    _merge(values, _lines(session, ids, period))
    if thresholds.rotation_rush_on:
        _merge(values, _rushes(session, ids, period, thresholds.rotation_rush_days))
    return [AccountFacts(account_id=i, **values[i]) for i in ids]


def _merge(values: dict[int, dict[str, Any]], found: dict[int, dict[str, Any]]) -> None:
    for account_id, figures in found.items():
        values[account_id].update(figures)


def _scoped_accounts(
    session: Session, user: User, account_ids: Iterable[int] | None
) -> dict[int, str]:
    query = select(RetailerAccount.id, RetailerAccount.currency).where(account_scope(user))
    if account_ids is not None:
        ids = list(set(account_ids))
        if not ids:
            return {}
        query = query.where(RetailerAccount.id.in_(ids))
    return {account_id: currency for account_id, currency in session.execute(query)}


def network(session: Session, today: date, days: int) -> Network:
    """Every account's return rate over the period (accounts that bought anything)."""
    purchased, returned = _network_sums(session, today, days)
    rates = [
        returned.get(account_id, Decimal(0)) * 100 / value
        for account_id, value in purchased.items()
        if value > 0
    ]
    return Network(tuple(rates))


Sums = tuple[dict[int, Decimal], dict[int, Decimal]]


def _network_sums(session: Session, today: date, days: int) -> Sums:
    return app_cache("signal_network", NETWORK_TTL).get(
        (today, days), lambda: network_sums(session, Period.ending(today, days))
    )


def network_sums(session: Session, period: Period) -> Sums:
    """Purchased and returned value of every account over ``period``: invoices in the
    account's currency, and the value of RMAs that count (as the allowance counts them)."""
    amount = type_coerce(OrderLine.quantity * OrderLine.unit_net_price, Numeric(18, 4))
    purchases = session.execute(
        select(Order.account_id, func.sum(amount))
        .select_from(OrderLine)
        .join(Order, OrderLine.order_id == Order.id)
        .join(RetailerAccount, Order.account_id == RetailerAccount.id)
        .where(
            Order.currency == RetailerAccount.currency,
            Order.invoice_date >= period.first_day,
            Order.invoice_date <= period.today,
        )
        .group_by(Order.account_id)
    )
    returns = session.execute(
        select(Rma.account_id, func.sum(type_coerce(Rma.total_value, Numeric(18, 4))))
        .where(counting_rma(), period.submitted())
        .group_by(Rma.account_id)
    )
    return (
        {account_id: _money(total) for account_id, total in purchases},
        {account_id: _money(total) for account_id, total in returns},
    )


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


def _repeated_skus(session: Session, ids: list[int], period: Period) -> dict[int, dict[str, Any]]:
    """SKUs on two or more counting RMAs of the account (the rule applies the threshold)."""
    times = func.count(func.distinct(Rma.id))
    rows = session.execute(
        select(Rma.account_id, Product.sku, times)
        .join(RmaLine, RmaLine.rma_id == Rma.id)
        .join(OrderLine, RmaLine.order_line_id == OrderLine.id)
        .join(Product, OrderLine.product_id == Product.id)
        .where(Rma.account_id.in_(ids), counting_rma(), period.submitted())
        .group_by(Rma.account_id, Product.sku)
        .having(times >= 2)
    )
    found: dict[int, list[tuple[str, int]]] = defaultdict(list)
    for account_id, sku, count in rows:
        found[account_id].append((sku, count))
    return {
        account_id: {"repeated_skus": tuple(sorted(skus, key=lambda s: (-s[1], s[0])))}
        for account_id, skus in found.items()
    }


def _mismatched(grade):
    return or_(
        *(
            and_(RmaLine.condition == claimed, grade.in_(sorted(grades)))
            for claimed, grades in MISMATCHED_GRADES.items()
            if grades
        )
    )


def _results(*where):
    return exists().where(InspectionResult.rma_line_id == RmaLine.id, *where)


def _lines(session: Session, ids: list[int], period: Period) -> dict[int, dict[str, Any]]:
    """One pass over the RMAs submitted in the period and their lines:

    - graded lines with a claimed condition, and those graded worse than claimed (in any
      grade inspection split them into, or in the line's own grade: lines graded without
      a row per grade, as loaded ones are);
    - lines that arrived with more units than authorised, and those extra units;
    - RMAs that asked for an exception, and those then authorised (a label was issued:
      the exception was granted, whatever happened later).
    """
    claimed = RmaLine.condition != ""
    graded = claimed & (RmaLine.grade.is_not(None) | _results())
    mismatched = claimed & (
        _mismatched(RmaLine.grade) | _results(_mismatched(InspectionResult.grade))
    )
    over = RmaLine.quantity_received > RmaLine.quantity_authorized
    asked = Rma.exception_requested.is_(True)
    line = func.count(func.distinct(RmaLine.id))
    rma = func.count(func.distinct(Rma.id))
    rows = session.execute(
        select(
            Rma.account_id,
            line.filter(graded),
            line.filter(mismatched),
            line.filter(over),
            func.sum(RmaLine.quantity_excess).filter(over),
            rma.filter(asked),
            rma.filter(asked & Rma.label_issued_at.is_not(None)),
        )
        .outerjoin(RmaLine, RmaLine.rma_id == Rma.id)
        .where(Rma.account_id.in_(ids), period.submitted())
        .group_by(Rma.account_id)
    )
    return {
        row[0]: {
            "inspected_lines": row[1],
            "mismatched_lines": row[2],
            "over_received_lines": row[3],
            "over_received_units": int(row[4] or 0),
            "exceptions_requested": row[5],
            "exceptions_approved": row[6],
        }
        for row in rows
    }


@dataclass(frozen=True)
class RotationType:
    """A return type with an allowance and calendar windows: a stock rotation."""

    return_type_id: int
    percent: Decimal
    windows: list[Window]
    allowance_days: Any  # a policy Period: its trailing days depend on the day


def rotation_types(session: Session) -> list[RotationType]:
    """The stock rotation return types and their allowance and windows. Policies change
    seldom: each process reads them again after a few minutes."""
    return app_cache("signal_rotation_types", NETWORK_TTL).get(
        "all", lambda: read_rotation_types(session)
    )


def read_rotation_types(session: Session) -> list[RotationType]:
    found = []
    for type_id, policy in session.execute(select(ReturnType.id, ReturnType.policy)):
        rules = read_policy(policy).rules
        allowance, windows = rules.get("allowance"), rules.get("calendar_windows")
        if allowance is None or windows is None:
            continue
        found.append(
            RotationType(
                type_id,
                Decimal(str(allowance.params["percent"])),
                list(windows.params["windows"]),
                allowance.params["period_days"],
            )
        )
    return found


def openings(windows: list[Window], period: Period) -> list[date]:
    """The days in ``period`` on which one of ``windows`` opened."""
    days = {
        window.occurrence(year)[0]
        for window in windows
        for year in range(period.first_day.year, period.today.year + 1)
    }
    return sorted(day for day in days if period.first_day <= day <= period.today)


def _rushes(
    session: Session, ids: list[int], period: Period, days: int
) -> dict[int, dict[str, Any]]:
    """Per account, what its rotations of the first ``days`` days after each window
    opening added up to, against the allowance on the day the window opened. Two queries
    per opening (a rotation type has a few a year)."""
    found: dict[int, list[Rush]] = defaultdict(list)
    for rotation in rotation_types(session):
        for opened in openings(rotation.windows, period):
            rushed = _rotations_after(session, ids, rotation.return_type_id, opened, days)
            if not rushed:
                continue
            trailing = rotation.allowance_days.trailing_days(opened)
            purchases = _purchases(session, list(rushed), Period.ending(opened, trailing))
            for account_id, (count, value) in rushed.items():
                allowance = purchases.get(account_id, Decimal(0)) * rotation.percent / 100
                rush = Rush(opened, count, value, allowance.quantize(Decimal("0.01")))
                found[account_id].append(rush)
    return {account_id: {"rushes": tuple(rushes)} for account_id, rushes in found.items()}


def _rotations_after(
    session: Session, ids: list[int], return_type_id: int, opened: date, days: int
) -> dict[int, tuple[int, Decimal]]:
    since = _midnight(opened)
    rows = session.execute(
        select(
            Rma.account_id,
            func.count(Rma.id),
            func.sum(type_coerce(Rma.total_value, Numeric(18, 4))),
        )
        .where(
            Rma.account_id.in_(ids),
            Rma.return_type_id == return_type_id,
            counting_rma(),
            Rma.submitted_at >= since,
            Rma.submitted_at < since + timedelta(days=days + 1),
        )
        .group_by(Rma.account_id)
    )
    return {account_id: (count, _money(total)) for account_id, count, total in rows}


def _purchases(session: Session, ids: list[int], period: Period) -> dict[int, Decimal]:
    amount = type_coerce(OrderLine.quantity * OrderLine.unit_net_price, Numeric(18, 4))
    rows = session.execute(
        select(Order.account_id, func.sum(amount))
        .select_from(OrderLine)
        .join(Order, OrderLine.order_id == Order.id)
        .join(RetailerAccount, Order.account_id == RetailerAccount.id)
        .where(
            Order.account_id.in_(ids),
            Order.currency == RetailerAccount.currency,
            Order.invoice_date >= period.first_day,
            Order.invoice_date <= period.today,
        )
        .group_by(Order.account_id)
    )
    return {account_id: _money(total) for account_id, total in rows}
