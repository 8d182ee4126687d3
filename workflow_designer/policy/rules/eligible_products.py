"""Eligible products: only products of the listed lifecycles, brands and categories."""

from __future__ import annotations

from datetime import date
from typing import Any

from workflow_designer.policy.request import PolicyRequest, RequestLine
from workflow_designer.policy.rules.base import (
    Outcome,
    Params,
    PolicyRule,
    line_ref,
    listing,
    plural,
    register_rule,
)
from workflow_designer.policy.spec import LIFECYCLES, ParamSpec

_ATTRIBUTES = (("lifecycles", "lifecycle"), ("brands", "brand"), ("categories", "category"))


def _accepted_sets(params: Params) -> dict[str, set[str]]:
    return {key: {value.casefold() for value in params[key]} for key, _ in _ATTRIBUTES}


def _reasons(accepted: dict[str, set[str]], line: RequestLine) -> list[str]:
    """``["brand Vista"]`` for each attribute of the line the rule does not accept."""
    reasons = []
    for key, word in _ATTRIBUTES:
        value = getattr(line, word)
        if accepted[key] and value.casefold() not in accepted[key]:
            reasons.append(f"{word} {value or 'unknown'}")
    return reasons


def accepted_words(params: Params) -> str:
    """``lifecycle discontinued or clearance, brand Lunetta`` — or ``any product``."""
    parts = [f"{word} {_either(params[key])}" for key, word in _ATTRIBUTES if params[key]]
    return ", ".join(parts) if parts else "any product"


def _either(values: tuple[str, ...]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


@register_rule
class EligibleProducts(PolicyRule):
    name = "eligible_products"
    label = "Eligible products"
    description = "Only products of the listed lifecycles, brands and categories may be returned."
    group = "common"
    order = 20
    params = (
        ParamSpec(
            "lifecycles",
            "Lifecycles",
            "multichoice",
            "Leave empty to accept any lifecycle.",
            choices=LIFECYCLES,
            choices_source="lifecycles",
        ),
        ParamSpec(
            "brands",
            "Brands",
            "multichoice",
            "Leave empty to accept any brand.",
            choices_source="brands",
        ),
        ParamSpec(
            "categories",
            "Categories",
            "multichoice",
            "Leave empty to accept any category.",
            choices_source="categories",
        ),
    )

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        sets = _accepted_sets(params)  # built once: the rule runs over every line
        failing = [(line, r) for line in request.lines if (r := _reasons(sets, line))]
        accepted = accepted_words(params)
        figures: dict[str, Any] = {key: list(values) for key, values in params.items()}
        figures["ineligible_lines"] = [{**line_ref(line), "reasons": r} for line, r in failing]
        if failing:
            count = len(failing)
            items = listing(f"{line.sku} ({', '.join(r)})" for line, r in failing)
            verb = "is" if count == 1 else "are"
            text = f"{plural(count, 'line')} {verb} not eligible: {items}; accepted: {accepted}"
            return Outcome(False, f"Eligible products: {text}", figures)
        if not request.lines:
            return Outcome(True, f"Eligible products: {accepted}", figures)
        return Outcome(True, f"Eligible products: every line qualifies ({accepted})", figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        accepted = accepted_words(params)
        if accepted == "any product":
            return "Any product you bought can be returned."
        return f"Only products with {accepted} can be returned."

    def line_reason(self, params: Params, line: RequestLine, today: date) -> str | None:
        return "; ".join(_reasons(_accepted_sets(params), line))
