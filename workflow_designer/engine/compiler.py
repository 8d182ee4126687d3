"""``compile_workflow(doc)``: a validated config turned into a shared transitions machine."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from transitions import Machine
from transitions.core import EventData, Transition

from workflow_designer.engine.callbacks import BoundAction, BoundGuard, Callback, RoleGate
from workflow_designer.engine.errors import (
    InvalidWorkflow,
    UnknownName,
    UnknownState,
    WorkflowError,
)
from workflow_designer.engine.registry import REGISTRY, Registry
from workflow_designer.engine.specs import ApprovalStep, Selected, StateSpec, TransitionSpec
from workflow_designer.engine.translations import localized_text
from workflow_designer.engine.validation import validate

# The specs moved to specs.py; the runtime and the portal still import them from here.
__all__ = [
    "ApprovalStep",
    "CompiledWorkflow",
    "RegistryMachine",
    "StateSpec",
    "TransitionSpec",
    "build_compiled",
    "compile_workflow",
]


class RegistryTransition(Transition):
    """A transitions Transition that remembers the spec it was compiled from."""

    def __init__(self, *args: Any, spec: TransitionSpec | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.spec = spec


class RegistryMachine(Machine):
    """A Machine whose callbacks can only be registry entries.

    transitions resolves a callback string by importing it as a dotted path; here a
    string resolves only if it names a registered guard or action without parameters.
    """

    transition_cls = RegistryTransition

    def __init__(self, *, registry: Registry, **kwargs: Any) -> None:
        self.registry = registry
        super().__init__(**kwargs)

    def resolve_callable(self, func: Any, event_data: EventData) -> Callback:  # type: ignore[override]
        if isinstance(func, Callback):
            return func
        if isinstance(func, str):
            return self._resolve_name(func)
        raise UnknownName(f"{func!r} is not a registered guard or action")

    def _resolve_name(self, name: str) -> Callback:
        if self.registry.has_guard(name) and not self.registry.guard(name).params:
            return BoundGuard(self.registry.guard(name), {}, transition=-1)
        if self.registry.has_action(name) and not self.registry.action(name).params:
            return BoundAction(self.registry.action(name), {})
        raise UnknownName(f"{name!r} is not a registered guard or action without parameters")


@dataclass(frozen=True, eq=False)
class CompiledWorkflow:
    """A compiled workflow version: its machine plus the specs views and operations read."""

    doc: Mapping[str, Any]
    machine: RegistryMachine
    initial: str
    states: Mapping[str, StateSpec]
    transitions: tuple[TransitionSpec, ...]
    outgoing: Mapping[str, tuple[TransitionSpec, ...]]
    approval_steps: Mapping[int, ApprovalStep]

    def state(self, name: str) -> StateSpec:
        """The state called ``name``; raises UnknownState for names not in this version."""
        try:
            return self.states[name]
        except (KeyError, TypeError):
            raise UnknownState(f"state {name!r} is not part of this workflow") from None

    def candidates(self, state: str, trigger: str) -> tuple[TransitionSpec, ...]:
        """The transitions ``trigger`` may take from ``state``, in the order they are tried."""
        return tuple(t for t in self.outgoing.get(state, ()) if t.trigger == trigger)


def compile_workflow(doc: Any, registry: Registry | None = None) -> CompiledWorkflow:
    """Validate ``doc`` and compile it; raises InvalidWorkflow listing every problem."""
    registry = registry or REGISTRY
    problems = validate(doc, registry)
    if problems:
        raise InvalidWorkflow(problems)
    return build_compiled(doc, registry)


def build_compiled(doc: Mapping[str, Any], registry: Registry | None = None) -> CompiledWorkflow:
    """Compile a document already validated; names are still resolved only via the registry."""
    registry = registry or REGISTRY
    # transitions mutates what it is given, so work on a deep copy; a JSON round trip is one
    # (several times faster than copy.deepcopy) and keeps the stored snapshot plain JSON.
    doc = json.loads(json.dumps(doc))
    states = {raw["name"]: _state_spec(raw, registry) for raw in doc["states"]}
    specs = tuple(
        _transition_spec(i, raw, registry, states) for i, raw in enumerate(doc["transitions"])
    )
    initial = _known(doc["initial"], states)
    machine = RegistryMachine(
        registry=registry,
        model=None,
        states=[_machine_state(state) for state in states.values()],
        initial=initial,
        transitions=[_machine_transition(spec) for spec in specs],
        auto_transitions=False,
        send_event=True,
    )
    outgoing: dict[str, list[TransitionSpec]] = defaultdict(list)
    for spec in specs:
        for source in spec.sources:
            outgoing[source].append(spec)
    steps = {s.approval.step: s.approval for s in states.values() if s.approval is not None}
    return CompiledWorkflow(
        doc=MappingProxyType(doc),
        machine=machine,
        initial=initial,
        states=MappingProxyType(states),
        transitions=specs,
        outgoing=MappingProxyType({k: tuple(v) for k, v in outgoing.items()}),
        approval_steps=MappingProxyType(dict(sorted(steps.items()))),
    )


def _known(name: Any, states: Mapping[str, StateSpec]) -> str:
    if not isinstance(name, str) or name not in states:
        raise WorkflowError(f"{name!r} is not one of the workflow's states")
    return name


def _bind_guards(
    raws: list[dict[str, Any]], registry: Registry, index: int
) -> tuple[BoundGuard, ...]:
    bound = []
    for raw in raws:
        guard = registry.guard(raw["guard"])
        bound.append(BoundGuard(guard, guard.parse_params(raw.get("params")), index))
    return tuple(bound)


def _bind_actions(raws: list[dict[str, Any]], registry: Registry) -> tuple[BoundAction, ...]:
    bound = []
    for raw in raws:
        action = registry.action(raw["action"])
        bound.append(BoundAction(action, action.parse_params(raw.get("params"))))
    return tuple(bound)


def _state_spec(raw: dict[str, Any], registry: Registry) -> StateSpec:
    approval = raw.get("approval")
    return StateSpec(
        name=raw["name"],
        # Read in the reader's language where the admin translated them (else as typed).
        label=localized_text(raw, "label", raw["label"]),
        description=localized_text(raw, "description", raw.get("description", "")),
        final=raw.get("final", False),
        approval=None if approval is None else _approval_step(raw["name"], approval),
        on_enter=_bind_actions(raw.get("on_enter", []), registry),
    )


def _approval_step(state: str, raw: dict[str, Any]) -> ApprovalStep:
    return ApprovalStep(
        step=raw["step"],
        state=state,
        approver=MappingProxyType(dict(raw["approver"])),
        when=MappingProxyType(dict(raw["when"])),
        sla_hours=raw["sla_hours"],
        escalate_to=raw["escalate_to"],
    )


def _transition_spec(
    index: int, raw: dict[str, Any], registry: Registry, states: Mapping[str, StateSpec]
) -> TransitionSpec:
    sources = raw["source"] if isinstance(raw["source"], list) else [raw["source"]]
    return TransitionSpec(
        index=index,
        trigger=raw["trigger"],
        label=localized_text(raw, "label", raw["label"]),
        sources=tuple(_known(s, states) for s in sources),
        dest=_known(raw["dest"], states),
        roles=frozenset(raw["roles"]),
        guards=_bind_guards(raw.get("guards", []), registry, index),
        actions=_bind_actions(raw.get("actions", []), registry),
        requires_comment=raw.get("requires_comment", False),
    )


def _machine_state(state: StateSpec) -> dict[str, Any]:
    return {"name": state.name, "final": state.final, "on_enter": list(state.on_enter)}


def _machine_transition(spec: TransitionSpec) -> dict[str, Any]:
    return {
        "trigger": spec.trigger,
        "source": list(spec.sources),
        "dest": spec.dest,
        # Role first, so a trigger shared by several roles falls through to the right one.
        "conditions": [RoleGate(spec.roles), *spec.guards],
        # Transition actions run before the dest's on_enter actions, as in UML.
        "before": [Selected(spec), *spec.actions],
        "spec": spec,
    }
