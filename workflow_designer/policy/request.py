"""What the policy engine is given: the request as plain values and the account's facts.

These are built by the database layer (``facts.py`` loads them for stored RMAs); the rules
never touch a session, so evaluating is pure and deterministic.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class RequestLine:
    """One returned order line: what was bought, when, at what price, and how many go back.

    ``quantity`` is the requested quantity. ``condition`` is what the retailer reports (a
    grade name or ""); ``grade`` is set at inspection. ``photos`` counts the line's photos.

    What the credit needs of a stored RMA line: ``quantity_authorized`` once the RMA is
    authorised and ``quantity_received`` once it is received (None before), ``grades``
    (grade, units) as inspection found them, and ``rma_line_id``.

    ``answers`` (question key, answer key) are the line's condition questionnaire answers and
    ``answer_deduction_percent`` what they deduct, as answered
    (``workflow_designer.policy.questionnaire``).
    """

    sku: str
    quantity: int
    unit_net_price: Decimal
    invoice_number: str
    invoice_date: date
    delivery_date: date | None = None
    order_line_id: int | None = None
    lifecycle: str = ""
    brand: str = ""
    category: str = ""
    condition: str = ""
    grade: str | None = None
    photos: int = 0
    description: str = ""
    quantity_authorized: int | None = None
    quantity_received: int | None = None
    grades: tuple[tuple[str, int], ...] = ()
    rma_line_id: int | None = None
    answers: tuple[tuple[str, str], ...] = ()
    answer_deduction_percent: Decimal = Decimal(0)

    @property
    def value(self) -> Decimal:
        """Invoice value of the requested quantity, unrounded."""
        return self.unit_net_price * self.quantity


@dataclass(frozen=True, slots=True)
class ReplacementRequestLine:
    """New stock ordered with a rotation; ``available`` is the new-grade stock on hand."""

    sku: str
    quantity: int
    unit_price: Decimal
    product_id: int | None = None
    lifecycle: str = "active"
    available: int = 0

    @property
    def value(self) -> Decimal:
        return self.unit_price * self.quantity


@dataclass(frozen=True, slots=True)
class AccountFacts:
    """What the rules need to know about the account's history, in the account's currency.

    Counting RMAs are of the same return type, submitted, and not rejected or cancelled;
    the RMA being evaluated is left out. ``allowance_used`` counts credited RMAs at what was
    credited and the others at their value at submission; ``allowance_credited`` is the
    credited part of it. ``*_period_days`` record the periods the figures
    were loaded for (None when the rule was off and nothing was loaded).
    """

    currency: str = "EUR"
    net_purchases: Decimal = Decimal(0)
    allowance_used: Decimal = Decimal(0)
    allowance_credited: Decimal = Decimal(0)
    allowance_period_days: int | None = None
    last_submitted_on: date | None = None
    requests_in_period: int = 0
    frequency_period_days: int | None = None


@dataclass(frozen=True, slots=True)
class PolicyRequest:
    """A request as the rules see it. ``today`` is the only clock the rules read."""

    today: date
    lines: tuple[RequestLine, ...] = ()
    replacement_lines: tuple[ReplacementRequestLine, ...] = ()
    facts: AccountFacts = field(default_factory=AccountFacts)

    @property
    def currency(self) -> str:
        return self.facts.currency

    @property
    def value(self) -> Decimal:
        """Invoice value of everything returned, unrounded (the RMA's total_value)."""
        return sum((line.value for line in self.lines), Decimal(0))

    @property
    def units(self) -> int:
        return sum(line.quantity for line in self.lines)
