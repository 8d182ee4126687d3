"""Credit rules never fail: their findings tell the retailer how the credit is shaped."""

from __future__ import annotations

from workflow_designer.policy.money import format_money, format_percent, percent_of, round_money
from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import Outcome, check
from workflow_designer.policy.spec import GRADE_LABELS
from workflow_designer.policy.validation import RuleConfig


@check("restocking_fee")
def check_restocking_fee(config: RuleConfig, request: PolicyRequest) -> Outcome:
    percent = config.params["percent"]
    fee = round_money(percent_of(percent, request.value), request.currency)
    text = f"{format_percent(percent)} of the invoice value"
    if request.lines:
        text += f" ({format_money(fee, request.currency)} on this request)"
    figures = {"percent": str(percent), "currency": request.currency, "amount": str(fee)}
    return Outcome(True, f"Restocking fee: {text}", figures)


def deduction_words(percents: dict) -> str:
    """``used −20%, lightly damaged −40%`` for the grades that deduct anything."""
    parts = [
        f"{GRADE_LABELS[grade].lower()} −{format_percent(percents[grade])}"
        for grade in GRADE_LABELS
        if percents.get(grade)
    ]
    return ", ".join(parts) if parts else "none"


@check("grade_deductions")
def check_grade_deductions(config: RuleConfig, request: PolicyRequest) -> Outcome:
    percents, dispositions = config.params["percent"], config.params["disposition"]
    figures = {
        "percent": {grade: str(percents.get(grade, 0)) for grade in GRADE_LABELS},
        "disposition": dict(dispositions),
    }
    text = f"by the grade found at inspection: {deduction_words(percents)}"
    return Outcome(True, f"Grade deductions: {text}", figures)


@check("exchange_bonus")
def check_exchange_bonus(config: RuleConfig, request: PolicyRequest) -> Outcome:
    percent = config.params["percent"]
    text = f"+{format_percent(percent)} of the invoice value when you take an exchange"
    return Outcome(True, f"Exchange bonus: {text}", {"percent": str(percent)})
