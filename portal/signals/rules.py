"""The risk signal rules: plain facts and thresholds in, a ``Signal`` (or None) out.

Pure: no Flask, no database, no clock. ``queries`` gathers the facts of many accounts in a
few set-based queries; ``words`` writes a signal's sentence from its code and figures when
it is shown, in the reader's language. Figures are JSON-safe (decimals as strings), so a
signal can travel in an outbox payload and be written out later.

What counts, over the trailing period (``Thresholds.period_days``, calendar days in UTC):
RMAs submitted in it, as the policy counts them (not rejected or cancelled) for returned
value and repeated SKUs; every submitted RMA for exceptions (a refused exception was still
asked for); received and inspected lines of RMAs submitted in it for receipts and grades.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from workflow_designer.policy.vocabulary import Grade

RETURN_RATE = "return_rate"
REPEAT_SKU = "repeat_sku"
CONDITION_MISMATCH = "condition_mismatch"
OVER_RECEIPT = "over_receipt"
EXCEPTIONS = "exceptions"
ROTATION_RUSH = "rotation_rush"
CODES = (RETURN_RATE, REPEAT_SKU, CONDITION_MISMATCH, OVER_RECEIPT, EXCEPTIONS, ROTATION_RUSH)

ONE_DECIMAL = Decimal("0.1")

# How worn each grade is; a unit graded more worn than the retailer said it was is a
# mismatch. "Defective" is a fault, not wear: a unit claimed new that turns out faulty is
# the manufacturer's, not a false claim, while a unit claimed defective that inspection
# finds new or only unpacked ("no fault found") is one.
WEAR = (
    Grade.NEW,
    Grade.OPEN_PACKAGING,
    Grade.USED,
    Grade.LIGHTLY_DAMAGED,
    Grade.HEAVILY_DAMAGED,
)
NO_FAULT_FOUND = frozenset({Grade.NEW.value, Grade.OPEN_PACKAGING.value})
MISMATCHED_GRADES: dict[str, frozenset[str]] = {
    **{claimed.value: frozenset(g.value for g in WEAR[i + 1 :]) for i, claimed in enumerate(WEAR)},
    Grade.DEFECTIVE.value: NO_FAULT_FOUND,
}


def condition_mismatch(claimed: str, grade: str) -> bool:
    """True when inspection found ``grade`` where the retailer claimed ``claimed``."""
    return grade in MISMATCHED_GRADES.get(claimed, frozenset())


@dataclass(frozen=True)
class Bound:
    low: int
    high: int


# Each threshold's bounds: what the admin's form accepts and what a stored value must
# respect to be used (otherwise its default is).
BOUNDS: dict[str, Bound] = {
    "period_days": Bound(30, 730),
    "return_rate_percentile": Bound(50, 99),
    "repeat_sku_times": Bound(2, 50),
    "mismatch_lines": Bound(1, 50),
    "over_receipt_lines": Bound(1, 50),
    "exceptions_requested": Bound(1, 50),
    "exceptions_approved_percent": Bound(0, 100),
    "rotation_rush_percent": Bound(10, 100),
    "rotation_rush_days": Bound(1, 60),
}


@dataclass(frozen=True)
class Thresholds:
    """When each signal fires; ``<code>_on`` switches a signal off."""

    period_days: int = 365
    return_rate_on: bool = True
    return_rate_percentile: int = 90
    repeat_sku_on: bool = True
    repeat_sku_times: int = 3
    condition_mismatch_on: bool = True
    mismatch_lines: int = 3
    over_receipt_on: bool = True
    over_receipt_lines: int = 2
    exceptions_on: bool = True
    exceptions_requested: int = 3
    exceptions_approved_percent: int = 0
    rotation_rush_on: bool = True
    rotation_rush_percent: int = 90
    rotation_rush_days: int = 7

    def enabled(self, code: str) -> bool:
        return bool(getattr(self, f"{code}_on"))

    def as_document(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_document(cls, document: Any) -> Thresholds:
        """The thresholds a stored document sets; a value missing, of the wrong type or
        out of bounds is left at its default."""
        if not isinstance(document, Mapping):
            return cls()
        values: dict[str, Any] = {}
        for item in fields(cls):
            value = document.get(item.name)
            if _acceptable(item.name, str(item.type), value):
                values[item.name] = value
        return cls(**values)


def _acceptable(name: str, kind: str, value: Any) -> bool:
    if kind == "bool":
        return isinstance(value, bool)
    bound = BOUNDS[name]
    return type(value) is int and bound.low <= value <= bound.high


@dataclass(frozen=True)
class Rush:
    """An account's rotations in the first days after a rotation window opened."""

    opened: date
    rotations: int
    value: Decimal
    allowance: Decimal  # the allowance as it stood the day the window opened


@dataclass(frozen=True)
class AccountFacts:
    account_id: int
    currency: str
    purchased: Decimal = Decimal(0)
    returned: Decimal = Decimal(0)
    repeated_skus: Sequence[tuple[str, int]] = ()  # (SKU, RMAs), most first
    inspected_lines: int = 0  # lines with a claimed condition that were graded
    mismatched_lines: int = 0
    over_received_lines: int = 0
    over_received_units: int = 0
    exceptions_requested: int = 0
    exceptions_approved: int = 0
    rushes: Sequence[Rush] = ()

    @property
    def return_rate(self) -> Decimal | None:
        """Returned value in percent of purchased value; None without purchases."""
        if self.purchased <= 0:
            return None
        return self.returned * 100 / self.purchased


