"""Credit arithmetic: invoice value less restocking fee and grade deduction, plus bonus.

Per line: value = unit net price × quantity; credit = value × (100 − fee % − deduction %
+ bonus %) / 100, never below zero, rounded once, half-up, to the currency's minor unit.
The percentages all apply to the invoice value, so their order does not matter.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from workflow_designer.policy.money import HUNDRED, round_money
from workflow_designer.policy.request import RequestLine
from workflow_designer.policy.spec import DEFAULT_DISPOSITIONS, GRADE_LABELS
from workflow_designer.policy.validation import read_policy

ZERO = Decimal(0)


@dataclass(frozen=True)
class CreditLine:
    """One line's credit. ``grade_source`` says whether the grade is the inspection's or
    the retailer's reported condition (None: neither is a known grade, nothing deducted)."""

    sku: str
    order_line_id: int | None
    quantity: int
    unit_net_price: Decimal
    value: Decimal
    grade: str | None
    grade_source: str | None
    restocking_fee_percent: Decimal
    deduction_percent: Decimal
    bonus_percent: Decimal
    credit: Decimal

    def as_dict(self) -> dict[str, Any]:
        return {
            "sku": self.sku,
            "order_line_id": self.order_line_id,
            "quantity": self.quantity,
            "unit_net_price": str(self.unit_net_price),
            "value": str(self.value),
            "grade": self.grade,
            "grade_source": self.grade_source,
            "restocking_fee_percent": str(self.restocking_fee_percent),
            "deduction_percent": str(self.deduction_percent),
            "bonus_percent": str(self.bonus_percent),
            "credit": str(self.credit),
        }


@dataclass(frozen=True)
class CreditEstimate:
    currency: str
    resolution: str | None
    lines: tuple[CreditLine, ...]

    @property
    def total_value(self) -> Decimal:
        """Invoice value of all lines, rounded once at the end."""
        return round_money(sum((line.value for line in self.lines), ZERO), self.currency)

    @property
    def total_credit(self) -> Decimal:
        """Sum of the lines' rounded credits (so the lines add up to it exactly)."""
        return sum((line.credit for line in self.lines), round_money(ZERO, self.currency))

    def as_dict(self) -> dict[str, Any]:
        return {
            "currency": self.currency,
            "resolution": self.resolution,
            "total_value": str(self.total_value),
            "total_credit": str(self.total_credit),
            "lines": [line.as_dict() for line in self.lines],
        }


def estimate_credit(
    policy: Any,
    lines: Iterable[RequestLine],
    resolution: str | None,
    currency: str = "EUR",
    restocking_fee_percent: Decimal | None = None,
) -> CreditEstimate:
    """The credit for ``lines`` under the policy's credit rules, in ``currency``.

    A line's grade is its inspection grade, else the condition the retailer reported.
    The exchange bonus applies when ``resolution`` is ``"exchange"``. Credit rules that
    are off, missing or unreadable count as 0 %. ``restocking_fee_percent`` replaces the
    policy's fee when an approver waived or changed it for one RMA.
    """
    rules = read_policy(policy).rules
    fee = rules["restocking_fee"].params["percent"] if "restocking_fee" in rules else ZERO
    if restocking_fee_percent is not None:
        fee = restocking_fee_percent
    deductions = rules["grade_deductions"].params["percent"] if "grade_deductions" in rules else {}
    bonus = ZERO
    if resolution == "exchange" and "exchange_bonus" in rules:
        bonus = rules["exchange_bonus"].params["percent"]
    credit_lines = []
    for line in lines:
        grade, source = _grade(line)
        deduction = deductions.get(grade, ZERO) if grade else ZERO
        share = max(HUNDRED - fee - deduction + bonus, ZERO)
        credit = round_money(line.value * share / HUNDRED, currency)
        credit_lines.append(
            CreditLine(
                line.sku,
                line.order_line_id,
                line.quantity,
                line.unit_net_price,
                line.value,
                grade,
                source,
                fee,
                deduction,
                bonus,
                credit,
            )
        )
    return CreditEstimate(currency, resolution, tuple(credit_lines))


def _grade(line: RequestLine) -> tuple[str | None, str | None]:
    if line.grade in GRADE_LABELS:
        return line.grade, "inspection"
    if line.condition in GRADE_LABELS:
        return line.condition, "reported"
    return None, None


def disposition_for(policy: Any, grade: str) -> str:
    """Where a unit of ``grade`` goes: the policy's choice, else the usual one."""
    rules = read_policy(policy).rules
    if "grade_deductions" in rules:
        return rules["grade_deductions"].params["disposition"][grade]
    return DEFAULT_DISPOSITIONS[grade]
