"""Request frequency: at most a number of submitted requests in a trailing period."""

from __future__ import annotations

from datetime import date

from workflow_designer.policy.dates import period_words
from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import Outcome, Params, PolicyRule, plural, register_rule
from workflow_designer.policy.spec import ParamSpec, period_param


@register_rule
class RequestFrequency(PolicyRule):
    name = "request_frequency"
    label = "Request frequency"
    description = "At most a number of submitted requests of this return type in a trailing period."
    group = "rotation"
    order = 100
    params = (
        ParamSpec("max_requests", "Maximum requests", "int", "", True, 1, 1000),
        period_param("period_days", "Period", "Requests are counted over this trailing period."),
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
            text = f"this is request {before + 1} of at most {limit} in the last {period}"
            return Outcome(True, f"Request frequency: {text}", figures)
        text = (
            f"{plural(before, 'request')} already submitted in the last {period}; "
            f"at most {limit} allowed"
        )
        return Outcome(False, f"Request frequency: {text}", figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        requests = plural(params["max_requests"], "request")
        return f"At most {requests} in {period_words(params['period_days'])}."
