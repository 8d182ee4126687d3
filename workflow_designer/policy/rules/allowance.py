"""Allowance: returns in a trailing period may not exceed a share of net purchases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from workflow_designer.policy.dates import period_words
from workflow_designer.policy.money import format_money, format_percent, percent_of, round_money
from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import Outcome, Params, PolicyRule, register_rule
from workflow_designer.policy.spec import percent_param, period_param


@register_rule
class Allowance(PolicyRule):
    name = "allowance"
    label = "Allowance"
    description = (
        "Returns in the period may not exceed a percentage of the account's net purchases "
        "invoiced in the same period. Submitted requests count until rejected or cancelled."
    )
    group = "rotation"
    order = 50
    params = (
        percent_param("percent", "Percent of net purchases"),
        period_param(
            "period_days",
            "Period",
            "The allowance counts purchases and returns of this trailing period, e.g. the "
            "last 12 months.",
        ),
    )

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        percent, days = params["percent"], params["period_days"]
        facts, currency = request.facts, request.currency
        allowance = round_money(percent_of(percent, facts.net_purchases), currency)
        this_request = round_money(request.value, currency)
        before = round_money(facts.allowance_used, currency)
        credited = round_money(facts.allowance_credited, currency)
        used = before + this_request
        left = allowance - used
        figures = {
            "currency": currency,
            "percent": str(percent),
            "period_days": days.as_json(),
            "net_purchases": str(round_money(facts.net_purchases, currency)),
            "allowance": str(allowance),
            "previously_used": str(before),
            "previously_credited": str(credited),
            "previously_pending": str(before - credited),
            "this_request": str(this_request),
            "used": str(used),
            "left": str(left),
            "includes_this_request": True,
        }

        def money(amount: Decimal) -> str:
            return format_money(amount, currency)

        rest = f"{money(left)} left" if left >= 0 else f"{money(-left)} over"
        message = (
            f"Allowance: {money(used)} of {money(allowance)} used in the last "
            f"{period_words(days)}, {rest} (this request: {money(this_request)})"
        )
        return Outcome(left >= 0, message, figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        return (
            f"Returns may total up to {format_percent(params['percent'])} of your net purchases "
            f"in the last {period_words(params['period_days'])}; submitted requests count until "
            "they are rejected or cancelled."
        )
