"""A policy rule is one class, registered by name in ``RULES``; and the words rules share.

A rule class says everything about its rule: its name, label and designer help, its
parameters (``ParamSpec``: the designer's fields and the validator's reading), its check on
a request, its sentence for retailers, and optionally its per-line reason and its checks
across parameters. Validation, evaluation, explanations and the designer's editor go
through ``RULES`` only, so adding a rule is adding a module to this package.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, ClassVar, TypeVar

from workflow_designer.policy.request import PolicyRequest, RequestLine
from workflow_designer.policy.spec import Group, ParamSpec
from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import ngettext

Params = dict[str, Any]
"""A rule's parameters as validation read them: every declared name, typed, or None."""


@dataclass(frozen=True)
class Outcome:
    passed: bool
    message: str
    figures: dict[str, Any]


class PolicyRule:
    """One rule a return type can switch on. Subclasses set the class attributes and
    implement ``check`` and ``explain``; ``register_rule`` makes them known."""

    name: ClassVar[str]
    label: ClassVar[str]
    """Lazy (``lazy_gettext``): in the reader's language when shown; ``str()`` it to keep."""
    description: ClassVar[str]
    """Help shown under the rule in the designer (lazy too)."""
    group: ClassVar[Group]
    order: ClassVar[int]
    """Display (and evaluation) order among all rules: lower first."""
    params: ClassVar[tuple[ParamSpec, ...]]
    pass_fail: ClassVar[bool] = True
    """Pass/fail rules carry a mode (blocking or exception); credit rules never fail."""

    def param(self, name: str) -> ParamSpec | None:
        return next((p for p in self.params if p.name == name), None)

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        """The rule's verdict on ``request``, with a message and figures."""
        raise NotImplementedError

    def explain(self, params: Params, currency: str, today: date) -> str:
        """The rule in plain words for a retailer: a sentence (a credit rule: a clause of
        the credit sentence, "" when it changes nothing)."""
        raise NotImplementedError

    def line_reason(self, params: Params, line: RequestLine, today: date) -> str | None:
        """Why ``line`` alone fails the rule, for rules that judge lines one by one."""
        return None

    def line_judge(self, params: Params, today: date) -> Callable[[RequestLine], str | None] | None:
        """``line_reason`` for ``params`` and ``today``, prepared once to judge many lines;
        None for a rule that does not judge lines one by one (nothing to call per line)."""
        if type(self).line_reason is PolicyRule.line_reason:
            return None
        return lambda line: self.line_reason(params, line, today)

    def check_together(self, params: Params) -> list[tuple[str, str]]:
        """Problems across parameters, as (parameter, text), once each reads cleanly."""
        return []

    def as_dict(self) -> dict[str, Any]:
        """The declaration as plain data."""
        return {
            "name": self.name,
            "label": str(self.label),
            "description": str(self.description),
            "group": self.group,
            "pass_fail": self.pass_fail,
            "params": [_plain_param(param) for param in self.params],
        }

    def __repr__(self) -> str:
        return f"<rule {self.name}>"


def _plain_param(param: ParamSpec) -> dict[str, Any]:
    """A parameter as plain data, its words in the reader's language."""
    data = asdict(param)
    data["label"], data["help"] = str(param.label), str(param.help)
    data["choices"] = tuple((value, str(label)) for value, label in param.choices)
    return data


class CreditRule(PolicyRule):
    """A rule that never fails: its finding tells the retailer how the credit is shaped."""

    group: ClassVar[Group] = "credit"
    pass_fail: ClassVar[bool] = False


RULES: dict[str, PolicyRule] = {}
"""Every registered rule by name, in display order."""

R = TypeVar("R", bound=type[PolicyRule])


def register_rule(cls: R) -> R:
    """Class decorator: add the rule to ``RULES`` at its place in the display order."""
    rule = cls()
    if rule.name in RULES:
        raise ValueError(f"rule '{rule.name}' is already registered")
    ordered = sorted([*RULES.values(), rule], key=lambda r: r.order)
    RULES.clear()  # the same dict: modules hold it by reference
    RULES.update((r.name, r) for r in ordered)
    return cls


def bounds_problems(
    params: Params, low_name: str, high_name: str, unit: str
) -> list[tuple[str, str]]:
    """A minimum/maximum pair: at least one set, and not the wrong way round."""
    low, high = params[low_name], params[high_name]
    if low is None and high is None:
        return [(low_name, _("set a minimum, a maximum or both"))]
    if low is not None and high is not None and high < low:
        text = _(
            "the maximum (%(high)s %(unit)s) is below the minimum (%(low)s %(unit)s)",
            high=high,
            low=low,
            unit=unit,
        )
        return [(high_name, text)]
    return []


def plural(count: int, word: str, words: str | None = None) -> str:
    """``1 line``, ``3 lines``; irregular plurals through ``words``."""
    return f"{count} {word if count == 1 else words or word + 's'}"


def listing(items: Iterable[str], limit: int = 3) -> str:
    """``A, B and C`` — at most ``limit`` items, then ``… and 4 more``."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if len(items) <= limit:
        return _("%(items)s and %(last)s", items=", ".join(items[:-1]), last=items[-1])
    more = len(items) - limit
    return ngettext(
        "%(items)s and %(num)d more",
        "%(items)s and %(num)d more",
        more,
        items=", ".join(items[:limit]),
    )


def line_ref(line: RequestLine) -> dict[str, Any]:
    """How a line is named in figures."""
    return {
        "order_line_id": line.order_line_id,
        "sku": line.sku,
        "invoice_number": line.invoice_number,
    }
