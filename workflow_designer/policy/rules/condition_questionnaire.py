"""Condition questionnaire: questions asked per line before submitting; each answer maps
to a grade and a deduction (``workflow_designer.policy.questionnaire``)."""

from __future__ import annotations

from datetime import date

from workflow_designer.policy.questionnaire import Question, UnknownAnswer, claim, read_questions
from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import CreditRule, Outcome, Params, register_rule
from workflow_designer.policy.spec import ParamSpec
from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import lazy_gettext as _l

__all__ = ["ConditionQuestionnaire", "read_questions"]


@register_rule
class ConditionQuestionnaire(CreditRule):
    name = "condition_questionnaire"
    label = _l("Condition questionnaire")
    description = _l(
        "Questions the retailer answers per line before submitting; each answer sets a grade "
        "and a deduction, and the worst grade answered is the condition claimed."
    )
    order = 125
    params = (
        ParamSpec(
            "questions",
            _l("Questions"),
            "questionnaire",
            _l(
                "One question per line; below it, one answer per line starting with '-': "
                "text | grade | deduction %."
            ),
        ),
    )

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        questions = params["questions"]
        unanswered = sum(1 for line in request.lines if not _complete(questions, line.answers))
        figures = {"questions": len(questions), "unanswered_lines": unanswered}
        if unanswered:
            text = _(
                "Condition questionnaire: %(count)s line(s) still have unanswered questions",
                count=unanswered,
            )
        else:
            text = _("Condition questionnaire: every line answered; the condition claimed follows")
        return Outcome(True, text, figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        return _(", by the condition you declare in the questionnaire")


def _complete(questions: tuple[Question, ...], answers: tuple[tuple[str, str], ...]) -> bool:
    try:
        return claim(questions, dict(answers)).complete
    except UnknownAnswer:  # answered under an earlier questionnaire: to answer again
        return False
