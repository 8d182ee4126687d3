"""Allowance: returns in a trailing period may not exceed a share of net purchases."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from workflow_designer.policy import words
from workflow_designer.policy.dates import period_words
from workflow_designer.policy.money import percent_of, round_money
from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import Outcome, Params, PolicyRule, register_rule
from workflow_designer.policy.spec import percent_param, period_param
from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import lazy_gettext as _l


@register_rule
class Allowance(PolicyRule):
    name = "allowance"
    label = _l("Allowance")
    description = _l(
        "Returns in the period may not exceed a percentage of the account's net purchases "
        "invoiced in the same period. Submitted requests count until rejected or cancelled."
    )
    group = "rotation"
    order = 50
    params = (
        percent_param("percent", _l("Percent of net purchases")),
        period_param(
            "period_days",
            _l("Period"),
            _l(
                "The allowance counts purchases and returns of this trailing period, e.g. the "
                "last 12 months."
            ),
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
            return words.money(amount, currency)

        values = {
            "used": money(used),
            "allowance": money(allowance),
            "period": period_words(days),
            "this_request": money(this_request),
        }
        if left >= 0:
            message = _(
                "Allowance: %(used)s of %(allowance)s used in the last %(period)s, "
                "%(left)s left (this request: %(this_request)s)",
                left=money(left),
                **values,
            )
        else:
            message = _(
                "Allowance: %(used)s of %(allowance)s used in the last %(period)s, "
                "%(over)s over (this request: %(this_request)s)",
                over=money(-left),
                **values,
            )
        return Outcome(left >= 0, message, figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        return _(
            "Returns may total up to %(percent)s of your net purchases in the last "
            "%(period)s; submitted requests count until they are rejected or cancelled.",
            percent=words.percent(params["percent"]),
            period=period_words(params["period_days"]),
        )
