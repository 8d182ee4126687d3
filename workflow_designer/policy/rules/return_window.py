"""Return window: lines may be returned only within a number of days of a date."""

from __future__ import annotations

from datetime import date, timedelta
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
from workflow_designer.policy.spec import DATE_BASES, ParamSpec, days_param


def window_of(params: Params, line: RequestLine) -> tuple[str, date, date]:
    """(``"invoiced"``/``"delivered"``, the date counted from, the window's last day).

    A line with no delivery date is counted from its invoice date, which is never later.
    """
    delivered = params["from"] == "delivery" and line.delivery_date is not None
    start = line.delivery_date if delivered and line.delivery_date else line.invoice_date
    return ("delivered" if delivered else "invoiced"), start, start + timedelta(params["days"])


@register_rule
class ReturnWindow(PolicyRule):
    name = "return_window"
    label = "Return window"
    description = "Lines may be returned only within a number of days of their invoice or delivery."
    group = "common"
    order = 10
    params = (
        days_param("days", "Days", "How many days after the date below a line may be returned."),
        ParamSpec(
            "from",
            "Counted from",
            "choice",
            "Delivery falls back to the invoice date when no delivery date is known.",
            choices=DATE_BASES,
        ),
    )

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        days, basis = params["days"], params["from"]
        late = []
        for line in request.lines:
            word, start, end = window_of(params, line)
            if request.today > end:
                late.append((line, word, start, end))
        figures: dict[str, Any] = {"days": days, "from": basis, "lines": len(request.lines)}
        figures["late_lines"] = [
            {**line_ref(line), "counted_from": start.isoformat(), "window_ended": end.isoformat()}
            for line, _, start, end in late
        ]
        if len(late) == 1:
            line, word, start, end = late[0]
            text = f"line {line.sku} {word} {start} is past the {days}-day window (ended {end})"
            return Outcome(False, f"Return window: {text}", figures)
        if late:
            items = listing(
                f"{line.sku} {word} {start} (ended {end})" for line, word, start, end in late
            )
            text = f"{len(late)} lines are past the {days}-day window: {items}"
            return Outcome(False, f"Return window: {text}", figures)
        text = _lines_within(len(request.lines), days, basis)
        return Outcome(True, f"Return window: {text}", figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        basis = "the invoice date" if params["from"] == "invoice" else "delivery"
        return f"Return within {plural(params['days'], 'day')} of {basis}."

    def line_reason(self, params: Params, line: RequestLine, today: date) -> str | None:
        word, start, end = window_of(params, line)
        if today <= end:
            return None
        return f"{word} {start.isoformat()}, past the {params['days']}-day window (ended {end})"


def _lines_within(count: int, days: int, basis: str) -> str:
    if count == 0:
        return f"lines can be returned up to {plural(days, 'day')} after {basis}"
    lines = "the line is" if count == 1 else f"all {count} lines are"
    return f"{lines} within {plural(days, 'day')} of {basis}"
