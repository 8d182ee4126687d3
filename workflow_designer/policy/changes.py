"""What changed between two policy documents, in words ("Allowance · Percent of net
purchases: 10% → 12%").

Generic over the params dict: rules and parameters are read through the registry
(``RULES``), whose ``ParamSpec`` labels and kinds give the words; a rule or parameter the
registry does not know (yet, or any more) is still compared and shown by its name. Only
real changes count: a rule missing from one document is the same as a rule switched off
with nothing set, an unset parameter is the same whether stored as null, "" or left out,
and numbers compare by value ("10" and "10.0" are one percentage).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from workflow_designer.policy.params import BadValue, read_period
from workflow_designer.policy.periods import Period
from workflow_designer.policy.rules import RULES, PolicyRule
from workflow_designer.policy.spec import DISPOSITIONS, GRADE_LABELS, ParamSpec
from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import lazy_gettext as _l
from workflow_designer.policy.words import percent as format_percent

MODE_WORDS = {"blocking": _l("blocking"), "exception": _l("exception allowed")}
NOT_SET = _l("not set")
_UNIT = re.compile(r"^(?P<label>.+?) \((?P<unit>[a-z]+)\)$")
_NUMBERS = ("int", "decimal", "percent")
DISPOSITION_LABELS = dict(DISPOSITIONS)


@dataclass(frozen=True)
class ParamChange:
    """One setting that differs: where it is, and its value before and after, in words."""

    rule: str
    field: str  # "enabled", "mode" or a parameter's name
    label: str
    before: str
    after: str

    @property
    def sentence(self) -> str:
        return _(
            "%(label)s: %(before)s → %(after)s",
            label=self.label,
            before=self.before,
            after=self.after,
        )


def diff_policies(before: Any, after: Any) -> list[ParamChange]:
    """The settings that differ between two policy documents, rule by rule in display
    order (rules the registry does not know come last, by name)."""
    old, new = _rules(before), _rules(after)
    names = [n for n in RULES if n in old or n in new]
    names += sorted((set(old) | set(new)) - set(RULES))
    changes: list[ParamChange] = []
    for name in names:
        changes += _rule_changes(name, RULES.get(name), old.get(name, {}), new.get(name, {}))
    return changes


def same_policy(before: Any, after: Any) -> bool:
    """Whether two documents say the same thing (saving one over the other changes nothing)."""
    return not diff_policies(before, after)


def _rules(doc: Any) -> dict[str, dict[str, Any]]:
    if not isinstance(doc, dict):
        return {}
    return {str(k): v if isinstance(v, dict) else {} for k, v in doc.items()}


def _rule_changes(
    name: str, spec: PolicyRule | None, old: dict[str, Any], new: dict[str, Any]
) -> list[ParamChange]:
    rule_label = str(spec.label) if spec else _humane(name)
    changes = []
    was_on, is_on = old.get("enabled") is True, new.get("enabled") is True
    if was_on != is_on:
        changes.append(ParamChange(name, "enabled", rule_label, _on(was_on), _on(is_on)))
    if (spec is None or spec.pass_fail) and _mode(old) != _mode(new):
        label = _("%(rule)s · when not met", rule=rule_label)
        changes.append(ParamChange(name, "mode", label, _mode(old), _mode(new)))
    declared = [p.name for p in spec.params] if spec else []
    extra = sorted((set(old) | set(new)) - set(declared) - {"enabled", "mode"})
    for key in [*declared, *extra]:
        param = spec.param(key) if spec else None
        before, after = _unset(old.get(key)), _unset(new.get(key))
        if _same(before, after, param):
            continue
        label, unit = _param_label(key, param)
        changes.append(
            ParamChange(
                name,
                key,
                _("%(rule)s · %(setting)s", rule=rule_label, setting=label),
                _words(before, param, unit),
                _words(after, param, unit),
            )
        )
    return changes


def _on(enabled: bool) -> str:
    return _("on") if enabled else _("off")


def _mode(rule: dict[str, Any]) -> str:
    mode = rule.get("mode") or "blocking"
    return str(MODE_WORDS.get(str(mode), str(mode)))


def _unset(value: Any) -> Any:
    """None for every way of leaving a setting empty."""
    if value is None or value == "" or value == [] or value == {}:
        return None
    return value


def _number(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, (int, str, float, Decimal)):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _period(value: Any, param: ParamSpec | None) -> Period | None:
    """An age or period as it reads (90 and {"count": 90, "unit": "days"} are one)."""
    if param is None or param.kind != "period":
        return None
    try:
        return read_period(param, value)
    except BadValue:
        return None


def _same(before: Any, after: Any, param: ParamSpec | None) -> bool:
    a_period, b_period = _period(before, param), _period(after, param)
    if a_period is not None and b_period is not None:
        return a_period == b_period
    if param is not None and param.kind == "bool" and {before, after} <= {None, False, True}:
        return (before is True) == (after is True)  # the editor reads a box left out as off
    if param is not None and param.kind in _NUMBERS:
        a, b = _number(before), _number(after)
        if a is not None and b is not None:
            return a == b
    if _grade_maps(before, after, param):
        return all(_same(before[k], after[k], _PERCENT) for k in before)
    return _canonical(before) == _canonical(after)


_PERCENT = ParamSpec("percent", "", "percent")


def _grade_maps(before: Any, after: Any, param: ParamSpec | None) -> bool:
    """Two percentages per grade over the same grades (compared grade by grade)."""
    if param is None or param.kind != "grade_percent":
        return False
    return isinstance(before, dict) and isinstance(after, dict) and before.keys() == after.keys()


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def _param_label(key: str, param: ParamSpec | None) -> tuple[str, str]:
    """The label without a unit in brackets, and that unit: "Period (days)" → "Period",
    "days"."""
    if param is None:
        return _humane(key), ""
    label = str(param.label)
    match = _UNIT.match(label)
    if match and param.kind == "int":
        return match["label"], match["unit"]
    return label, ""


def _humane(name: str) -> str:
    return name.replace("_", " ").strip().capitalize() or name


def _words(value: Any, param: ParamSpec | None, unit: str = "") -> str:
    kind = param.kind if param else None
    if kind == "bool" and value in (None, False, True):
        return _("yes") if value is True else _("no")
    if value is None:
        return str(NOT_SET)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    period = _period(value, param)
    if period is not None:
        return period.words()
    if kind == "percent":
        number = _number(value)
        return format_percent(number) if number is not None else str(value)
    if kind == "int" and unit:
        number = _number(value)
        if number is not None and number == number.to_integral_value():
            count = int(number)
            return f"{count} {unit.removesuffix('s') if count == 1 else unit}"
    if kind == "choice" and param:
        return str(dict(param.choices).get(str(value), str(value)))
    if kind == "multichoice" and isinstance(value, list):
        labels = dict(param.choices) if param else {}
        return ", ".join(str(labels.get(str(v), str(v))) for v in value)
    if kind == "windows" and isinstance(value, list):
        return "; ".join(_window(w) for w in value)
    if kind in ("grade_percent", "grade_disposition") and isinstance(value, dict):
        return ", ".join(
            f"{GRADE_LABELS.get(g, g)}: {_grade_value(v, kind)}" for g, v in value.items()
        )
    if isinstance(value, (dict, list)):
        return _canonical(value)
    return str(value)


def _window(window: Any) -> str:
    if not isinstance(window, dict):
        return str(window)
    return _("%(start)s to %(end)s", start=window.get("start") or "…", end=window.get("end") or "…")


def _grade_value(value: Any, kind: str) -> str:
    if kind == "grade_disposition":
        return str(DISPOSITION_LABELS.get(str(value), str(value)))
    number = _number(value)
    return format_percent(number) if number is not None else str(value)
