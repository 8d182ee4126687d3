"""Restocking fee: a percentage of the invoice value kept on every returned line."""

from __future__ import annotations

from datetime import date

from workflow_designer.policy import words
from workflow_designer.policy.money import percent_of, round_money
from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import CreditRule, Outcome, Params, register_rule
from workflow_designer.policy.spec import percent_param
from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import lazy_gettext as _l


@register_rule
class RestockingFee(CreditRule):
    name = "restocking_fee"
    label = _l("Restocking fee")
    description = _l("A percentage of the invoice value kept on every returned line.")
    order = 110
    params = (percent_param("percent", _l("Fee (%)")),)

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        percent = params["percent"]
        fee = round_money(percent_of(percent, request.value), request.currency)
        if request.lines:
            text = _(
                "Restocking fee: %(percent)s of the invoice value (%(fee)s on this request)",
                percent=words.percent(percent),
                fee=words.money(fee, request.currency),
            )
        else:
            text = _(
                "Restocking fee: %(percent)s of the invoice value", percent=words.percent(percent)
            )
        figures = {"percent": str(percent), "currency": request.currency, "amount": str(fee)}
        return Outcome(True, text, figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        if not params["percent"]:
            return ""
        return _(", less a %(percent)s restocking fee", percent=words.percent(params["percent"]))
