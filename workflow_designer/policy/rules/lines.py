"""Rules that judge each returned line on its own: window, eligibility, evidence, age.

Each has a per-line function (also used to filter lines while picking them) and a check
that gathers the failing lines into one finding.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from workflow_designer.policy.request import PolicyRequest, RequestLine
from workflow_designer.policy.rules.base import Outcome, check, line_ref, listing, plural
from workflow_designer.policy.validation import RuleConfig

# --- return window -------------------------------------------------------------------


def window_of(params: dict[str, Any], line: RequestLine) -> tuple[str, date, date]:
    """(``"invoiced"``/``"delivered"``, the date counted from, the window's last day).

    A line with no delivery date is counted from its invoice date, which is never later.
    """
    delivered = params["from"] == "delivery" and line.delivery_date is not None
    start = line.delivery_date if delivered and line.delivery_date else line.invoice_date
    return ("delivered" if delivered else "invoiced"), start, start + timedelta(params["days"])


def late_reason(params: dict[str, Any], line: RequestLine, today: date) -> str | None:
    word, start, end = window_of(params, line)
    if today <= end:
        return None
    return f"{word} {start.isoformat()}, past the {params['days']}-day window (ended {end})"


@check("return_window")
def check_return_window(config: RuleConfig, request: PolicyRequest) -> Outcome:
    days, basis = config.params["days"], config.params["from"]
    late = []
    for line in request.lines:
        word, start, end = window_of(config.params, line)
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


def _lines_within(count: int, days: int, basis: str) -> str:
    if count == 0:
        return f"lines can be returned up to {plural(days, 'day')} after {basis}"
    lines = "the line is" if count == 1 else f"all {count} lines are"
    return f"{lines} within {plural(days, 'day')} of {basis}"


# --- eligible products ---------------------------------------------------------------

_ATTRIBUTES = (("lifecycles", "lifecycle"), ("brands", "brand"), ("categories", "category"))


def ineligible_reasons(params: dict[str, Any], line: RequestLine) -> list[str]:
    """``["brand Vista"]`` for each attribute of the line the rule does not accept."""
    return _reasons(_accepted_sets(params), line)


def _accepted_sets(params: dict[str, Any]) -> dict[str, set[str]]:
    return {key: {value.casefold() for value in params[key]} for key, _ in _ATTRIBUTES}


def _reasons(accepted: dict[str, set[str]], line: RequestLine) -> list[str]:
    reasons = []
    for key, word in _ATTRIBUTES:
        value = getattr(line, word)
        if accepted[key] and value.casefold() not in accepted[key]:
            reasons.append(f"{word} {value or 'unknown'}")
    return reasons


def accepted_words(params: dict[str, Any]) -> str:
    """``lifecycle discontinued or clearance, brand Lunetta`` — or ``any product``."""
    parts = [f"{word} {_either(params[key])}" for key, word in _ATTRIBUTES if params[key]]
    return ", ".join(parts) if parts else "any product"


def _either(values: tuple[str, ...]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    return values[0] if len(values) == 1 else ", ".join(values[:-1]) + " or " + values[-1]


@check("eligible_products")
def check_eligible_products(config: RuleConfig, request: PolicyRequest) -> Outcome:
    params = config.params
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


# --- evidence ------------------------------------------------------------------------


def evidence_wanted(params: dict[str, Any]) -> str:
    both = params["photos"] and params["description"]
    return "photos and a description" if both else "photos" if params["photos"] else "a description"


@check("evidence")
def check_evidence(config: RuleConfig, request: PolicyRequest) -> Outcome:
    params = config.params
    no_photos = [line.sku for line in request.lines if params["photos"] and line.photos < 1]
    no_text = [
        line.sku for line in request.lines if params["description"] and not line.description.strip()
    ]
    figures = {
        "photos": params["photos"],
        "description": params["description"],
        "lines_without_photos": no_photos,
        "lines_without_description": no_text,
    }
    missing = [
        f"{what} missing for {plural(len(skus), 'line')} ({listing(skus)})"
        for what, skus in (("photos", no_photos), ("description", no_text))
        if skus
    ]
    if missing:
        return Outcome(False, f"Evidence: {'; '.join(missing)}", figures)
    wanted = evidence_wanted(params)
    if not request.lines:
        return Outcome(True, f"Evidence: each line needs {wanted}", figures)
    return Outcome(True, f"Evidence: {wanted} given for every line", figures)


# --- purchase age --------------------------------------------------------------------


def age_reason(params: dict[str, Any], line: RequestLine, today: date) -> str | None:
    age = (today - line.invoice_date).days
    if params["min_days"] is not None and age < params["min_days"]:
        return f"invoiced less than {plural(params['min_days'], 'day')} ago"
    if params["max_days"] is not None and age > params["max_days"]:
        return f"invoiced more than {plural(params['max_days'], 'day')} ago"
    return None


def age_range_words(low: int | None, high: int | None) -> str:
    if low is not None and high is not None:
        return f"invoiced {low} to {plural(high, 'day')} ago"
    if low is not None:
        return f"invoiced at least {plural(low, 'day')} ago"
    return f"invoiced at most {plural(high or 0, 'day')} ago"


@check("purchase_age")
def check_purchase_age(config: RuleConfig, request: PolicyRequest) -> Outcome:
    low, high = config.params["min_days"], config.params["max_days"]
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


def _age_part(found: list[tuple[RequestLine, int]], side: str, limit: int | None) -> str:
    invoices = list(dict.fromkeys(line.invoice_number for line, _ in found))
    verb = "was" if len(found) == 1 else "were"
    return (
        f"{plural(len(found), 'line')} {verb} invoiced {side} than "
        f"{plural(limit or 0, 'day')} ago ({listing(invoices)})"
    )
