"""Exchange bonus: a percentage added to the credit when the retailer takes an exchange."""

from __future__ import annotations

from datetime import date

from workflow_designer.policy.money import format_percent
from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import CreditRule, Outcome, Params, register_rule
from workflow_designer.policy.spec import percent_param


@register_rule
class ExchangeBonus(CreditRule):
    name = "exchange_bonus"
    label = "Exchange bonus"
    description = "A percentage added to the credit when the retailer takes an exchange."
    order = 130
    params = (percent_param("percent", "Bonus (%)"),)

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        percent = params["percent"]
        text = f"+{format_percent(percent)} of the invoice value when you take an exchange"
        return Outcome(True, f"Exchange bonus: {text}", {"percent": str(percent)})

    def explain(self, params: Params, currency: str, today: date) -> str:
        if not params["percent"]:
            return ""
        return f"; {format_percent(params['percent'])} more if you take an exchange"
