"""Exchange bonus: a percentage and/or a fixed amount added to the credit when the retailer
takes an exchange. It is value towards the replacement order, never cash
(``workflow_designer.policy.credit``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from workflow_designer.policy import words
from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import CreditRule, Outcome, Params, register_rule
from workflow_designer.policy.spec import MAX_AMOUNT, ParamSpec, percent_param
from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import lazy_gettext as _l


@register_rule
class ExchangeBonus(CreditRule):
    name = "exchange_bonus"
    label = _l("Exchange bonus")
    description = _l(
        "A percentage of the invoice value and/or a fixed amount added to the credit when the "
        "retailer takes an exchange; it only pays towards the replacement order, never in cash."
    )
    order = 130
    params = (
        percent_param("percent", _l("Bonus (%)")),
        ParamSpec(
            "amount",
            _l("Bonus amount"),
            "decimal",
            _l("Per request, in the account's currency. Optional."),
            False,
            Decimal(0),
            MAX_AMOUNT,
        ),
    )

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        percent, amount = params["percent"], params.get("amount")
        figures = {"percent": str(percent)}
        if amount is not None:
            figures["bonus_amount"] = str(amount)
        if not amount:
            text = _(
                "Exchange bonus: +%(percent)s of the invoice value when you take an exchange",
                percent=words.percent(percent),
            )
        else:
            text = _(
                "Exchange bonus: %(bonus)s towards your replacement order when you take an "
                "exchange",
                bonus=bonus_words(percent, amount, request.currency),
            )
        return Outcome(True, text, figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        percent, amount = params["percent"], params.get("amount")
        if not amount:
            if not percent:
                return ""
            return _("; %(percent)s more if you take an exchange", percent=words.percent(percent))
        return _(
            "; %(bonus)s more towards a replacement order if you take an exchange",
            bonus=bonus_words(percent, amount, currency),
        )


def bonus_words(percent: Decimal, amount: Decimal | None, currency: str) -> str:
    """ "+10 % of the invoice value", "+€25.00", or both."""
    share = _("+%(percent)s of the invoice value", percent=words.percent(percent))
    if not amount:
        return share
    fixed = words.money(amount, currency)
    if not percent:
        return _("+%(amount)s", amount=fixed)
    return _("%(share)s and +%(amount)s", share=share, amount=fixed)
