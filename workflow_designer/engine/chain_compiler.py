"""Compiling an approval chain into a workflow document's states and transitions.

Compiling relies on two engine rules (docs/workflows.md): transitions sharing a trigger
and source are tried in document order, and a transition entering a step must carry the
guard matching the step's ``when``. So from each point of the chain we list, in order, one
transition per later step guarded by its condition, then an unguarded fallback; "not the
earlier condition" needs no guard of its own because earlier transitions are tried first.
A transition whose guards include all of an earlier one's can never fire and is left out.
"""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation
from typing import Any

from workflow_designer.engine.chain import (
    CHAIN_TRIGGERS,
    EXCEPTION_REQUESTED,
    POLICY_PASSED,
    STEP_ACTIONS,
    Chain,
    Frame,
    Step,
    approval_states,
)
from workflow_designer.engine.editing import machine_name, sources_of, state_names, transitions
from workflow_designer.engine.translations import kept_for, with_translations


def apply_chain(doc: dict[str, Any], chain: Chain) -> dict[str, Any]:
    """A copy of ``doc`` whose approval states and routing transitions follow ``chain``."""
    new = copy.deepcopy(doc)
    old = {s["name"]: s for s in approval_states(new)}
    named = _name_steps(new, chain.steps, set(old))
    new["states"] = _merge_states(new, named, old, chain.frame)
    generated = _carry_translations(_generate_transitions(named, chain.frame), transitions(new))
    new["transitions"] = _merge_transitions(new, generated, set(old), named, chain.frame)
    return new


def _name_steps(doc: dict[str, Any], steps: list[Step], old: set[str]) -> list[tuple[str, Step]]:
    taken = set(state_names(doc))
    named: list[tuple[str, Step]] = []
    for step in steps:
        if step.state in old and step.state not in {n for n, _ in named}:
            name = step.state
        else:
            name = machine_name(step.label, taken)
            taken.add(name)
        named.append((name, step))
    return named


def _merge_states(
    doc: dict[str, Any], named: list[tuple[str, Step]], old: dict[str, dict[str, Any]], frame: Frame
) -> list[dict[str, Any]]:
    built = [
        _step_state(number, name, step, old.get(name))
        for number, (name, step) in enumerate(named, start=1)
    ]
    kept = [s for s in doc.get("states", []) if not (isinstance(s, dict) and s.get("name") in old)]
    position = _insert_position(doc, old, frame)
    before = [s for s in kept if _index_of(doc, s) < position]
    after = [s for s in kept if _index_of(doc, s) >= position]
    return before + built + after


def _index_of(doc: dict[str, Any], state: Any) -> int:
    return next(i for i, s in enumerate(doc.get("states", [])) if s is state)


def _insert_position(doc: dict[str, Any], old: dict[str, dict[str, Any]], frame: Frame) -> int:
    everything = doc.get("states", [])
    places = [i for i, s in enumerate(everything) if isinstance(s, dict) and s.get("name") in old]
    if places:
        return places[0]
    sources = [
        i
        for i, s in enumerate(everything)
        if isinstance(s, dict) and s.get("name") in frame.sources
    ]
    return (max(sources) + 1) if sources else len(everything)


def _step_state(number: int, name: str, step: Step, old: dict[str, Any] | None) -> dict[str, Any]:
    extra = [
        ref
        for ref in (old or {}).get("on_enter", [])
        if isinstance(ref, dict) and not _generated_action(ref)
    ]
    description = step.description.strip() or f"Waiting for approval by {approver_words(step)}."
    state = {
        "name": name,
        "label": step.label.strip() or f"Approval {number}",
        "description": description,
        "approval": {
            "step": number,
            "approver": dict(step.approver),
            "when": dict(step.when),
            "sla_hours": step.sla_hours,
            "escalate_to": step.escalate_to,
        },
        "on_enter": [
            {"action": "assign_approver", "params": {"step": number}},
            {"action": "set_due", "params": {"hours": step.sla_hours}},
            {"action": "notify", "params": {"to": "approver", "template": "approval_requested"}},
            *extra,
        ],
    }
    return with_translations(state, kept_for(old, state, ("label", "description")))


