"""A policy in plain words, for a retailer about to start a request.

What can I return, until when, and what will I get — one sentence per rule that is on,
then one sentence about the credit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from workflow_designer.policy.dates import period_words, short_date, window_status
from workflow_designer.policy.money import format_money, format_percent
from workflow_designer.policy.rules.base import listing, plural
from workflow_designer.policy.rules.credit import deduction_words
from workflow_designer.policy.rules.lines import accepted_words, age_range_words, evidence_wanted
from workflow_designer.policy.rules.rotation import size_words
from workflow_designer.policy.validation import RuleConfig, read_policy

EXCEPTION_NOTE = " You can ask for an exception, with a reason."

Sentence = Callable[[dict[str, Any], str, date], str]


def _return_window(p: dict[str, Any], currency: str, today: date) -> str:
    basis = "the invoice date" if p["from"] == "invoice" else "delivery"
    return f"Return within {plural(p['days'], 'day')} of {basis}."


def _eligible(p: dict[str, Any], currency: str, today: date) -> str:
    accepted = accepted_words(p)
    if accepted == "any product":
        return "Any product you bought can be returned."
    return f"Only products with {accepted} can be returned."


def _evidence(p: dict[str, Any], currency: str, today: date) -> str:
    return f"Each line needs {evidence_wanted(p)}."


def _request_size(p: dict[str, Any], currency: str, today: date) -> str:
    return f"{size_words(p['min_units'], p['max_units'])} per request."


def _allowance(p: dict[str, Any], currency: str, today: date) -> str:
    return (
        f"Returns may total up to {format_percent(p['percent'])} of your net purchases in the "
        f"last {period_words(p['period_days'])}; submitted requests count until they are "
        "rejected or cancelled."
    )


def _replacement(p: dict[str, Any], currency: str, today: date) -> str:
    parts = []
    if p["min_ratio_percent"] is not None:
        parts.append(f"{format_percent(p['min_ratio_percent'])} of the value you return")
    if p["min_amount"] is not None:
        parts.append(format_money(p["min_amount"], currency))
    return (
        f"With each request, order new stock (active products in stock) worth at least "
        f"{' and at least '.join(parts)}."
    )


def _purchase_age(p: dict[str, Any], currency: str, today: date) -> str:
    return f"Only lines {age_range_words(p['min_days'], p['max_days'])}."


def _windows(p: dict[str, Any], currency: str, today: date) -> str:
    spans = listing([w.words() for w in p["windows"]], limit=len(p["windows"]))
    status = window_status(list(p["windows"]), today)
    if status.open and status.open_until is None:
        now = "open all year"
    elif status.open and status.open_until:
        now = f"open now until {short_date(status.open_until)}"
    else:
        now = f"closed now; the next window opens {short_date(status.next_opens or today)}"
    return f"Requests are accepted {spans} each year: {now}."


def _cooldown(p: dict[str, Any], currency: str, today: date) -> str:
    return f"At least {plural(p['days'], 'day')} between two requests."


def _frequency(p: dict[str, Any], currency: str, today: date) -> str:
    requests = plural(p["max_requests"], "request")
    return f"At most {requests} in {period_words(p['period_days'])}."


SENTENCES: dict[str, Sentence] = {
    "return_window": _return_window,
    "eligible_products": _eligible,
    "evidence": _evidence,
    "request_size": _request_size,
    "allowance": _allowance,
    "replacement_order": _replacement,
    "purchase_age": _purchase_age,
    "calendar_windows": _windows,
    "cooldown": _cooldown,
    "request_frequency": _frequency,
}


def describe_policy(policy: Any, currency: str, today: date) -> list[str]:
    """Plain sentences describing ``policy``; amounts in ``currency``, windows as of ``today``."""
    read = read_policy(policy)
    lines = []
    for name, config in read.rules.items():
        if name in SENTENCES:
            text = SENTENCES[name](config.params, currency, today)
            lines.append(text + (EXCEPTION_NOTE if config.exception_allowed else ""))
    if not lines:
        lines.append("Any product you bought can be returned, at any time.")
    if read.broken:
        labels = listing([spec.label.lower() for spec in read.broken])
        lines.append(f"Requests cannot be checked until the distributor corrects: {labels}.")
    lines.append(_credit(read.rules))
    return lines


def _credit(rules: dict[str, RuleConfig]) -> str:
    def percent(name: str):
        return rules[name].params["percent"] if name in rules else None

    text = "You are credited the price you paid"
    if percent("restocking_fee"):
        text += f", less a {format_percent(percent('restocking_fee'))} restocking fee"
    deductions = deduction_words(percent("grade_deductions") or {})
    if deductions != "none":
        text += f", less a deduction by the condition found at inspection ({deductions})"
    if percent("exchange_bonus"):
        text += f"; {format_percent(percent('exchange_bonus'))} more if you take an exchange"
    return text + "."
