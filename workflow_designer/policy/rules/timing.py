"""Rules on when a request may be made: calendar windows, cooldown, frequency."""

from __future__ import annotations

from datetime import timedelta

from workflow_designer.policy.dates import period_words, short_date, window_status
from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import Outcome, check, plural
from workflow_designer.policy.validation import RuleConfig


def _md(month_day: tuple[int, int]) -> str:
    return f"{month_day[0]:02d}-{month_day[1]:02d}"


@check("calendar_windows")
def check_calendar_windows(config: RuleConfig, request: PolicyRequest) -> Outcome:
    windows = list(config.params["windows"])
    status = window_status(windows, request.today)
    figures = {
        "open": status.open,
        "open_until": status.open_until and status.open_until.isoformat(),
        "next_opens": status.next_opens and status.next_opens.isoformat(),
        "windows": [{"start": _md(w.start), "end": _md(w.end)} for w in windows],
    }
    if status.open and status.open_until is None:
        return Outcome(True, "Window: open all year", figures)
    if status.open and status.open_until:
        return Outcome(True, f"Window: open until {short_date(status.open_until)}", figures)
    opens = short_date(status.next_opens) if status.next_opens else "never"
    return Outcome(False, f"Window: closed; next window opens {opens}", figures)


@check("cooldown")
def check_cooldown(config: RuleConfig, request: PolicyRequest) -> Outcome:
    days = config.params["days"]
    last = request.facts.last_submitted_on
    figures = {
        "days": days,
        "last_submitted_on": last and last.isoformat(),
        "next_possible_on": None,
        "days_since": None,
    }
    if last is None:
        return Outcome(True, "Cooldown: no earlier request of this type", figures)
    next_possible = last + timedelta(days=days)
    figures["next_possible_on"] = next_possible.isoformat()
    figures["days_since"] = (request.today - last).days
    if request.today >= next_possible:
        since = plural(figures["days_since"], "day")
        text = f"last request submitted {last}, {since} ago; the {days}-day cooldown is over"
        return Outcome(True, f"Cooldown: {text}", figures)
    text = (
        f"last request submitted {last}; the next one is possible from {next_possible} "
        f"({days}-day cooldown)"
    )
    return Outcome(False, f"Cooldown: {text}", figures)


@check("request_frequency")
def check_request_frequency(config: RuleConfig, request: PolicyRequest) -> Outcome:
    limit, days = config.params["max_requests"], config.params["period_days"]
    before = request.facts.requests_in_period
    figures = {
        "max_requests": limit,
        "period_days": days,
        "previous_requests": before,
        "with_this_request": before + 1,
    }
    period = period_words(days)
    if before + 1 <= limit:
        text = f"this is request {before + 1} of at most {limit} in the last {period}"
        return Outcome(True, f"Request frequency: {text}", figures)
    text = (
        f"{plural(before, 'request')} already submitted in the last {period}; "
        f"at most {limit} allowed"
    )
    return Outcome(False, f"Request frequency: {text}", figures)
