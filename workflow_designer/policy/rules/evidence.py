"""Evidence: each line needs photos and/or a description of the problem."""

from __future__ import annotations

from datetime import date

from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import (
    Outcome,
    Params,
    PolicyRule,
    listing,
    plural,
    register_rule,
)
from workflow_designer.policy.spec import ParamSpec


def evidence_wanted(params: Params) -> str:
    both = params["photos"] and params["description"]
    return "photos and a description" if both else "photos" if params["photos"] else "a description"


@register_rule
class Evidence(PolicyRule):
    name = "evidence"
    label = "Evidence"
    description = "Each line needs photos and/or a description of the problem."
    group = "common"
    order = 30
    params = (
        ParamSpec("photos", "Photos", "bool", "At least one photo per line."),
        ParamSpec("description", "Description", "bool", "A written description per line."),
    )

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        no_photos = [line.sku for line in request.lines if params["photos"] and line.photos < 1]
        no_text = [
            line.sku
            for line in request.lines
            if params["description"] and not line.description.strip()
        ]
        figures = {
            "photos": params["photos"],
            "description": params["description"],
            "lines_without_photos": no_photos,
            "lines_without_description": no_text,
        }
        missing = [
            f"{what} missing for {plural(len(skus), 'line')} ({listing(skus)})"
            for what, skus in (("photos", no_photos), ("description", no_text))
            if skus
        ]
        if missing:
            return Outcome(False, f"Evidence: {'; '.join(missing)}", figures)
        wanted = evidence_wanted(params)
        if not request.lines:
            return Outcome(True, f"Evidence: each line needs {wanted}", figures)
        return Outcome(True, f"Evidence: {wanted} given for every line", figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        return f"Each line needs {evidence_wanted(params)}."

    def check_together(self, params: Params) -> list[tuple[str, str]]:
        if not (params["photos"] or params["description"]):
            return [("photos", "require photos, a description or both (or switch the rule off)")]
        return []
