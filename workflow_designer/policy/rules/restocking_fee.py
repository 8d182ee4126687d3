"""Restocking fee: a percentage of the invoice value kept on every returned line."""

from __future__ import annotations

from datetime import date

from workflow_designer.policy.money import format_money, format_percent, percent_of, round_money
from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import CreditRule, Outcome, Params, register_rule
from workflow_designer.policy.spec import percent_param


@register_rule
class RestockingFee(CreditRule):
    name = "restocking_fee"
    label = "Restocking fee"
    description = "A percentage of the invoice value kept on every returned line."
    order = 110
    params = (percent_param("percent", "Fee (%)"),)

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        percent = params["percent"]
        fee = round_money(percent_of(percent, request.value), request.currency)
        text = f"{format_percent(percent)} of the invoice value"
        if request.lines:
            text += f" ({format_money(fee, request.currency)} on this request)"
        figures = {"percent": str(percent), "currency": request.currency, "amount": str(fee)}
        return Outcome(True, f"Restocking fee: {text}", figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        if not params["percent"]:
            return ""
        return f", less a {format_percent(params['percent'])} restocking fee"
