"""Rules on the request as a whole: its size, the allowance, the replacement order."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from workflow_designer.policy.dates import period_words
from workflow_designer.policy.money import format_money, format_percent, percent_of, round_money
from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import Outcome, check, listing, plural
from workflow_designer.policy.validation import RuleConfig


def frames(count: int) -> str:
    return plural(count, "frame")


def size_words(low: int | None, high: int | None) -> str:
    """``Minimum 10 frames`` · ``Maximum 50 frames`` · ``10 to 50 frames``."""
    if low is not None and high is not None:
        return f"{low} to {frames(high)}" if low != high else f"Exactly {frames(low)}"
    return f"Minimum {frames(low)}" if low is not None else f"Maximum {frames(high or 0)}"


@check("request_size")
def check_request_size(config: RuleConfig, request: PolicyRequest) -> Outcome:
    low, high = config.params["min_units"], config.params["max_units"]
    units = request.units
    figures = {"units": units, "min_units": low, "max_units": high}
    too_few = low is not None and units < low
    too_many = high is not None and units > high
    # Name the bound that failed, so a failure never reads like the other side's.
    words = (
        size_words(low, None)
        if too_few and high is not None
        else size_words(None, high)
        if too_many and low is not None
        else size_words(low, high)
    )
    return Outcome(not (too_few or too_many), f"{words}: {units} selected", figures)


@check("allowance")
def check_allowance(config: RuleConfig, request: PolicyRequest) -> Outcome:
    percent, days = config.params["percent"], config.params["period_days"]
    facts, currency = request.facts, request.currency
    allowance = round_money(percent_of(percent, facts.net_purchases), currency)
    this_request = round_money(request.value, currency)
    before = round_money(facts.allowance_used, currency)
    credited = round_money(facts.allowance_credited, currency)
    used = before + this_request
    left = allowance - used
    figures = {
        "currency": currency,
        "percent": str(percent),
        "period_days": days,
        "net_purchases": str(round_money(facts.net_purchases, currency)),
        "allowance": str(allowance),
        "previously_used": str(before),
        "previously_credited": str(credited),
        "previously_pending": str(before - credited),
        "this_request": str(this_request),
        "used": str(used),
        "left": str(left),
        "includes_this_request": True,
    }

    def money(amount: Decimal) -> str:
        return format_money(amount, currency)

    rest = f"{money(left)} left" if left >= 0 else f"{money(-left)} over"
    message = (
        f"Allowance: {money(used)} of {money(allowance)} used in the last {period_words(days)}, "
        f"{rest} (this request: {money(this_request)})"
    )
    return Outcome(left >= 0, message, figures)


@check("replacement_order")
def check_replacement_order(config: RuleConfig, request: PolicyRequest) -> Outcome:
    ratio, amount = config.params["min_ratio_percent"], config.params["min_amount"]
    currency = request.currency
    returned = round_money(request.value, currency)
    required = _required(ratio, amount, returned, currency)
    ordered = round_money(
        sum((line.value for line in request.replacement_lines), Decimal(0)), currency
    )
    inactive = [line.sku for line in request.replacement_lines if line.lifecycle != "active"]
    # An inactive product is refused whatever its stock: name it once.
    short = [
        line
        for line in request.replacement_lines
        if line.lifecycle == "active" and line.available < line.quantity
    ]
    figures: dict[str, Any] = {
        "currency": currency,
        "min_ratio_percent": None if ratio is None else str(ratio),
        "min_amount": None if amount is None else str(amount),
        "returned_value": str(returned),
        "required": str(required),
        "ordered": str(ordered),
        "shortfall": str(max(required - ordered, round_money(Decimal(0), currency))),
        "inactive": inactive,
        "short_of_stock": [
            {"sku": line.sku, "quantity": line.quantity, "available": line.available}
            for line in short
        ],
    }

    def money(value: Decimal) -> str:
        return format_money(value, currency)

    basis = []
    if ratio is not None:
        basis.append(f"{format_percent(ratio)} of {money(returned)} returned")
    if amount is not None:
        basis.append(f"minimum {money(round_money(amount, currency))}")
    text = f"{money(ordered)} ordered, at least {money(required)} required ({', '.join(basis)})"
    if ordered < required:
        text += f", {money(required - ordered)} to go"
    if inactive:
        text += f"; not active: {listing(inactive)}"
    if short:
        text += "; not enough stock: " + listing(
            f"{line.sku} ({line.available} in stock)" for line in short
        )
    passed = ordered >= required and not inactive and not short
    return Outcome(passed, f"Replacement order: {text}", figures)


def _required(
    ratio: Decimal | None, amount: Decimal | None, returned: Decimal, currency: str
) -> Decimal:
    """The larger of the ratio of the returned value and the fixed minimum."""
    by_ratio = round_money(percent_of(ratio, returned), currency) if ratio is not None else None
    by_amount = round_money(amount, currency) if amount is not None else None
    candidates = [v for v in (by_ratio, by_amount) if v is not None]
    return max(candidates, default=Decimal(0))
