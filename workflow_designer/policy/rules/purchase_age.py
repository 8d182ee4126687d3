"""Purchase age: only lines bought (invoiced) at least and/or at most a period ago."""

from __future__ import annotations

from datetime import date
from typing import Any

from workflow_designer.policy.periods import Period
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
from workflow_designer.policy.spec import period_param


def age_range_words(low: Period | None, high: Period | None) -> str:
    """The rule in the words every message and explanation share: ``bought at least 3
    months ago``, ``bought 90 days to 24 months ago``, ``bought at most 2 years ago``."""
    if low is not None and high is not None:
        if low.unit == high.unit:
            return f"bought {low.count} to {high.words()} ago"
        return f"bought {low.words()} to {high.words()} ago"
    if low is not None:
        return f"bought at least {low.words()} ago"
    return f"bought at most {high.words() if high else '0 days'} ago"


def _too_recent(low: Period | None, bought: date, today: date) -> bool:
    # Both limits are inclusive: bought on 31 Jan, "at least 1 month" holds from 28 Feb.
    return low is not None and today < low.after(bought)


def _too_old(high: Period | None, bought: date, today: date) -> bool:
    return high is not None and today > high.after(bought)


@register_rule
class PurchaseAge(PolicyRule):
    name = "purchase_age"
    label = "Purchase age"
    description = (
        "Only products bought (invoiced) at least a minimum and at most a maximum time ago."
    )
    group = "rotation"
    order = 70
    params = (
        period_param("min_days", "Minimum age", required=False, minimum=0),
        period_param("max_days", "Maximum age", required=False, minimum=0),
    )

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        low, high = params["min_days"], params["max_days"]
        recent, old = [], []
        for line in request.lines:
            age = (request.today - line.invoice_date).days
            if _too_recent(low, line.invoice_date, request.today):
                recent.append((line, age))
            elif _too_old(high, line.invoice_date, request.today):
                old.append((line, age))
        figures: dict[str, Any] = {
            "min_days": low and low.as_json(),
            "max_days": high and high.as_json(),
        }
        for key, found in (("too_recent", recent), ("too_old", old)):
            figures[key] = [
                {**line_ref(line), "invoice_date": line.invoice_date.isoformat(), "age_days": age}
                for line, age in found
            ]
        parts = [
            _age_part(found, side, limit)
            for found, side, limit in ((recent, "less", low), (old, "more", high))
            if found and limit
        ]
        if parts:
            return Outcome(False, f"Purchase age: {'; '.join(parts)}", figures)
        words = age_range_words(low, high)
        if not request.lines:
            return Outcome(True, f"Purchase age: products must have been {words}", figures)
        return Outcome(True, f"Purchase age: every line was {words}", figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        words = age_range_words(params["min_days"], params["max_days"])
        return f"Only products {words} can be returned."

    def line_reason(self, params: Params, line: RequestLine, today: date) -> str | None:
        low, high = params["min_days"], params["max_days"]
        if low is not None and _too_recent(low, line.invoice_date, today):
            return f"bought less than {low.words()} ago"
        if high is not None and _too_old(high, line.invoice_date, today):
            return f"bought more than {high.words()} ago"
        return None

    def check_together(self, params: Params) -> list[tuple[str, str]]:
        low, high = params["min_days"], params["max_days"]
        if low is None and high is None:
            return [("min_days", "set a minimum, a maximum or both")]
        if low is not None and high is not None and high.approx_days < low.approx_days:
            return [
                (
                    "max_days",
                    f"the maximum ({high.words()}) is below the minimum ({low.words()})",
                )
            ]
        return []


def _age_part(found: list[tuple[RequestLine, int]], side: str, limit: Period) -> str:
    invoices = list(dict.fromkeys(line.invoice_number for line, _ in found))
    verb = "was" if len(found) == 1 else "were"
    return (
        f"{plural(len(found), 'line')} {verb} bought {side} than "
        f"{limit.words()} ago ({listing(invoices)})"
    )
