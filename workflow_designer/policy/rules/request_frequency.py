"""Request frequency: at most a number of submitted requests in a trailing period."""

from __future__ import annotations

from datetime import date

from workflow_designer.policy.dates import period_words
from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import Outcome, Params, PolicyRule, register_rule
from workflow_designer.policy.spec import ParamSpec, period_param
from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import lazy_gettext as _l
from workflow_designer.policy.words import ngettext


@register_rule
class RequestFrequency(PolicyRule):
    name = "request_frequency"
    label = _l("Request frequency")
    description = _l(
        "At most a number of submitted requests of this return type in a trailing period."
    )
    group = "rotation"
    order = 100
    params = (
        ParamSpec("max_requests", _l("Maximum requests"), "int", "", True, 1, 1000),
        period_param(
            "period_days", _l("Period"), _l("Requests are counted over this trailing period.")
        ),
    )

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        limit, days = params["max_requests"], params["period_days"]
        before = request.facts.requests_in_period
        figures = {
            "max_requests": limit,
            "period_days": days.as_json(),
            "previous_requests": before,
            "with_this_request": before + 1,
        }
        period = period_words(days)
        if before + 1 <= limit:
            text = _(
                "Request frequency: this is request %(number)s of at most %(limit)s in the "
                "last %(period)s",
                number=before + 1,
                limit=limit,
                period=period,
            )
            return Outcome(True, text, figures)
        text = ngettext(
            "Request frequency: %(num)d request already submitted in the last %(period)s; "
            "at most %(limit)s allowed",
            "Request frequency: %(num)d requests already submitted in the last %(period)s; "
            "at most %(limit)s allowed",
            before,
            period=period,
            limit=limit,
        )
        return Outcome(False, text, figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        return ngettext(
            "At most %(num)d request in %(period)s.",
            "At most %(num)d requests in %(period)s.",
            params["max_requests"],
            period=period_words(params["period_days"]),
        )
