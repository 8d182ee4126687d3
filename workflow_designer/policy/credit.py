"""Credit arithmetic: the one function that prices an RMA, before and after inspection.

Units credited per line: the requested quantity, capped by the authorised quantity once
the RMA is authorised and by the received quantity once it is received, so over-received
units are never credited. Before inspection those units carry the retailer's reported
condition (the estimate); once inspected, the grades found (the final credit). Should the
grades cover more units than can be credited, the lowest-credit grades are counted first,
so extra grading can never raise the credit.

Per priced line: value = unit net price × units; credit = value × (100 − fee % − deduction %
− answer deduction % + bonus %) / 100, never below zero, rounded once, half-up, to the
currency's minor unit.
The percentages all apply to the invoice value, so their order does not matter. Fees and
deductions below zero count as zero and the bonus applies only when the return type grants
it for the resolution (today: the exchange bonus), so a line never earns more than
value × (100 + bonus %) / 100, rounded the same way. The answer deduction is what the
line's condition questionnaire answers deduct (``policy.questionnaire``); it applies before
and after inspection alike, so the estimate equals the final credit when inspection finds
the grade the answers claimed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from workflow_designer.policy.money import HUNDRED, round_money
from workflow_designer.policy.request import RequestLine
from workflow_designer.policy.spec import DEFAULT_DISPOSITIONS, GRADE_LABELS
from workflow_designer.policy.validation import read_policy
from workflow_designer.policy.vocabulary import Resolution

ZERO = Decimal(0)


@dataclass(frozen=True)
class CreditLine:
    """One priced part of a line (a line graded two ways is priced as two parts).
    ``quantity`` is the units credited; ``grade_source`` says whether the grade is the
    inspection's or the retailer's reported condition (None: neither is a known grade,
    nothing deducted)."""

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
    rma_line_id: int | None = None
    answer_deduction_percent: Decimal = ZERO

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
            "rma_line_id": self.rma_line_id,
            "answer_deduction_percent": str(self.answer_deduction_percent),
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
    *,
    inspected: bool = False,
) -> CreditEstimate:
    """The credit for ``lines`` under the policy's credit rules, in ``currency``.

    Each line is priced on ``credited_units(line)``: with its inspection ``grades`` when it
    has any, else its ``grade``, else the condition the retailer reported (an estimate).
    ``inspected`` asks for the final credit: only units inspection graded earn any. The exchange
    bonus applies when ``resolution`` is ``"exchange"``. Credit rules that are off, missing
    or unreadable count as 0 %. ``restocking_fee_percent`` replaces the policy's fee when an
    approver waived or changed it for one RMA.
    """
    rules = read_policy(policy).rules
    fee = rules["restocking_fee"].params["percent"] if "restocking_fee" in rules else ZERO
    if restocking_fee_percent is not None:
        fee = restocking_fee_percent
    deductions = rules["grade_deductions"].params["percent"] if "grade_deductions" in rules else {}
    terms = _Terms(max(fee, ZERO), deductions, granted_bonus(rules, resolution), currency)
    priced = [
        _priced(line, grade, source, units, terms)
        for line in lines
        for grade, source, units in _portions(line, deductions, inspected)
    ]
    return CreditEstimate(currency, resolution, tuple(priced))


def granted_bonus(rules: Mapping[str, Any], resolution: str | None) -> Decimal:
    """The bonus % the return type grants for ``resolution`` (today only the exchange
    bonus); 0 for anything it does not explicitly grant."""
    if resolution == Resolution.EXCHANGE and "exchange_bonus" in rules:
        bonus: Decimal = rules["exchange_bonus"].params["percent"]
        return max(bonus, ZERO)
    return ZERO


def credited_units(line: RequestLine) -> int:
    """Units of ``line`` that can earn credit: requested, at most the authorised quantity
    once authorised and at most the received quantity once received; never below zero."""
    units = line.quantity
    if line.quantity_authorized is not None:
        units = min(units, line.quantity_authorized)
    if line.quantity_received is not None:
        units = min(units, line.quantity_received)
    return max(units, 0)


@dataclass(frozen=True)
class _Terms:
    fee: Decimal
    deductions: Mapping[str, Decimal]
    bonus: Decimal
    currency: str


def _portions(
    line: RequestLine, deductions: Mapping[str, Decimal], inspected: bool
) -> list[tuple[str | None, str | None, int]]:
    """(grade, grade source, units) the line is priced as; at least one, maybe of 0 units."""
    units = credited_units(line)
    graded = [(grade, n) for grade, n in line.grades if n > 0]
    if not graded:
        grade, source = _grade(line)
        ungraded = inspected and source != "inspection"
        return [(grade, source, 0 if ungraded else units)]
    # Lowest credit first: units graded beyond what can be credited are the best ones.
    order = sorted(range(len(graded)), key=lambda i: -deductions.get(graded[i][0], ZERO))
    taken = [0] * len(graded)
    for i in order:
        taken[i] = min(graded[i][1], units)
        units -= taken[i]
    portions: list[tuple[str | None, str | None, int]] = [
        (grade, "inspection", n) for (grade, _), n in zip(graded, taken, strict=True) if n
    ]
    return portions or [(graded[0][0], "inspection", 0)]


def _priced(
    line: RequestLine, grade: str | None, source: str | None, units: int, terms: _Terms
) -> CreditLine:
    deduction = max(terms.deductions.get(grade, ZERO), ZERO) if grade else ZERO
    answered = min(max(line.answer_deduction_percent, ZERO), HUNDRED)
    share = max(HUNDRED - terms.fee - deduction - answered + terms.bonus, ZERO)
    value = line.unit_net_price * units
    return CreditLine(
        line.sku,
        line.order_line_id,
        units,
        line.unit_net_price,
        value,
        grade,
        source,
        terms.fee,
        deduction,
        terms.bonus,
        round_money(value * share / HUNDRED, terms.currency),
        line.rma_line_id,
        answered,
    )


@dataclass(frozen=True)
class LineAmounts:
    """A priced line in money: gross − restocking fee − grade deduction + bonus = credit.
    The grade deduction includes the questionnaire answers' deduction."""

    gross: Decimal
    restocking_fee: Decimal
    grade_deduction: Decimal
    exchange_bonus: Decimal
    credit: Decimal


def line_amounts(priced: CreditLine, currency: str) -> LineAmounts:
    """The money figures of one priced line, as memos and breakdowns write them.

    The credit is rounded once from the unrounded value; each step's figure is the
    difference between the value rounded after it and before it, so every figure is ≥ 0,
    is 0 when its percentage is, and the four add up to the credit exactly.
    """
    value, fee = priced.value, priced.restocking_fee_percent
    after_fee = max(HUNDRED - fee, ZERO)
    deduction = priced.deduction_percent + priced.answer_deduction_percent
    after_deduction = max(after_fee - deduction, ZERO)
    gross = round_money(value, currency)
    net_of_fee = round_money(value * after_fee / HUNDRED, currency)
    net_of_deduction = round_money(value * after_deduction / HUNDRED, currency)
    return LineAmounts(
        gross,
        gross - net_of_fee,
        net_of_fee - net_of_deduction,
        priced.credit - net_of_deduction,
        priced.credit,
    )


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
        disposition: str = rules["grade_deductions"].params["disposition"][grade]
        return disposition
    return DEFAULT_DISPOSITIONS[grade]
