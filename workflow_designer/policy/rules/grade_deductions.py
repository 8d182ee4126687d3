"""Grade deductions: what each inspection grade deducts, and where the unit goes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from workflow_designer.policy.money import format_percent
from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import CreditRule, Outcome, Params, register_rule
from workflow_designer.policy.spec import DISPOSITIONS, GRADE_LABELS, GRADES, ParamSpec


def deduction_words(percents: dict[str, Decimal]) -> str:
    """``used −20%, lightly damaged −40%`` for the grades that deduct anything."""
    parts = [
        f"{GRADE_LABELS[grade].lower()} −{format_percent(percents[grade])}"
        for grade in GRADE_LABELS
        if percents.get(grade)
    ]
    return ", ".join(parts) if parts else "none"


@register_rule
class GradeDeductions(CreditRule):
    name = "grade_deductions"
    label = "Grade deductions"
    description = "What each inspection grade deducts from the credit, and where the unit goes."
    order = 120
    params = (
        ParamSpec(
            "percent",
            "Deduction per grade (%)",
            "grade_percent",
            "A grade left out deducts nothing.",
            minimum=Decimal(0),
            maximum=Decimal(100),
            choices=GRADES,
        ),
        ParamSpec(
            "disposition",
            "Disposition per grade",
            "grade_disposition",
            "A grade left out gets the usual disposition.",
            choices=DISPOSITIONS,
        ),
    )

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        percents, dispositions = params["percent"], params["disposition"]
        figures: dict[str, Any] = {
            "percent": {grade: str(percents.get(grade, 0)) for grade in GRADE_LABELS},
            "disposition": dict(dispositions),
        }
        text = f"by the grade found at inspection: {deduction_words(percents)}"
        return Outcome(True, f"Grade deductions: {text}", figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        deductions = deduction_words(params["percent"] or {})
        if deductions == "none":
            return ""
        return f", less a deduction by the condition found at inspection ({deductions})"
