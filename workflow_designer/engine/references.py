"""Validation of guard/action references and of approval steps."""

from __future__ import annotations

from typing import Any, cast

from workflow_designer.engine.checker import MISSING, ApprovalInfo, Checker, RefInfo
from workflow_designer.engine.errors import ParamError
from workflow_designer.engine.params import DecimalParam, IntParam, shown
from workflow_designer.engine.problems import join_path
from workflow_designer.engine.schema import (
    APPROVAL_KEYS,
    APPROVER_KINDS,
    APPROVER_ROLES,
    ESCALATE_TO,
    ROLES,
    WHEN_KINDS,
)
from workflow_designer.policy.words import lazy_gettext as _l

STEP = IntParam(name="step", description=_l("Approval step number"), minimum=1)
SLA_HOURS = IntParam(name="sla_hours", description=_l("Hours"), minimum=1, maximum=24 * 365)
USER_ID = IntParam(name="user_id", description=_l("User id"), minimum=1)
THRESHOLD = DecimalParam(name="amount", description=_l("Amount"))


def check_refs(
    checker: Checker, obj: dict[str, Any], key: str, path: str, kind: str, where: str, **names: Any
) -> tuple[list[RefInfo], bool]:
    """The references listed under ``obj[key]`` (optional), and whether all were valid."""
    items = checker.listing(obj, key, path, where, required=False, **names)
    if items is None:
        return [], False
    path = join_path(path, key)
    refs = [
        check_ref(checker, item, join_path(path, i), kind, **names) for i, item in enumerate(items)
    ]
    valid = [ref for ref in refs if ref is not None]
    return valid, len(valid) == len(refs) and all(ref.ok for ref in valid)


def check_ref(checker: Checker, raw: Any, path: str, kind: str, **names: Any) -> RefInfo | None:
    """One ``{"guard"|"action": name, "params": {...}}`` reference."""
    if not checker.object(raw, path, f"A {kind} reference", **names):
        return None
    where = f" in this {kind} reference"
    checker.known_keys(raw, frozenset({kind, "params"}), path, where, **names)
    name = checker.get(raw, kind, path, where, required=True, **names)
    if name is MISSING or not checker.typed(
        name, str, "a string", join_path(path, kind), f"'{kind}'", **names
    ):
        return None
    lookup = checker.registry.has_guard if kind == "guard" else checker.registry.has_action
    if not lookup(name):
        known = ", ".join(
            checker.registry.guard_names() if kind == "guard" else checker.registry.action_names()
        )
        checker.add(
            f"unknown_{kind}", join_path(path, kind), name=shown(name), known=known, **names
        )
        return None
    raw_params = raw.get("params", {})
    params_path = join_path(path, "params")
    if not checker.typed(raw_params, dict, "an object", params_path, "'params'", **names):
        return RefInfo(name, {}, path, ok=False)
    params, ok = _check_params(checker, kind, name, raw_params, params_path, **names)
    return RefInfo(name, params, path, ok)


def _check_params(
    checker: Checker, kind: str, name: str, raw: dict[str, Any], path: str, **names: Any
) -> tuple[dict[str, Any], bool]:
    entry = checker.registry.guard(name) if kind == "guard" else checker.registry.action(name)
    labels = {"kind": kind.capitalize(), "kind_lower": kind, "name": name}
    ok = True
    for key in raw:
        if entry.param(key) is None:
            checker.add(
                "unknown_param", join_path(path, str(key)), param=shown(key), **labels, **names
            )
            ok = False
    values = {}
    for param in entry.params:
        if param.name not in raw:
            checker.add(
                "missing_param", join_path(path, param.name), param=param.name, **labels, **names
            )
            ok = False
            continue
        try:
            values[param.name] = param.parse(raw[param.name])
        except ParamError as exc:
            where = join_path(path, param.name)
            checker.add("bad_param", where, param=param.name, reason=f"{exc}.", **labels, **names)
            ok = False
    return values, ok


