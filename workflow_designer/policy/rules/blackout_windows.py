"""Closed periods: no requests inside recurring yearly windows (the inverse of calendar
windows; a policy may have both, and a request must then meet both)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from workflow_designer.policy.dates import (
    Window,
    WindowStatus,
    month_day_words,
    short_date,
    window_status,
)
from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import (
    Outcome,
    Params,
    PolicyRule,
    listing,
    register_rule,
)
from workflow_designer.policy.spec import ParamSpec
from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import lazy_gettext as _l


def closed_sentence(windows: list[Window], today: date) -> str:
    """The rule in the words the findings and the explanations share: ``Returns are closed
    from 15 Nov to 31 Dec (yearly); today is 20 Nov.`` — and, while open, until when."""
    spans = listing(
        [
            _(
                "from %(start)s to %(end)s",
                start=month_day_words(w.start),
                end=month_day_words(w.end),
            )
            for w in windows
        ],
        limit=len(windows),
    )
    status = window_status(windows, today)
    if not status.open and status.next_opens:
        last_open = status.next_opens - timedelta(days=1)
        return _(
            "Returns are closed %(spans)s (yearly); today is %(today)s, so returns are open "
            "until %(last_open)s.",
            spans=spans,
            today=short_date(today),
            last_open=short_date(last_open),
        )
    return _(
        "Returns are closed %(spans)s (yearly); today is %(today)s.",
        spans=spans,
        today=short_date(today),
    )


def _figures(windows: list[Window], status: WindowStatus) -> dict[str, Any]:
    """``window_status`` reads the closed periods as windows: "open" there means closed."""
    reopens = status.open_until + timedelta(days=1) if status.open_until else None
    return {
        "closed": status.open,
        "reopens": reopens and reopens.isoformat(),
        "next_closes": status.next_opens and status.next_opens.isoformat(),
        "windows": [
            {"start": f"{w.start[0]:02d}-{w.start[1]:02d}", "end": f"{w.end[0]:02d}-{w.end[1]:02d}"}
            for w in windows
        ],
    }


@register_rule
class BlackoutWindows(PolicyRule):
    name = "blackout_windows"
    label = _l("Closed periods")
    description = _l(
        "No requests inside these periods, every year, e.g. none from 15 Nov to 31 Dec. A "
        "period that ends before it starts runs over the new year (15 Dec to 10 Jan)."
    )
    group = "rotation"
    order = 85
    params = (
        ParamSpec(
            "windows",
            _l("Dates closed each year"),
            "windows",
            _l("Both days are included and the periods recur every year."),
        ),
    )

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        windows = list(params["windows"])
        status = window_status(windows, request.today)
        message = closed_sentence(windows, request.today)
        return Outcome(not status.open, message, _figures(windows, status))

    def explain(self, params: Params, currency: str, today: date) -> str:
        return closed_sentence(list(params["windows"]), today)
