"""Grade deductions: what each inspection grade deducts, and where the unit goes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from workflow_designer.policy import words
from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import CreditRule, Outcome, Params, register_rule
from workflow_designer.policy.spec import DISPOSITIONS, GRADE_LABELS, GRADES, ParamSpec
from workflow_designer.policy.vocabulary import Grade
from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import lazy_gettext as _l


def deduction_words(percents: dict[str, Decimal]) -> str:
    """``used −20%, lightly damaged −40%`` for the grades that deduct anything."""
    parts = [
        _(
            "%(grade)s −%(percent)s",
            grade=Grade(grade).phrase,
            percent=words.percent(percents[grade]),
        )
        for grade in GRADE_LABELS
        if percents.get(grade)
    ]
    return ", ".join(parts) if parts else _("none")


@register_rule
class GradeDeductions(CreditRule):
    name = "grade_deductions"
    label = _l("Grade deductions")
    description = _l("What each inspection grade deducts from the credit, and where the unit goes.")
    order = 120
    params = (
        ParamSpec(
            "percent",
            _l("Deduction per grade (%)"),
            "grade_percent",
            _l("A grade left out deducts nothing."),
            minimum=Decimal(0),
            maximum=Decimal(100),
            choices=GRADES,
        ),
        ParamSpec(
            "disposition",
            _l("Disposition per grade"),
            "grade_disposition",
            _l("A grade left out gets the usual disposition."),
            choices=DISPOSITIONS,
        ),
    )

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        percents, dispositions = params["percent"], params["disposition"]
        figures: dict[str, Any] = {
            "percent": {grade: str(percents.get(grade, 0)) for grade in GRADE_LABELS},
            "disposition": dict(dispositions),
        }
        text = _(
            "Grade deductions: by the grade found at inspection: %(deductions)s",
            deductions=deduction_words(percents),
        )
        return Outcome(True, text, figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        percents = params["percent"] or {}
        if not any(percents.get(grade) for grade in GRADE_LABELS):
            return ""
        return _(
            ", less a deduction by the condition found at inspection (%(deductions)s)",
            deductions=deduction_words(percents),
        )