@dataclass(frozen=True)
class Network:
    """Every account's return rate (percent), for percentiles."""

    rates: Sequence[Decimal] = field(default_factory=tuple)

    def percentile(self, n: int) -> Decimal | None:
        """The nearest-rank ``n``th percentile: the smallest rate that at least ``n`` %
        of accounts do not exceed. None for an empty network."""
        ordered = sorted(self.rates)
        if not ordered:
            return None
        rank = max(math.ceil(n * len(ordered) / 100), 1)
        return ordered[rank - 1]

    def share_below(self, rate: Decimal) -> Decimal:
        """The percentage of accounts whose rate is below ``rate``."""
        if not self.rates:
            return Decimal(0)
        below = sum(1 for r in self.rates if r < rate)
        return Decimal(below * 100) / len(self.rates)


@dataclass(frozen=True)
class Signal:
    code: str
    account_id: int
    figures: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {"code": self.code, "account_id": self.account_id, "figures": self.figures}


def _pct(value: Decimal) -> str:
    return str(value.quantize(ONE_DECIMAL, ROUND_HALF_UP))


def return_rate(facts: AccountFacts, network: Network, t: Thresholds) -> Signal | None:
    """Returned value over purchased value above the network's Nth percentile."""
    rate = facts.return_rate
    limit = network.percentile(t.return_rate_percentile)
    if rate is None or limit is None or rate <= limit:
        return None
    figures = {
        "rate": _pct(rate),
        "percentile": t.return_rate_percentile,
        "percentile_rate": _pct(limit),
        "share_below": _pct(network.share_below(rate)),
        "returned": str(facts.returned),
        "purchased": str(facts.purchased),
        "currency": facts.currency,
        "period_days": t.period_days,
    }
    return Signal(RETURN_RATE, facts.account_id, figures)


def repeat_sku(facts: AccountFacts, network: Network, t: Thresholds) -> Signal | None:
    """One SKU on N or more RMAs."""
    repeated = [(sku, times) for sku, times in facts.repeated_skus if times >= t.repeat_sku_times]
    if not repeated:
        return None
    sku, times = max(repeated, key=lambda item: (item[1], item[0]))
    figures = {"sku": sku, "times": times, "skus": len(repeated), "period_days": t.period_days}
    return Signal(REPEAT_SKU, facts.account_id, figures)


def mismatch(facts: AccountFacts, network: Network, t: Thresholds) -> Signal | None:
    """N or more lines graded worse than the retailer said they were."""
    if facts.mismatched_lines < t.mismatch_lines:
        return None
    figures = {
        "lines": facts.mismatched_lines,
        "inspected": facts.inspected_lines,
        "period_days": t.period_days,
    }
    return Signal(CONDITION_MISMATCH, facts.account_id, figures)


def over_receipt(facts: AccountFacts, network: Network, t: Thresholds) -> Signal | None:
    """N or more lines that arrived with more units than were authorised."""
    if facts.over_received_lines < t.over_receipt_lines:
        return None
    figures = {
        "lines": facts.over_received_lines,
        "units": facts.over_received_units,
        "period_days": t.period_days,
    }
    return Signal(OVER_RECEIPT, facts.account_id, figures)


def exceptions(facts: AccountFacts, network: Network, t: Thresholds) -> Signal | None:
    """N or more exception requests, of which at least the set share was approved."""
    requested = facts.exceptions_requested
    if requested < t.exceptions_requested or requested == 0:
        return None
    share = Decimal(facts.exceptions_approved * 100) / requested
    if share < t.exceptions_approved_percent:
        return None
    figures = {
        "requested": requested,
        "approved": facts.exceptions_approved,
        "approved_share": _pct(share),
        "period_days": t.period_days,
    }
    return Signal(EXCEPTIONS, facts.account_id, figures)


def rotation_rush(facts: AccountFacts, network: Network, t: Thresholds) -> Signal | None:
    """Rotations that used X % or more of the allowance within D days of a window opening
    (the most used one is named)."""
    used = [
        (rush.value * 100 / rush.allowance, rush)
        for rush in facts.rushes
        if rush.allowance > 0 and rush.value * 100 >= rush.allowance * t.rotation_rush_percent
    ]
    if not used:
        return None
    share, rush = max(used, key=lambda item: (item[0], item[1].opened))
    figures = {
        "used": _pct(share),
        "opened": rush.opened.isoformat(),
        "days": t.rotation_rush_days,
        "rotations": rush.rotations,
        "value": str(rush.value),
        "allowance": str(rush.allowance),
        "currency": facts.currency,
        "windows": len(used),
    }
    return Signal(ROTATION_RUSH, facts.account_id, figures)


Rule = Callable[[AccountFacts, Network, Thresholds], Signal | None]
RULES: dict[str, Rule] = {
    RETURN_RATE: return_rate,
    REPEAT_SKU: repeat_sku,
    CONDITION_MISMATCH: mismatch,
    OVER_RECEIPT: over_receipt,
    EXCEPTIONS: exceptions,
    ROTATION_RUSH: rotation_rush,
}


def signals_of(facts: AccountFacts, network: Network, thresholds: Thresholds) -> list[Signal]:
    """The signals the account's facts raise, in the order of ``CODES``."""
    found = (
        rule(facts, network, thresholds) for code, rule in RULES.items() if thresholds.enabled(code)
    )
    return [signal for signal in found if signal is not None]


def evaluate(
    accounts: Iterable[AccountFacts], network: Network, thresholds: Thresholds
) -> dict[int, list[Signal]]:
    """Account id → its signals, for the accounts that raise any."""
    found = {facts.account_id: signals_of(facts, network, thresholds) for facts in accounts}
    return {account_id: signals for account_id, signals in found.items() if signals}
