"""Cooldown: a minimum time between two submitted requests."""

from __future__ import annotations

from datetime import date
from typing import Any

from workflow_designer.policy import words
from workflow_designer.policy.periods import Period
from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import Outcome, Params, PolicyRule, register_rule
from workflow_designer.policy.spec import period_param
from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import lazy_gettext as _l
from workflow_designer.policy.words import ngettext


@register_rule
class Cooldown(PolicyRule):
    name = "cooldown"
    label = _l("Cooldown")
    description = _l("A minimum time between two submitted requests of this return type.")
    group = "rotation"
    order = 90
    params = (period_param("days", _l("Time between requests")),)

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
            return Outcome(True, _("Cooldown: no earlier request of this type"), figures)
        next_possible = period.after(last)
        figures["next_possible_on"] = next_possible.isoformat()
        figures["days_since"] = (request.today - last).days
        if request.today >= next_possible:
            text = ngettext(
                "Cooldown: last request submitted %(last)s, %(num)d day ago; the %(days)s "
                "cooldown is over",
                "Cooldown: last request submitted %(last)s, %(num)d days ago; the %(days)s "
                "cooldown is over",
                figures["days_since"],
                last=words.day(last),
                days=days,
                period=period.words(),
            )
            return Outcome(True, text, figures)
        text = _(
            "Cooldown: last request submitted %(last)s; the next one is possible from "
            "%(next)s (%(days)s cooldown)",
            last=words.day(last),
            next=words.day(next_possible),
            days=days,
            period=period.words(),
        )
        return Outcome(False, text, figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        return _("At least %(period)s between two requests.", period=params["days"].words())
