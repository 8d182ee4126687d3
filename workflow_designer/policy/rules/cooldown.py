"""Cooldown: a minimum time between two submitted requests."""

from __future__ import annotations

from datetime import date
from typing import Any

from workflow_designer.policy.periods import Period
from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import Outcome, Params, PolicyRule, plural, register_rule
from workflow_designer.policy.spec import period_param


@register_rule
class Cooldown(PolicyRule):
    name = "cooldown"
    label = "Cooldown"
    description = "A minimum time between two submitted requests of this return type."
    group = "rotation"
    order = 90
    params = (period_param("days", "Time between requests"),)

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        period: Period = params["days"]
        days = period.adjective()
        last = request.facts.last_submitted_on
        figures: dict[str, Any] = {
            "days": period.as_json(),
            "last_submitted_on": last and last.isoformat(),
            "next_possible_on": None,
            "days_since": None,
        }
        if last is None:
            return Outcome(True, "Cooldown: no earlier request of this type", figures)
        next_possible = period.after(last)
        figures["next_possible_on"] = next_possible.isoformat()
        figures["days_since"] = (request.today - last).days
        if request.today >= next_possible:
            since = plural(figures["days_since"], "day")
            text = f"last request submitted {last}, {since} ago; the {days} cooldown is over"
            return Outcome(True, f"Cooldown: {text}", figures)
        text = (
            f"last request submitted {last}; the next one is possible from {next_possible} "
            f"({days} cooldown)"
        )
        return Outcome(False, f"Cooldown: {text}", figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        return f"At least {params['days'].words()} between two requests."
