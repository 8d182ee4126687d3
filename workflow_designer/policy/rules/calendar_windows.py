"""Calendar windows: requests only inside recurring yearly windows."""

from __future__ import annotations

from datetime import date

from workflow_designer.policy.dates import short_date, window_status
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


def _md(month_day: tuple[int, int]) -> str:
    return f"{month_day[0]:02d}-{month_day[1]:02d}"


@register_rule
class CalendarWindows(PolicyRule):
    name = "calendar_windows"
    label = _l("Calendar windows")
    description = _l(
        "Requests only inside recurring yearly windows. A window whose end comes before its "
        "start runs over the new year (e.g. 1 Dec to 31 Jan)."
    )
    group = "rotation"
    order = 80
    params = (
        ParamSpec(
            "windows",
            _l("Windows"),
            "windows",
            _l("Both days are included and the windows recur every year."),
        ),
    )

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        windows = list(params["windows"])
        status = window_status(windows, request.today)
        figures = {
            "open": status.open,
            "open_until": status.open_until and status.open_until.isoformat(),
            "next_opens": status.next_opens and status.next_opens.isoformat(),
            "windows": [{"start": _md(w.start), "end": _md(w.end)} for w in windows],
        }
        if status.open and status.open_until is None:
            return Outcome(True, _("Window: open all year"), figures)
        if status.open and status.open_until:
            until = short_date(status.open_until)
            return Outcome(True, _("Window: open until %(day)s", day=until), figures)
        if status.next_opens:
            opens = short_date(status.next_opens)
            return Outcome(
                False, _("Window: closed; next window opens %(day)s", day=opens), figures
            )
        return Outcome(False, _("Window: closed; next window opens never"), figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        windows = params["windows"]
        spans = listing([w.words() for w in windows], limit=len(windows))
        status = window_status(list(windows), today)
        if status.open and status.open_until is None:
            return _("Requests are accepted %(spans)s each year: open all year.", spans=spans)
        if status.open and status.open_until:
            return _(
                "Requests are accepted %(spans)s each year: open now until %(day)s.",
                spans=spans,
                day=short_date(status.open_until),
            )
        return _(
            "Requests are accepted %(spans)s each year: closed now; the next window opens %(day)s.",
            spans=spans,
            day=short_date(status.next_opens or today),
        )
