"""Return window: lines may be returned only within a period (days, weeks, months) of a date."""

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
    register_rule,
)
from workflow_designer.policy.spec import DATE_BASES, ParamSpec, period_param


def window_of(params: Params, line: RequestLine) -> tuple[str, date, date]:
    """(``"invoiced"``/``"delivered"``, the date counted from, the window's last day).

    A line with no delivery date is counted from its invoice date, which is never later.
    """
    delivered = params["from"] == "delivery" and line.delivery_date is not None
    start = line.delivery_date if delivered and line.delivery_date else line.invoice_date
    return ("delivered" if delivered else "invoiced"), start, params["days"].after(start)


@register_rule
class ReturnWindow(PolicyRule):
    name = "return_window"
    label = "Return window"
    description = (
        "Lines may be returned only within a time (days, weeks or months) of their invoice "
        "or delivery."
    )
    group = "common"
    order = 10
    params = (
        period_param(
            "days", "Time to return", "How long after the date below a line may be returned."
        ),
        ParamSpec(
            "from",
            "Counted from",
            "choice",
            "Delivery falls back to the invoice date when no delivery date is known.",
            choices=DATE_BASES,
        ),
    )

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        period: Period = params["days"]
        basis = params["from"]
        days = period.adjective()
        late = []
        for line in request.lines:
            word, start, end = window_of(params, line)
            if request.today > end:
                late.append((line, word, start, end))
        figures: dict[str, Any] = {"days": period.as_json(), "from": basis}
        figures["lines"] = len(request.lines)
        figures["late_lines"] = [
            {**line_ref(line), "counted_from": start.isoformat(), "window_ended": end.isoformat()}
            for line, _, start, end in late
        ]
        if len(late) == 1:
            line, word, start, end = late[0]
            text = f"line {line.sku} {word} {start} is past the {days} window (ended {end})"
            return Outcome(False, f"Return window: {text}", figures)
        if late:
            items = listing(
                f"{line.sku} {word} {start} (ended {end})" for line, word, start, end in late
            )
            text = f"{len(late)} lines are past the {days} window: {items}"
            return Outcome(False, f"Return window: {text}", figures)
        text = _lines_within(len(request.lines), period, basis)
        return Outcome(True, f"Return window: {text}", figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        basis = "the invoice date" if params["from"] == "invoice" else "delivery"
        return f"Return within {params['days'].words()} of {basis}."

    def line_reason(self, params: Params, line: RequestLine, today: date) -> str | None:
        word, start, end = window_of(params, line)
        if today <= end:
            return None
        days = params["days"].adjective()
        return f"{word} {start.isoformat()}, past the {days} window (ended {end})"


def _lines_within(count: int, period: Period, basis: str) -> str:
    if count == 0:
        return f"lines can be returned up to {period.words()} after {basis}"
    lines = "the line is" if count == 1 else f"all {count} lines are"
    return f"{lines} within {period.words()} of {basis}"