def check_approval(checker: Checker, raw: Any, path: str, state: str) -> ApprovalInfo | None:
    """An approval step: who approves, when it applies, SLA and escalation."""
    if not checker.object(raw, path, "'approval'", state=state):
        return None
    where = f" in the approval step of '{state}'"
    checker.known_keys(raw, APPROVAL_KEYS, path, where, state=state)
    step = _number(checker, raw, "step", STEP, path, where, state)
    _number(checker, raw, "sla_hours", SLA_HOURS, path, where, state)
    _check_approver(checker, raw, path, where, state)
    when_kind, amount = _check_when(checker, raw, path, where, state)
    escalate = checker.get(raw, "escalate_to", path, where, required=True, state=state)
    if escalate is not MISSING and escalate not in ESCALATE_TO:
        _unknown_kind(
            checker,
            join_path(path, "escalate_to"),
            "escalation target",
            escalate,
            ESCALATE_TO,
            state,
        )
        escalate = None
    escalate = None if escalate is MISSING else escalate
    return ApprovalInfo(step, when_kind, amount, escalate, path)


def _number(
    checker: Checker,
    raw: dict[str, Any],
    key: str,
    spec: IntParam,
    path: str,
    where: str,
    state: str,
) -> int | None:
    value = checker.get(raw, key, path, where, required=True, state=state)
    if value is MISSING:
        return None
    try:
        return spec.parse(value)
    except ParamError as exc:
        checker.add(
            "bad_value", join_path(path, key), field=f"'{key}'", reason=f"{exc}.", state=state
        )
        return None


def _check_approver(
    checker: Checker, raw: dict[str, Any], path: str, where: str, state: str
) -> None:
    approver = checker.get(raw, "approver", path, where, required=True, state=state)
    path = join_path(path, "approver")
    if approver is MISSING or not checker.object(approver, path, "'approver'", state=state):
        return
    kind = _kind(checker, approver, path, where, "approver kind", APPROVER_KINDS, state)
    extras: dict[str | None, set[str]] = {
        "account_rep": set(),
        "role": {"role"},
        "user": {"user_id"},
    }
    extra = extras.get(kind, set())
    checker.known_keys(approver, frozenset({"kind", *extra}), path, where, state=state)
    if kind == "role":
        role = checker.get(approver, "role", path, where, required=True, state=state)
        if role is not MISSING and role not in APPROVER_ROLES:
            code = "approver_role" if role in ROLES else "unknown_role"
            known = ", ".join(APPROVER_ROLES if role in ROLES else ROLES)
            checker.add(code, join_path(path, "role"), role=shown(role), known=known, state=state)
    if kind == "user":
        _number(checker, approver, "user_id", USER_ID, path, where, state)


def _check_when(
    checker: Checker, raw: dict[str, Any], path: str, where: str, state: str
) -> tuple[str | None, Any]:
    when = checker.get(raw, "when", path, where, required=True, state=state)
    path = join_path(path, "when")
    if when is MISSING or not checker.object(when, path, "'when'", state=state):
        return None, None
    kind = _kind(checker, when, path, where, "condition", WHEN_KINDS, state)
    needs_amount = kind in ("value_at_least", "value_below")
    checker.known_keys(
        when, frozenset({"kind", "amount"} if needs_amount else {"kind"}), path, where, state=state
    )
    if not needs_amount:
        return kind, None
    amount = checker.get(when, "amount", path, where, required=True, state=state)
    if amount is MISSING:
        return None, None
    try:
        return kind, THRESHOLD.parse(amount)
    except ParamError as exc:
        checker.add(
            "bad_value", join_path(path, "amount"), field="'amount'", reason=f"{exc}.", state=state
        )
        return None, None


def _kind(
    checker: Checker,
    obj: dict[str, Any],
    path: str,
    where: str,
    what: str,
    known: tuple[str, ...],
    state: str,
) -> str | None:
    kind = checker.get(obj, "kind", path, where, required=True, state=state)
    if kind is MISSING:
        return None
    if kind not in known:
        _unknown_kind(checker, join_path(path, "kind"), what, kind, known, state)
        return None
    return cast(str, kind)  # one of ``known``


def _unknown_kind(
    checker: Checker, path: str, what: str, kind: Any, known: tuple[str, ...], state: str
) -> None:
    checker.add(
        "unknown_kind", path, what=what, kind=shown(kind), known=", ".join(known), state=state
    )
