"""The policy editor, built generically from the registered rules (``policy.RULES``): each
rule's parameters are declared as ``ParamSpec`` (kind, bounds, label, help), and this module
reads posted fields into a policy document and gives the values and errors each rule's
fields show, by kind. A newly registered rule appears in the editor without a change here.

Field names: ``<rule>-enabled``, ``<rule>-mode``, ``<rule>-<param>``; an age or period adds
``<rule>-<param>-unit`` (days, weeks or months); windows post a day and a month per edge,
``<rule>-<param>-<n>-start|end-day|month`` (or ``-start|end`` as MM-DD), and grade maps
``<rule>-<param>-<grade>``. Checking is ``validate_policy``'s alone, so the editor accepts
exactly what the evaluator reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from workflow_designer.policy import (
    GRADES,
    RULES,
    UNITS,
    ParamSpec,
    PolicyProblem,
    PolicyRule,
    validate_policy,
)
from workflow_designer.policy.questionnaire_text import questions_as_text, questions_from_text

BLANK_WINDOWS = 2  # empty rows offered below the windows already set
_INT = re.compile(r"-?[0-9]{1,18}")  # ASCII and short: int() refuses 4,300+ digits
_DAY_OR_MONTH = re.compile(r"[0-9]{1,2}")
_MONTH_DAY = re.compile(r"([0-9]{2})-([0-9]{2})")
MONTHS: tuple[tuple[str, Any], ...] = tuple(
    (f"{number:02d}", name)
    for number, name in enumerate(
        (
            _l("January"),
            _l("February"),
            _l("March"),
            _l("April"),
            _l("May"),
            _l("June"),
            _l("July"),
            _l("August"),
            _l("September"),
            _l("October"),
            _l("November"),
            _l("December"),
        ),
        start=1,
    )
)


@dataclass
class RuleView:
    """One rule as the editor renders it."""

    spec: PolicyRule
    enabled: bool
    mode: str
    values: dict[str, Any]
    errors: dict[str, list[str]] = field(default_factory=dict)


def parse_policy(form: MultiDict) -> dict[str, Any]:
    """The policy document the posted fields describe (unchecked)."""
    policy: dict[str, Any] = {}
    for name, spec in RULES.items():
        rule: dict[str, Any] = {"enabled": form.get(f"{name}-enabled") == "on"}
        if spec.pass_fail:
            rule["mode"] = form.get(f"{name}-mode", "blocking")
        for param in spec.params:
            rule[param.name] = _read(form, f"{name}-{param.name}", param)
        policy[name] = rule
    return policy


def _read(form: MultiDict, key: str, param: ParamSpec) -> Any:
    kind = param.kind
    if kind == "bool":
        return form.get(key) == "on"
    if kind == "multichoice":
        return [v for v in form.getlist(key) if v]
    if kind == "windows":
        return _windows(form, key)
    if kind == "period":
        return _period(form, key)
    if kind == "questionnaire":
        text = form.get(key) or ""
        return questions_from_text(text) if text.strip() else None
    if kind in ("grade_percent", "grade_disposition"):
        values = {g: (form.get(f"{key}-{g}") or "").strip() for g, _ in GRADES}
        return {g: v for g, v in values.items() if v}
    raw = (form.get(key) or "").strip()
    if not raw:
        return None
    if kind == "int":
        return int(raw) if _INT.fullmatch(raw) else raw
    return raw.replace(",", ".") if kind in ("decimal", "percent") and raw.count(",") == 1 else raw


def _period(form: MultiDict, key: str) -> Any:
    """Days stay a plain number, as stored before units existed; weeks and months are
    ``{"count": n, "unit": …}``. An unknown unit is passed on for the validator to name."""
    raw = (form.get(key) or "").strip()
    if not raw:
        return None
    count: Any = int(raw) if _INT.fullmatch(raw) else raw
    unit = (form.get(f"{key}-unit") or "days").strip()
    return count if unit == "days" else {"count": count, "unit": unit}


def _windows(form: MultiDict, key: str) -> list[dict[str, str]]:
    windows = []
    numbers = sorted(
        {
            int(m.group(1))
            for k in form
            if (m := re.fullmatch(rf"{key}-([0-9]{{1,4}})-(start|end)(-day|-month)?", k))
        }
    )
    for number in numbers:
        start = _month_day(form, f"{key}-{number}-start")
        end = _month_day(form, f"{key}-{number}-end")
        if start or end:
            windows.append({"start": start, "end": end})
    return windows


def _month_day(form: MultiDict, key: str) -> str:
    """One edge of a window as MM-DD: typed as MM-DD, or as a day and a chosen month.
    A day that is not a number is kept as typed, so the validator's message shows it."""
    typed = (form.get(key) or "").strip()
    if typed:
        return typed
    day = (form.get(f"{key}-day") or "").strip()
    month = (form.get(f"{key}-month") or "").strip()
    if not day and not month:
        return ""
    if _DAY_OR_MONTH.fullmatch(day) and _DAY_OR_MONTH.fullmatch(month):
        return f"{int(month):02d}-{int(day):02d}"
    return f"{month}-{day}"


