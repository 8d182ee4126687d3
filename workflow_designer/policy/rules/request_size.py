"""Request size: a minimum and/or maximum number of units in one request."""

from __future__ import annotations

from datetime import date

from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import (
    Outcome,
    Params,
    PolicyRule,
    bounds_problems,
    plural,
    register_rule,
)
from workflow_designer.policy.spec import ParamSpec


def frames(count: int) -> str:
    return plural(count, "frame")


def size_words(low: int | None, high: int | None) -> str:
    """``Minimum 10 frames`` · ``Maximum 50 frames`` · ``10 to 50 frames``."""
    if low is not None and high is not None:
        return f"{low} to {frames(high)}" if low != high else f"Exactly {frames(low)}"
    return f"Minimum {frames(low)}" if low is not None else f"Maximum {frames(high or 0)}"


@register_rule
class RequestSize(PolicyRule):
    name = "request_size"
    label = "Request size"
    description = "Minimum and/or maximum number of units in one request."
    group = "rotation"
    order = 40
    params = (
        ParamSpec("min_units", "Minimum units", "int", "", False, 1, 100000),
        ParamSpec("max_units", "Maximum units", "int", "", False, 1, 100000),
    )

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        low, high = params["min_units"], params["max_units"]
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

    def explain(self, params: Params, currency: str, today: date) -> str:
        return f"{size_words(params['min_units'], params['max_units'])} per request."

    def check_together(self, params: Params) -> list[tuple[str, str]]:
        return bounds_problems(params, "min_units", "max_units", "units")
