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

Exchange bonus (``exchange_bonus``): granted only for the exchange resolution, as a percent
of each line's value (above) and/or a fixed amount per RMA. It is value towards the
replacement order, never cash: given the replacement order's value, the bonus paid is at
most what that order costs beyond the credit without bonus; the rest (``bonus_unused``) is
not paid out. When the amount or that cap changes the bonus, the bonus paid is spread over
the lines in proportion to their value, in whole minor units (largest remainder), so the
lines still add up to the total exactly (``exchange_bonus_paid``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from decimal import ROUND_DOWN, Decimal
from typing import Any

from workflow_designer.policy.money import HUNDRED, quantum, round_money
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
    # The exchange bonus the return type grants here, and the part of it the replacement
    # order does not use (not paid out).
    bonus_granted: Decimal = ZERO
    bonus_unused: Decimal = ZERO

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
            "bonus_granted": str(self.bonus_granted),
            "bonus_unused": str(self.bonus_unused),
        }


def estimate_credit(
    policy: Any,
    lines: Iterable[RequestLine],
    resolution: str | None,
    currency: str = "EUR",
    restocking_fee_percent: Decimal | None = None,
    *,
    inspected: bool = False,
    replacement_value: Decimal | None = None,
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
    amount = granted_bonus_amount(rules, resolution, currency)
    if not terms.bonus and not amount:
        return CreditEstimate(currency, resolution, tuple(priced))
    return _with_exchange_bonus(priced, amount, replacement_value, resolution, currency)


def granted_bonus_amount(
    rules: Mapping[str, Any], resolution: str | None, currency: str
) -> Decimal:
    """The fixed exchange bonus per RMA the return type grants for ``resolution``, rounded
    to the currency; 0 for anything it does not explicitly grant."""
    if resolution == Resolution.EXCHANGE and "exchange_bonus" in rules:
        amount = rules["exchange_bonus"].params.get("amount")
        if amount is not None and amount > ZERO:
            return round_money(amount, currency)
    return round_money(ZERO, currency)


def exchange_bonus_paid(
    granted: Decimal, base_credit: Decimal, replacement_value: Decimal | None, currency: str
) -> Decimal:
    """The exchange bonus paid: ``granted``, but never more than the replacement order
    costs beyond ``base_credit`` (the credit without bonus), since the bonus is only value
    towards that order. ``replacement_value`` None: the order is not known yet (a draft's
    estimate), so the whole bonus is shown."""
    granted = round_money(max(granted, ZERO), currency)
    if replacement_value is None:
        return granted
    room = round_money(max(replacement_value, ZERO), currency) - base_credit
    return max(min(granted, room), round_money(ZERO, currency))


def _with_exchange_bonus(
    priced: list[CreditLine],
    amount: Decimal,
    replacement_value: Decimal | None,
    resolution: str | None,
    currency: str,
) -> CreditEstimate:
    bases = [_base_credit(line, currency) for line in priced]
    by_percent = sum((line.credit - base for line, base in zip(priced, bases, strict=True)), ZERO)
    values = [line.value if line.quantity else ZERO for line in priced]
    granted = by_percent + (amount if any(values) else ZERO)
    paid = exchange_bonus_paid(granted, sum(bases, ZERO), replacement_value, currency)
    if paid != by_percent:
        shares = _spread(paid, values, currency)
        priced = [
            replace(line, credit=base + share)
            for line, base, share in zip(priced, bases, shares, strict=True)
        ]
    zero = round_money(ZERO, currency)
    return CreditEstimate(
        currency, resolution, tuple(priced), granted + zero, granted - paid + zero
    )


def _base_credit(line: CreditLine, currency: str) -> Decimal:
    """The line's credit without any bonus (as ``line_amounts`` counts it)."""
    deduction = line.deduction_percent + line.answer_deduction_percent
    share = max(HUNDRED - line.restocking_fee_percent - deduction, ZERO)
    return round_money(line.value * share / HUNDRED, currency)


def _spread(total: Decimal, weights: list[Decimal], currency: str) -> list[Decimal]:
    """``total`` split in proportion to ``weights`` in whole minor units; the units left
    over go to the largest remainders (then the first lines)."""
    unit = quantum(currency)
    whole = sum(weights, ZERO)
    if not whole:
        return [ZERO * unit for _ in weights]
    exact = [total * w / whole for w in weights]
    shares = [(x / unit).to_integral_value(ROUND_DOWN) * unit for x in exact]
    left = int((total - sum(shares, ZERO)) / unit)
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - shares[i]), i))
    for i in order[:left]:
        shares[i] += unit
    return shares


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
