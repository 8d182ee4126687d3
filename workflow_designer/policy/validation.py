"""Checking a policy document: every problem at once, in words, never an exception.

The same reading serves evaluation: ``read_policy`` gives the enabled rules with typed
parameters, so a rule is never evaluated from settings the validator would refuse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from workflow_designer.policy.params import READERS, BadItem, BadValue, shown
from workflow_designer.policy.rules import RULES, PolicyRule
from workflow_designer.policy.spec import MODES, ParamSpec
from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import in_sentence

Problem = Callable[[str | None, str], None]


@dataclass(frozen=True)
class PolicyProblem:
    """What is wrong: ``rule`` and ``field`` (a parameter, "enabled" or "mode") when known."""

    rule: str | None
    field: str | None
    message: str

    def as_dict(self) -> dict[str, str | None]:
        return {"rule": self.rule, "field": self.field, "message": self.message}


@dataclass(frozen=True)
class RuleConfig:
    """An enabled rule that reads cleanly: its mode (None for credit rules) and params."""

    rule: PolicyRule
    mode: str | None
    params: dict[str, Any]

    @property
    def exception_allowed(self) -> bool:
        return self.mode == "exception"


@dataclass
class ReadPolicy:
    rules: dict[str, RuleConfig] = field(default_factory=dict)
    broken: list[PolicyRule] = field(default_factory=list)
    problems: list[PolicyProblem] = field(default_factory=list)


def validate_policy(doc: Any) -> list[PolicyProblem]:
    """Every problem of ``doc`` (any JSON value); an empty list means it is valid."""
    return read_policy(doc).problems


def read_policy(doc: Any) -> ReadPolicy:
    """Enabled rules in ``RULES`` order, rules that are enabled but unreadable, problems."""
    result = ReadPolicy()
    if not isinstance(doc, dict):
        message = _(
            "The policy must be an object of rules by name, not %(value)s.", value=shown(doc)
        )
        result.problems.append(PolicyProblem(None, None, message))
        return result
    for name in doc:
        if name not in RULES:
            known = ", ".join(RULES)
            message = _(
                "Unknown rule '%(name)s'; the rules are %(known)s.", name=shown(name), known=known
            )
            result.problems.append(PolicyProblem(shown(name, 100), None, message))
    for name, rule in RULES.items():
        if name in doc:
            _read_rule(rule, doc[name], result)
    return result


def _read_rule(rule: PolicyRule, raw: Any, result: ReadPolicy) -> None:
    problems: list[PolicyProblem] = []

    def problem(field_name: str | None, text: str) -> None:
        message = _("%(rule)s: %(problem)s.", rule=rule.label, problem=text)
        problems.append(PolicyProblem(rule.name, field_name, message))

    if not isinstance(raw, dict):
        problem(
            None,
            _(
                'must be an object such as {"enabled": true, …}, not %(value)s',
                value=shown(raw),
            ),
        )
        result.problems.extend(problems)
        return
    enabled = raw.get("enabled")
    if "enabled" not in raw:
        problem("enabled", _("'enabled' is required: true or false"))
    elif not isinstance(enabled, bool):
        problem(
            "enabled", _("'enabled' must be true or false, not '%(value)s'", value=shown(enabled))
        )
    mode = _read_mode(rule, raw, enabled is True, problem)
    for key in raw:
        if key != "enabled" and key != "mode" and rule.param(key) is None:
            problem(shown(key, 100), _("unknown setting '%(key)s'", key=shown(key)))
    params = _read_params(rule, raw, problem) if enabled is True else {}
    if enabled is True and not problems:
        for field_name, text in rule.check_together(params):
            problem(field_name, text)
    result.problems.extend(problems)
    if enabled is True:
        if problems:
            result.broken.append(rule)
        else:
            result.rules[rule.name] = RuleConfig(rule, mode, params)


def _read_mode(
    rule: PolicyRule, raw: dict[str, Any], enabled: bool, problem: Problem
) -> str | None:
    if not rule.pass_fail:
        if "mode" in raw:
            problem("mode", _("has no mode; credit rules never fail, they shape the credit"))
        return None
    mode = raw.get("mode")
    if isinstance(mode, str) and mode in MODES:
        return mode
    if "mode" in raw:
        problem(
            "mode", _("'mode' must be blocking or exception, not '%(value)s'", value=shown(mode))
        )
    elif enabled:
        problem("mode", _("'mode' is required: blocking or exception"))
    return None


def _read_params(rule: PolicyRule, raw: dict[str, Any], problem: Problem) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for param in rule.params:
        value = raw.get(param.name)
        if value is None:
            if param.required:
                problem(param.name, _("%(setting)s is required", setting=_name(param)))
            params[param.name] = None
            continue
        try:
            params[param.name] = READERS[param.kind](param, value)
        except BadItem as error:
            problem(param.name, str(error))
        except BadValue as error:
            problem(param.name, _("%(setting)s %(problem)s", setting=_name(param), problem=error))
    return params


def _name(param: ParamSpec) -> str:
    """The label as it reads inside a sentence: "Minimum units" → "minimum units"."""
    return in_sentence(param.label)
