"""Credit issued per month and currency, from the credit ledger's documents (credit memos,
and the adjustments and reversals that correct them), read from the monthly buckets of
``models.flow_rollups.FlowCreditMonth``. Amounts in different currencies are never added:
each currency is a series of its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import Numeric, case, func, select, type_coerce
from sqlalchemy.orm import Session

from models import FlowCreditMonth, MemoKind, User
from portal.analytics.flow_scope import FlowFilters, scoped
from portal.analytics.period import MonthRange

ZERO = Decimal("0.00")
SUM = Numeric(16, 2)


@dataclass(frozen=True)
class CreditMonth:
    month: date
    currency: str
    memos: int
    credited: Decimal  # the credit memos
    corrections: Decimal  # adjustments and reversals (signed)

    @property
    def net(self) -> Decimal:
        return self.credited + self.corrections


def credit_months(
    session: Session, user: User, period: MonthRange, filters: FlowFilters
) -> list[CreditMonth]:
    """Every month of the period for each currency credited in it (months without credit
    show zero), by currency, then month."""
    memo = FlowCreditMonth.kind == MemoKind.CREDIT_MEMO.value
    query = (
        select(
            FlowCreditMonth.currency,
            FlowCreditMonth.month,
            func.sum(case((memo, FlowCreditMonth.documents), else_=0)),
            # Typed as money: SQLite sums in floating point, rounded back to cents here.
            type_coerce(func.sum(case((memo, FlowCreditMonth.amount), else_=0)), SUM),
            type_coerce(func.sum(case((memo, 0), else_=FlowCreditMonth.amount)), SUM),
        )
        .where(FlowCreditMonth.month.between(period.first, period.last))
        .group_by(FlowCreditMonth.currency, FlowCreditMonth.month)
    )
    query = scoped(query, FlowCreditMonth.account_id, FlowCreditMonth.return_type_id, user, filters)
    found = {
        (currency, month): (int(n or 0), _cents(credited), _cents(corrections))
        for currency, month, n, credited, corrections in session.execute(query)
    }
    currencies = sorted({currency for currency, _month in found})
    return [
        CreditMonth(month, currency, *found.get((currency, month), (0, ZERO, ZERO)))
        for currency in currencies
        for month in period.months()
    ]


def _cents(amount) -> Decimal:
    return Decimal(amount or 0).quantize(ZERO)


def totals_by_currency(months: list[CreditMonth]) -> list[CreditMonth]:
    """The period's total per currency (``month`` is the period's first month)."""
    totals: dict[str, CreditMonth] = {}
    for row in months:
        before = totals.get(row.currency)
        totals[row.currency] = (
            row
            if before is None
            else CreditMonth(
                before.month,
                row.currency,
                before.memos + row.memos,
                before.credited + row.credited,
                before.corrections + row.corrections,
            )
        )
    return list(totals.values())
