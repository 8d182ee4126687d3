"""Purchase age: only lines invoiced at least and/or at most a number of days ago."""

from __future__ import annotations

from datetime import date
from typing import Any

from workflow_designer.policy.request import PolicyRequest, RequestLine
from workflow_designer.policy.rules.base import (
    Outcome,
    Params,
    PolicyRule,
    bounds_problems,
    line_ref,
    listing,
    plural,
    register_rule,
)
from workflow_designer.policy.spec import days_param


def age_range_words(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"invoiced {low} to {plural(high, 'day')} ago"
    if low is not None:
        return f"invoiced at least {plural(low, 'day')} ago"
    return f"invoiced at most {plural(high or 0, 'day')} ago"


@register_rule
class PurchaseAge(PolicyRule):
    name = "purchase_age"
    label = "Purchase age"
    description = "Only lines invoiced at least a minimum and at most a maximum number of days ago."
    group = "rotation"
    order = 70
    params = (
        days_param("min_days", "Minimum age (days)", required=False, minimum=0),
        days_param("max_days", "Maximum age (days)", required=False, minimum=0),
    )

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        low, high = params["min_days"], params["max_days"]
        recent, old = [], []
        for line in request.lines:
            age = (request.today - line.invoice_date).days
            if low is not None and age < low:
                recent.append((line, age))
            elif high is not None and age > high:
                old.append((line, age))
        figures: dict[str, Any] = {"min_days": low, "max_days": high}
        for key, found in (("too_recent", recent), ("too_old", old)):
            figures[key] = [
                {**line_ref(line), "invoice_date": line.invoice_date.isoformat(), "age_days": age}
                for line, age in found
            ]
        parts = [
            _age_part(found, side, limit)
            for found, side, limit in ((recent, "less", low), (old, "more", high))
            if found
        ]
        if parts:
            return Outcome(False, f"Purchase age: {'; '.join(parts)}", figures)
        words = age_range_words(low, high)
        if not request.lines:
            return Outcome(True, f"Purchase age: lines must have been {words}", figures)
        return Outcome(True, f"Purchase age: every line was {words}", figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        return f"Only lines {age_range_words(params['min_days'], params['max_days'])}."

    def line_reason(self, params: Params, line: RequestLine, today: date) -> str | None:
        age = (today - line.invoice_date).days
        if params["min_days"] is not None and age < params["min_days"]:
            return f"invoiced less than {plural(params['min_days'], 'day')} ago"
        if params["max_days"] is not None and age > params["max_days"]:
            return f"invoiced more than {plural(params['max_days'], 'day')} ago"
        return None

    def check_together(self, params: Params) -> list[tuple[str, str]]:
        return bounds_problems(params, "min_days", "max_days", "days")


def _age_part(found: list[tuple[RequestLine, int]], side: str, limit: int | None) -> str:
    invoices = list(dict.fromkeys(line.invoice_number for line, _ in found))
    verb = "was" if len(found) == 1 else "were"
    return (
        f"{plural(len(found), 'line')} {verb} invoiced {side} than "
        f"{plural(limit or 0, 'day')} ago ({listing(invoices)})"
    )
