"""Request size: a minimum and/or maximum number of units in one request."""

from __future__ import annotations

from datetime import date

from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import (
    Outcome,
    Params,
    PolicyRule,
    bounds_problems,
    register_rule,
)
from workflow_designer.policy.spec import ParamSpec
from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import lazy_gettext as _l
from workflow_designer.policy.words import ngettext


def size_words(low: int | None, high: int | None) -> str:
    """``Minimum 10 frames`` · ``Maximum 50 frames`` · ``10 to 50 frames``."""
    if low is not None and high is not None:
        if low == high:
            return ngettext("Exactly %(num)d frame", "Exactly %(num)d frames", low)
        return ngettext("%(low)d to %(num)d frame", "%(low)d to %(num)d frames", high, low=low)
    if low is not None:
        return ngettext("Minimum %(num)d frame", "Minimum %(num)d frames", low)
    return ngettext("Maximum %(num)d frame", "Maximum %(num)d frames", high or 0)


@register_rule
class RequestSize(PolicyRule):
    name = "request_size"
    label = _l("Request size")
    description = _l("Minimum and/or maximum number of units in one request.")
    group = "rotation"
    order = 40
    params = (
        ParamSpec("min_units", _l("Minimum units"), "int", "", False, 1, 100000),
        ParamSpec("max_units", _l("Maximum units"), "int", "", False, 1, 100000),
    )

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        low, high = params["min_units"], params["max_units"]
        units = request.units
        figures = {"units": units, "min_units": low, "max_units": high}
        too_few = low is not None and units < low
        too_many = high is not None and units > high
        # Name the bound that failed, so a failure never reads like the other side's.
        words = (
            size_words(low, None)
            if too_few and high is not None
            else size_words(None, high)
            if too_many and low is not None
            else size_words(low, high)
        )
        text = _("%(size)s: %(units)s selected", size=words, units=units)
        return Outcome(not (too_few or too_many), text, figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        size = size_words(params["min_units"], params["max_units"])
        return _("%(size)s per request.", size=size)

    def check_together(self, params: Params) -> list[tuple[str, str]]:
        return bounds_problems(params, "min_units", "max_units", _("units"))
