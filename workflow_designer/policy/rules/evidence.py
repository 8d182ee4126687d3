"""Evidence: each line needs photos and/or a description of the problem."""

from __future__ import annotations

from datetime import date

from workflow_designer.policy.request import PolicyRequest
from workflow_designer.policy.rules.base import (
    Outcome,
    Params,
    PolicyRule,
    listing,
    register_rule,
)
from workflow_designer.policy.spec import ParamSpec
from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import lazy_gettext as _l
from workflow_designer.policy.words import ngettext


def evidence_wanted(params: Params) -> str:
    if params["photos"] and params["description"]:
        return _("photos and a description")
    return _("photos") if params["photos"] else _("a description")


@register_rule
class Evidence(PolicyRule):
    name = "evidence"
    label = _l("Evidence")
    description = _l("Each line needs photos and/or a description of the problem.")
    group = "common"
    order = 30
    params = (
        ParamSpec("photos", _l("Photos"), "bool", _l("At least one photo per line.")),
        ParamSpec("description", _l("Description"), "bool", _l("A written description per line.")),
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
        missing = []
        if no_photos:
            missing.append(
                ngettext(
                    "photos missing for %(num)d line (%(skus)s)",
                    "photos missing for %(num)d lines (%(skus)s)",
                    len(no_photos),
                    skus=listing(no_photos),
                )
            )
        if no_text:
            missing.append(
                ngettext(
                    "description missing for %(num)d line (%(skus)s)",
                    "description missing for %(num)d lines (%(skus)s)",
                    len(no_text),
                    skus=listing(no_text),
                )
            )
        if missing:
            return Outcome(False, _("Evidence: %(missing)s", missing="; ".join(missing)), figures)
        wanted = evidence_wanted(params)
        if not request.lines:
            return Outcome(True, _("Evidence: each line needs %(wanted)s", wanted=wanted), figures)
        return Outcome(True, _("Evidence: %(wanted)s given for every line", wanted=wanted), figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        return _("Each line needs %(wanted)s.", wanted=evidence_wanted(params))

    def check_together(self, params: Params) -> list[tuple[str, str]]:
        if not (params["photos"] or params["description"]):
            text = _("require photos, a description or both (or switch the rule off)")
            return [("photos", text)]
        return []
