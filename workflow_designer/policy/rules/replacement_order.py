"""Replacement order: new stock ordered with the request, worth at least a share of it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from workflow_designer.policy.money import format_money, format_percent, percent_of, round_money
from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import (
    Outcome,
    Params,
    PolicyRule,
    listing,
    register_rule,
)
from workflow_designer.policy.spec import MAX_AMOUNT, ParamSpec, percent_param


@register_rule
class ReplacementOrder(PolicyRule):
    name = "replacement_order"
    label = "Replacement order"
    description = (
        "New stock must be ordered with the request, worth at least a ratio of the returned "
        "value and/or a fixed amount; replacement products must be active and in stock."
    )
    group = "rotation"
    order = 60
    params = (
        percent_param(
            "min_ratio_percent",
            "Minimum ratio (% of returned value)",
            "E.g. 100 for an order worth at least what is returned.",
            required=False,
            maximum=1000,
        ),
        ParamSpec(
            "min_amount",
            "Minimum amount",
            "decimal",
            "In the account's currency.",
            False,
            Decimal(0),
            MAX_AMOUNT,
        ),
    )

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        ratio, amount = params["min_ratio_percent"], params["min_amount"]
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

    def explain(self, params: Params, currency: str, today: date) -> str:
        parts = []
        if params["min_ratio_percent"] is not None:
            parts.append(f"{format_percent(params['min_ratio_percent'])} of the value you return")
        if params["min_amount"] is not None:
            parts.append(format_money(params["min_amount"], currency))
        return (
            f"With each request, order new stock (active products in stock) worth at least "
            f"{' and at least '.join(parts)}."
        )

    def check_together(self, params: Params) -> list[tuple[str, str]]:
        if all(value is None for value in params.values()):
            return [("min_ratio_percent", "set a minimum ratio, a minimum amount or both")]
        return []


def _required(
    ratio: Decimal | None, amount: Decimal | None, returned: Decimal, currency: str
) -> Decimal:
    """The larger of the ratio of the returned value and the fixed minimum."""
    by_ratio = round_money(percent_of(ratio, returned), currency) if ratio is not None else None
    by_amount = round_money(amount, currency) if amount is not None else None
    candidates = [v for v in (by_ratio, by_amount) if v is not None]
    return max(candidates, default=Decimal(0))
