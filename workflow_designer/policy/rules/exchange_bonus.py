"""Exchange bonus: a percentage added to the credit when the retailer takes an exchange."""

from __future__ import annotations

from datetime import date

from workflow_designer.policy import words
from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import CreditRule, Outcome, Params, register_rule
from workflow_designer.policy.spec import percent_param
from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import lazy_gettext as _l


@register_rule
class ExchangeBonus(CreditRule):
    name = "exchange_bonus"
    label = _l("Exchange bonus")
    description = _l("A percentage added to the credit when the retailer takes an exchange.")
    order = 130
    params = (percent_param("percent", _l("Bonus (%)")),)

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        percent = params["percent"]
        text = _(
            "Exchange bonus: +%(percent)s of the invoice value when you take an exchange",
            percent=words.percent(percent),
        )
        return Outcome(True, text, {"percent": str(percent)})

    def explain(self, params: Params, currency: str, today: date) -> str:
        if not params["percent"]:
            return ""
        return _(
            "; %(percent)s more if you take an exchange", percent=words.percent(params["percent"])
        )
