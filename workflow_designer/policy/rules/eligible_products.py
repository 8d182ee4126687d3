"""Eligible products: only products of the listed lifecycles, brands and categories."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from workflow_designer.policy.request import PolicyRequest, RequestLine
from workflow_designer.policy.rules.base import (
    Outcome,
    Params,
    PolicyRule,
    line_ref,
    listing,
    register_rule,
)
from workflow_designer.policy.spec import LIFECYCLES, ParamSpec
from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import lazy_gettext as _l
from workflow_designer.policy.words import ngettext

_ATTRIBUTES = (("lifecycles", "lifecycle"), ("brands", "brand"), ("categories", "category"))


def _attribute_words(word: str, values: str) -> str:
    """``brand Vista``, ``lifecycle discontinued or clearance`` (in the reader's language)."""
    if word == "lifecycle":
        return _("lifecycle %(values)s", values=values)
    if word == "brand":
        return _("brand %(values)s", values=values)
    return _("category %(values)s", values=values)


def _accepted_sets(params: Params) -> dict[str, set[str]]:
    return {key: {value.casefold() for value in params[key]} for key, _ in _ATTRIBUTES}


def _reasons(accepted: dict[str, set[str]], line: RequestLine) -> list[str]:
    """``["brand Vista"]`` for each attribute of the line the rule does not accept."""
    reasons = []
    for key, word in _ATTRIBUTES:
        value = getattr(line, word)
        if accepted[key] and value.casefold() not in accepted[key]:
            reasons.append(_attribute_words(word, value or _("unknown")))
    return reasons


def accepted_words(params: Params) -> str:
    """``lifecycle discontinued or clearance, brand Lunetta`` — or ``any product``."""
    parts = [
        _attribute_words(word, _either(params[key])) for key, word in _ATTRIBUTES if params[key]
    ]
    return ", ".join(parts) if parts else _("any product")


def _either(values: tuple[str, ...]) -> str:
    """``a``, ``a or b``, ``a, b or c``."""
    if len(values) == 1:
        return values[0]
    return _("%(values)s or %(last)s", values=", ".join(values[:-1]), last=values[-1])


@register_rule
class EligibleProducts(PolicyRule):
    name = "eligible_products"
    label = _l("Eligible products")
    description = _l(
        "Only products of the listed lifecycles, brands and categories may be returned."
    )
    group = "common"
    order = 20
    params = (
        ParamSpec(
            "lifecycles",
            _l("Lifecycles"),
            "multichoice",
            _l("Leave empty to accept any lifecycle."),
            choices=LIFECYCLES,
            choices_source="lifecycles",
        ),
        ParamSpec(
            "brands",
            _l("Brands"),
            "multichoice",
            _l("Leave empty to accept any brand."),
            choices_source="brands",
        ),
        ParamSpec(
            "categories",
            _l("Categories"),
            "multichoice",
            _l("Leave empty to accept any category."),
            choices_source="categories",
        ),
    )

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        sets = _accepted_sets(params)  # built once: the rule runs over every line
        failing = [(line, r) for line in request.lines if (r := _reasons(sets, line))]
        accepted = accepted_words(params)
        figures: dict[str, Any] = {key: list(values) for key, values in params.items()}
        figures["ineligible_lines"] = [{**line_ref(line), "reasons": r} for line, r in failing]
        if failing:
            count = len(failing)
            items = listing(f"{line.sku} ({', '.join(r)})" for line, r in failing)
            text = ngettext(
                "Eligible products: %(num)d line is not eligible: %(items)s; accepted: "
                "%(accepted)s",
                "Eligible products: %(num)d lines are not eligible: %(items)s; accepted: "
                "%(accepted)s",
                count,
                items=items,
                accepted=accepted,
            )
            return Outcome(False, text, figures)
        if not request.lines:
            return Outcome(True, _("Eligible products: %(accepted)s", accepted=accepted), figures)
        text = _("Eligible products: every line qualifies (%(accepted)s)", accepted=accepted)
        return Outcome(True, text, figures)

    def explain(self, params: Params, currency: str, today: date) -> str:
        if not any(params[key] for key, _word in _ATTRIBUTES):
            return _("Any product you bought can be returned.")
        return _(
            "Only products with %(accepted)s can be returned.", accepted=accepted_words(params)
        )

    def line_reason(self, params: Params, line: RequestLine, today: date) -> str | None:
        return "; ".join(_reasons(_accepted_sets(params), line))

    def line_judge(self, params: Params, today: date) -> Callable[[RequestLine], str | None]:
        sets = _accepted_sets(params)  # once for all lines: a 200-line draft spent 4 ms here
        return lambda line: "; ".join(_reasons(sets, line))