def check_policy(policy: dict[str, Any]) -> tuple[dict[str, Any], list[PolicyProblem]]:
    """The document to store and the problems to show.

    A switched-off rule keeps the settings that read cleanly, so switching it on later
    brings them back; settings it could not use are dropped rather than refused, because
    the admin cannot see a rule's fields as mistakes while it is off.
    """
    problems = validate_policy(policy)
    stored = dict(policy)
    for name, rule in policy.items():
        if rule.get("enabled"):
            continue
        as_on = validate_policy({name: {**rule, "enabled": True}})
        bad = {p.field for p in as_on}
        stored[name] = {k: v for k, v in rule.items() if k not in bad or k in ("enabled", "mode")}
    return stored, problems


def rule_views(policy: Any, problems: Sequence[PolicyProblem] = ()) -> list[RuleView]:
    """Every rule, in display order, with the values to show and errors beside fields."""
    policy = policy if isinstance(policy, dict) else {}
    views = []
    for name, spec in RULES.items():
        raw = policy.get(name) if isinstance(policy.get(name), dict) else {}
        values = {p.name: _shown(p, raw.get(p.name)) for p in spec.params}
        view = RuleView(
            spec, raw.get("enabled") is True, str(raw.get("mode") or "blocking"), values
        )
        for problem in problems:
            if problem.rule == name:
                key = problem.field if spec.param(problem.field or "") else "_rule"
                view.errors.setdefault(key, []).append(problem.message)
        views.append(view)
    return views


def _shown(param: ParamSpec, value: Any) -> Any:
    kind = param.kind
    if kind == "bool":
        return value is True
    if kind == "multichoice":
        return [str(v) for v in value] if isinstance(value, list) else []
    if kind == "windows":
        rows = [w for w in value if isinstance(w, dict)] if isinstance(value, list) else []
        edges = [(_day_month(w.get("start")), _day_month(w.get("end"))) for w in rows]
        return edges + [(("", ""), ("", ""))] * BLANK_WINDOWS
    if kind == "period":
        return _period_shown(value)
    if kind == "questionnaire":
        return questions_as_text(value)
    if kind in ("grade_percent", "grade_disposition"):
        return {str(k): str(v) for k, v in value.items()} if isinstance(value, dict) else {}
    return "" if value is None else str(value)


def _day_month(value: Any) -> tuple[str, str]:
    """An MM-DD edge as the editor's (day, month) fields; anything else as typed."""
    text = "" if value is None else str(value)
    match = _MONTH_DAY.fullmatch(text)
    if match is None:
        return text, ""
    return str(int(match[2])), match[1]


def _period_shown(value: Any) -> tuple[str, str]:
    """(count, unit) for an age or period field: a plain number is days."""
    units = {unit for unit, _ in UNITS}
    if isinstance(value, dict):
        unit = value.get("unit", "days")
        count = value.get("count")
        return ("" if count is None else str(count)), (unit if unit in units else "days")
    return ("" if value is None else str(value)), "days"


def multichoice_options(
    param: ParamSpec, catalog: dict[str, list[str]], selected: list[str]
) -> list[tuple[str, str]]:
    """The choices of a multichoice parameter: declared, or filled from the catalog (plus
    any value already chosen that the catalog no longer has, so saving never drops it)."""
    if param.choices:
        return list(param.choices)
    values = catalog.get(param.choices_source or "", [])
    return [(v, v) for v in [*values, *(s for s in selected if s not in values)]]
