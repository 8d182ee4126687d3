"""Cooldown: a minimum number of days between two submitted requests."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import Outcome, Params, PolicyRule, plural, register_rule
from workflow_designer.policy.spec import days_param


@register_rule
class Cooldown(PolicyRule):
    name = "cooldown"
    label = "Cooldown"
    description = "A minimum number of days between two submitted requests of this return type."
    group = "rotation"
    order = 90
    params = (days_param("days", "Days"),)

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        days = params["days"]
        last = request.facts.last_submitted_on
        figures: dict[str, Any] = {
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

    def explain(self, params: Params, currency: str, today: date) -> str:
        return f"At least {plural(params['days'], 'day')} between two requests."
