"""Workflow documents reduced to what they mean, so that equivalent spellings compare equal.

Two documents that run the same way should show no difference, whatever the editor or an
import wrote. What carries no meaning is dropped here:

- the order and repetition of a transition's roles, and of its guards (all must pass);
- a transition listing several sources: it is one transition per source;
- how a parameter is written: ``"2500"``, ``2500`` and ``"2500.00"`` are one amount;
- absent optional keys and their defaults (``final: false``, ``params: {}``, ``guards: []``);
- the entry actions an approval step derives from its approval (assign the approver, set the
  due time to the SLA, notify the approver), which the chain editor rewrites on every save.

What does carry meaning is kept: the order of actions (they run in order) and the order of
transitions sharing a trigger and a source (the first that passes fires).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from workflow_designer.engine.editing import sources_of, states, transitions
from workflow_designer.engine.errors import ParamError
from workflow_designer.engine.registry import REGISTRY
from workflow_designer.engine.schema import ROLES
from workflow_designer.engine.translations import variants

# A guard or action reference: its name and its (parameter, canonical value) pairs.
RefKey = tuple[str, tuple[tuple[str, str], ...]]
# (language, key translated, text), sorted: a blank translation is none.
Translations = tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class Ref:
    """A guard or action reference as written, with the key it compares by."""

    raw: dict[str, Any]
    key: RefKey


@dataclass(frozen=True)
class Approval:
    step: str
    approver: tuple[str, str]  # (kind, role or user id)
    when: tuple[str, str]  # (kind, amount)
    sla_hours: str
    escalate_to: str


@dataclass(frozen=True)
class State:
    name: str
    label: str
    description: str
    final: bool
    approval: Approval | None
    on_enter: tuple[Ref, ...]
    translations: Translations = ()


@dataclass(frozen=True)
class Transition:
    """One transition from one source; ``occurrence`` tells apart several alike."""

    trigger: str
    label: str
    source: str
    dest: str
    occurrence: int
    roles: tuple[str, ...]
    guards: tuple[Ref, ...]
    actions: tuple[Ref, ...]
    requires_comment: bool
    translations: Translations = ()

    @property
    def identity(self) -> tuple[str, str, str, int]:
        return (self.trigger, self.source, self.dest, self.occurrence)


def canonical(value: Any) -> str:
    """A value as one string, the same for every spelling of it."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, Decimal | int):
        number = Decimal(value).normalize()
        # Written out in full only while short: "1e999999999" would be a billion digits.
        if number.is_finite() and -30 <= number.adjusted() <= 30:
            return format(number, "f")
        return str(number)
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except ArithmeticError:
            return value
        return canonical(number) if number.is_finite() else value
    return json.dumps(value, sort_keys=True, default=str)


def normal_ref(raw: dict[str, Any], kind: str) -> Ref:
    name = raw.get(kind)
    params = raw.get("params")
    params = params if isinstance(params, dict) else {}
    known = REGISTRY.has_guard(name) if kind == "guard" else REGISTRY.has_action(name)
    typed: dict[str, Any] = params
    if known:
        entry = REGISTRY.guard(name) if kind == "guard" else REGISTRY.action(name)
        try:
            typed = entry.parse_params(params)
        except ParamError:
            typed = params  # a half-built draft: compare what is written
    pairs = tuple(sorted((str(k), canonical(v)) for k, v in typed.items()))
    return Ref(raw, (canonical(name), pairs))


def _refs(raw: Any, kind: str) -> tuple[Ref, ...]:
    items = raw if isinstance(raw, list) else []
    return tuple(normal_ref(r, kind) for r in items if isinstance(r, dict))


def _mapping(raw: Any) -> dict[str, Any]:
    return raw if isinstance(raw, dict) else {}


def _approval(raw: Any) -> Approval | None:
    if not isinstance(raw, dict):
        return None
    approver = _mapping(raw.get("approver"))
    when = _mapping(raw.get("when"))
    who = approver.get("role") if approver.get("kind") == "role" else approver.get("user_id")
    amount = when.get("amount") if when.get("kind") in ("value_at_least", "value_below") else None
    return Approval(
        step=canonical(raw.get("step")),
        approver=(str(approver.get("kind") or ""), "" if who is None else canonical(who)),
        when=(str(when.get("kind") or "always"), "" if amount is None else canonical(amount)),
        sla_hours=canonical(raw.get("sla_hours")),
        escalate_to=str(raw.get("escalate_to") or ""),
    )


def _derived(ref: Ref, approval: Approval | None) -> bool:
    """Whether an entry action is one the approval implies (written by the chain editor)."""
    if approval is None:
        return False
    return ref.key in {
        ("assign_approver", (("step", approval.step),)),
        ("set_due", (("hours", approval.sla_hours),)),
        ("notify", (("template", "approval_requested"), ("to", "approver"))),
    }


def normal_state(raw: dict[str, Any]) -> State:
    name = str(raw.get("name", ""))
    approval = _approval(raw.get("approval"))
    on_enter = tuple(r for r in _refs(raw.get("on_enter"), "action") if not _derived(r, approval))
    return State(
        name=name,
        label=str(raw.get("label") or name),
        description=str(raw.get("description") or "").strip(),
        final=raw.get("final") is True,
        approval=approval,
        on_enter=on_enter,
        translations=normal_translations(raw),
    )


def normal_translations(raw: dict[str, Any]) -> Translations:
    return tuple(
        sorted(
            (language, key, text)
            for key in ("label", "description")
            for language, text in variants(raw, key).items()
        )
    )


def normal_states(doc: dict[str, Any]) -> dict[str, State]:
    return {s.name: s for s in (normal_state(raw) for raw in states(doc))}


def _roles(raw: Any) -> tuple[str, ...]:
    given = {r for r in raw if isinstance(r, str)} if isinstance(raw, list) else set()
    known = [r for r in ROLES if r in given]
    return (*known, *sorted(given - set(ROLES)))


def normal_transitions(doc: dict[str, Any]) -> list[Transition]:
    """One per (transition, source), in document order."""
    found: list[Transition] = []
    seen: Counter[tuple[str, str, str]] = Counter()
    for raw in transitions(doc):
        trigger, dest = str(raw.get("trigger") or ""), str(raw.get("dest") or "")
        guards = tuple(sorted(_refs(raw.get("guards"), "guard"), key=lambda r: r.key))
        for source in dict.fromkeys(str(s) for s in sources_of(raw)):
            occurrence = seen[trigger, source, dest]
            seen[trigger, source, dest] += 1
            found.append(
                Transition(
                    trigger=trigger,
                    label=str(raw.get("label") or trigger),
                    source=source,
                    dest=dest,
                    occurrence=occurrence,
                    roles=_roles(raw.get("roles")),
                    guards=guards,
                    actions=_refs(raw.get("actions"), "action"),
                    requires_comment=raw.get("requires_comment") is True,
                    translations=normal_translations(raw),
                )
            )
    return found


def labels_of(doc: dict[str, Any]) -> dict[str, str]:
    return {name: state.label for name, state in normal_states(doc).items()}