def _carry_translations(
    generated: list[dict[str, Any]], before: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Generated buttons keep the translations their label had before (the same words
    translate the same); a label written anew gets none rather than a wrong one."""
    translated = {
        (t.get("trigger"), t.get("label")): t for t in reversed(before) if t.get("translations")
    }
    for transition in generated:
        old = translated.get((transition["trigger"], transition["label"]))
        with_translations(transition, kept_for(old, transition, ("label",)))
    return generated


def _generated_action(ref: dict[str, Any]) -> bool:
    if ref.get("action") in STEP_ACTIONS:
        return True
    raw_params = ref.get("params")
    params: dict[str, Any] = raw_params if isinstance(raw_params, dict) else {}
    return ref.get("action") == "notify" and params.get("to") == "approver"


def approver_words(step: Step) -> str:
    kind = step.approver.get("kind")
    if kind == "role":
        return {"admin": "an admin", "sales_rep": "a sales rep", "warehouse": "the warehouse"}.get(
            str(step.approver.get("role")), "a role"
        )
    if kind == "user":
        return "a named user"
    return "the account's sales rep"


def approver_roles(approver: dict[str, Any]) -> list[str]:
    """Roles allowed to fire the step's decisions; runtime.is_approver narrows to the person."""
    kind = approver.get("kind")
    if kind == "role":
        role = str(approver.get("role") or "admin")
        return [role] if role == "admin" else [role, "admin"]
    if kind == "user":
        return ["admin", "sales_rep", "warehouse"]
    return ["sales_rep", "admin"]


def when_guards(when: dict[str, Any]) -> list[dict[str, Any]]:
    kind = when.get("kind")
    if kind == "exception_requested":
        return [dict(EXCEPTION_REQUESTED)]
    if kind in ("value_at_least", "value_below"):
        return [{"guard": kind, "params": {"amount": str(when.get("amount", ""))}}]
    return []


def _generate_transitions(named: list[tuple[str, Step]], frame: Frame) -> list[dict[str, Any]]:
    generated = _routes(
        named,
        frame.sources,
        frame.trigger,
        frame.trigger_label,
        frame.roles,
        frame.skip_to,
        gate=frame.policy_gate,
        requires_comment=False,
    )
    for position, (name, step) in enumerate(named):
        roles = approver_roles(step.approver)
        exception = step.when.get("kind") == "exception_requested"
        label = "Approve exception" if exception else "Approve"
        generated += _routes(
            named[position + 1 :],
            [name],
            "approve",
            label,
            roles,
            frame.approved_to,
            gate=False,
            requires_comment=exception,
        )
        generated.append(_decision("reject", "Reject", name, frame.reject_to, roles))
        if frame.changes_to:
            generated.append(
                _decision("request_changes", "Request changes", name, frame.changes_to, roles)
            )
    return generated


def _decision(trigger: str, label: str, source: str, dest: str, roles: list[str]) -> dict[str, Any]:
    # Rejecting or sending back is always explained to the retailer.
    return {
        "trigger": trigger,
        "label": label,
        "source": source,
        "dest": dest,
        "roles": list(roles),
        "requires_comment": True,
    }


def _routes(
    candidates: list[tuple[str, Step]],
    sources: list[str],
    trigger: str,
    label: str,
    roles: list[str],
    fallback: str,
    *,
    gate: bool,
    requires_comment: bool,
) -> list[dict[str, Any]]:
    options: list[tuple[str, list[dict[str, Any]]]] = []
    for name, step in candidates:
        condition = when_guards(step.when)
        if gate and step.when.get("kind") != "exception_requested":
            options += [
                (name, [POLICY_PASSED, *condition]),
                (name, [EXCEPTION_REQUESTED, *condition]),
            ]
        else:
            options.append((name, condition))
    options.append((fallback, [POLICY_PASSED] if gate else []))
    emitted: list[tuple[str, list[dict[str, Any]]]] = []
    for dest, guards in options:
        if not any(_keys(previous) <= _keys(guards) for _, previous in emitted):
            emitted.append((dest, guards))
    source: Any = sources[0] if len(sources) == 1 else list(sources)
    return [
        _route(trigger, label, source, dest, roles, guards, requires_comment)
        for dest, guards in emitted
    ]


def _route(
    trigger: str,
    label: str,
    source: str | list[str],
    dest: str,
    roles: list[str],
    guards: list[dict[str, Any]],
    requires_comment: bool,
) -> dict[str, Any]:
    route: dict[str, Any] = {
        "trigger": trigger,
        "label": label,
        "source": source,
        "dest": dest,
        "roles": list(roles),
    }
    if guards:
        route["guards"] = [copy.deepcopy(g) for g in guards]
    if requires_comment:
        route["requires_comment"] = True
    return route


def _keys(guards: list[dict[str, Any]]) -> set[tuple[Any, ...]]:
    return {(g.get("guard"), _amount_key(g.get("params"))) for g in guards}


def _amount_key(params: Any) -> Any:
    if not isinstance(params, dict):
        return None
    try:
        return Decimal(str(params.get("amount"))).normalize()
    except InvalidOperation:
        return str(params.get("amount"))


def _merge_transitions(
    doc: dict[str, Any],
    generated: list[dict[str, Any]],
    old: set[str],
    named: list[tuple[str, Step]],
    frame: Frame,
) -> list[dict[str, Any]]:
    new_names = [name for name, _ in named]
    kept: list[Any] = []
    insert_at: int | None = None
    for item in doc.get("transitions", []):
        if not isinstance(item, dict):
            kept.append(item)
            continue
        sources = [s for s in sources_of(item) if isinstance(s, str)]
        owned, remaining = _ownership(item, sources, old, frame)
        if owned and insert_at is None:
            insert_at = len(kept)
        replaced = _replace_steps(remaining, old, new_names)
        if replaced:
            kept.append(item if replaced == sources else _with_sources(item, replaced))
    position = 0 if insert_at is None else insert_at
    return kept[:position] + generated + kept[position:]


def _ownership(
    item: dict[str, Any], sources: list[str], old: set[str], frame: Frame
) -> tuple[bool, list[Any]]:
    """Whether the chain generates (part of) this transition, and the sources it keeps."""
    from_steps = bool(set(sources) & old)
    if from_steps and (item.get("dest") in old or item.get("trigger") in CHAIN_TRIGGERS):
        return True, [s for s in sources if s not in old]
    if item.get("dest") in old and not from_steps:
        return True, []
    if item.get("trigger") == frame.trigger and set(sources) & set(frame.sources):
        return True, [s for s in sources if s not in frame.sources]
    return False, sources


def _replace_steps(sources: list[str], old: set[str], new_names: list[str]) -> list[str]:
    """Sources that listed approval steps (e.g. Cancel) now list the chain's steps."""
    if not set(sources) & old:
        return sources
    result: list[str] = []
    for source in sources:
        if source not in old:
            result.append(source)
        elif not set(new_names) & set(result):
            result += new_names
    return result


def _with_sources(item: dict[str, Any], sources: list[str]) -> dict[str, Any]:
    item = dict(item)
    item["source"] = sources[0] if len(sources) == 1 else sources
    return item
