"""Return window: lines may be returned only within a period (days, weeks, months) of a date."""

from __future__ import annotations

from datetime import date
from typing import Any

from workflow_designer.policy import words
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
from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import lazy_gettext as _l
from workflow_designer.policy.words import ngettext


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
    label = _l("Return window")
    description = _l(
        "Lines may be returned only within a time (days, weeks or months) of their invoice "
        "or delivery."
    )
    group = "common"
    order = 10
    params = (
        period_param(
            "days",
            _l("Time to return"),
            _l("How long after the date below a line may be returned."),
        ),
        ParamSpec(
            "from",
            _l("Counted from"),
            "choice",
            _l("Delivery falls back to the invoice date when no delivery date is known."),
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
            text = _(
                "Return window: line %(sku)s %(dated)s is past the %(days)s window (ended %(end)s)",
                sku=line.sku,
                dated=_dated(word, start),
                days=days,
                period=period.words(),
                end=words.day(end),
            )
            return Outcome(False, text, figures)
        if late:
            items = listing(
                _(
                    "%(sku)s %(dated)s (ended %(end)s)",
                    sku=line.sku,
                    dated=_dated(word, start),
                    end=words.day(end),
                )
                for line, word, start, end in late
            )
            text = _(
                "Return window: %(count)s lines are past the %(days)s window: %(items)s",
                count=len(late),
                days=days,
                period=period.words(),
                items=items,
            )
            return Outcome(False, text, figures)
        text = _lines_within(len(request.lines), period, basis)
        return Outcome(True, _("Return window: %(text)s", text=text), figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        period = params["days"].words()
        if params["from"] == "invoice":
            return _("Return within %(period)s of the invoice date.", period=period)
        return _("Return within %(period)s of delivery.", period=period)

    def line_reason(self, params: Params, line: RequestLine, today: date) -> str | None:
        word, start, end = window_of(params, line)
        if today <= end:
            return None
        return _(
            "%(dated)s, past the %(days)s window (ended %(end)s)",
            dated=_dated(word, start),
            days=params["days"].adjective(),
            period=params["days"].words(),
            end=words.day(end),
        )


def _dated(word: str, start: date) -> str:
    """``invoiced 2026-01-05`` · ``delivered 2026-01-05`` (in the reader's language)."""
    if word == "delivered":
        return _("delivered %(day)s", day=words.day(start))
    return _("invoiced %(day)s", day=words.day(start))


def _lines_within(count: int, period: Period, basis: str) -> str:
    """``basis`` is the stored choice (``invoice`` or ``delivery``)."""
    if basis == "delivery":
        if count == 0:
            return _("lines can be returned up to %(period)s after delivery", period=period.words())
        return ngettext(
            "the line is within %(period)s of delivery",
            "all %(num)d lines are within %(period)s of delivery",
            count,
            period=period.words(),
        )
    if count == 0:
        return _("lines can be returned up to %(period)s after invoice", period=period.words())
    return ngettext(
        "the line is within %(period)s of invoice",
        "all %(num)d lines are within %(period)s of invoice",
        count,
        period=period.words(),
    )
