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
    register_rule,
)
from workflow_designer.policy.spec import period_param
from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import lazy_gettext as _l
from workflow_designer.policy.words import ngettext


def age_range_words(low: Period | None, high: Period | None) -> str:
    """The rule in the words every message and explanation share: ``bought at least 3
    months ago``, ``bought 90 days to 24 months ago``, ``bought at most 2 years ago``."""
    if low is not None and high is not None:
        if low.unit == high.unit:
            return _("bought %(low)s to %(high)s ago", low=low.count, high=high.words())
        return _("bought %(low)s to %(high)s ago", low=low.words(), high=high.words())
    if low is not None:
        return _("bought at least %(period)s ago", period=low.words())
    return _("bought at most %(period)s ago", period=(high or Period(0)).words())


def _too_recent(low: Period | None, bought: date, today: date) -> bool:
    # Both limits are inclusive: bought on 31 Jan, "at least 1 month" holds from 28 Feb.
    return low is not None and today < low.after(bought)


def _too_old(high: Period | None, bought: date, today: date) -> bool:
    return high is not None and today > high.after(bought)


@register_rule
class PurchaseAge(PolicyRule):
    name = "purchase_age"
    label = _l("Purchase age")
    description = _l(
        "Only products bought (invoiced) at least a minimum and at most a maximum time ago."
    )
    group = "rotation"
    order = 70
    params = (
        period_param("min_days", _l("Minimum age"), required=False, minimum=0),
        period_param("max_days", _l("Maximum age"), required=False, minimum=0),
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
            return Outcome(False, _("Purchase age: %(parts)s", parts="; ".join(parts)), figures)
        words = age_range_words(low, high)
        if not request.lines:
            text = _("Purchase age: products must have been %(range)s", range=words)
            return Outcome(True, text, figures)
        return Outcome(True, _("Purchase age: every line was %(range)s", range=words), figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        words = age_range_words(params["min_days"], params["max_days"])
        return _("Only products %(range)s can be returned.", range=words)

    def line_reason(self, params: Params, line: RequestLine, today: date) -> str | None:
        low, high = params["min_days"], params["max_days"]
        if low is not None and _too_recent(low, line.invoice_date, today):
            return _("bought less than %(period)s ago", period=low.words())
        if high is not None and _too_old(high, line.invoice_date, today):
            return _("bought more than %(period)s ago", period=high.words())
        return None

    def check_together(self, params: Params) -> list[tuple[str, str]]:
        low, high = params["min_days"], params["max_days"]
        if low is None and high is None:
            return [("min_days", _("set a minimum, a maximum or both"))]
        if low is not None and high is not None and high.approx_days < low.approx_days:
            return [
                (
                    "max_days",
                    _(
                        "the maximum (%(high)s) is below the minimum (%(low)s)",
                        high=high.words(),
                        low=low.words(),
                    ),
                )
            ]
        return []


def _age_part(found: list[tuple[RequestLine, int]], side: str, limit: Period) -> str:
    invoices = listing(dict.fromkeys(line.invoice_number for line, _age in found))
    if side == "less":
        return ngettext(
            "%(num)d line was bought less than %(period)s ago (%(invoices)s)",
            "%(num)d lines were bought less than %(period)s ago (%(invoices)s)",
            len(found),
            period=limit.words(),
            invoices=invoices,
        )
    return ngettext(
        "%(num)d line was bought more than %(period)s ago (%(invoices)s)",
        "%(num)d lines were bought more than %(period)s ago (%(invoices)s)",
        len(found),
        period=limit.words(),
        invoices=invoices,
    )
