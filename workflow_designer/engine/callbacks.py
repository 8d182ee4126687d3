"""The only callables a compiled machine ever runs: registry entries bound to parameters.

They know the object a trigger is fired on only as a ``FireRecord``, so this module does
not depend on the specs that hold them (``specs.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, Protocol, cast

from transitions.core import EventData

from workflow_designer.engine.base import ActionBase, GuardBase
from workflow_designer.engine.context import FireContext


@dataclass(frozen=True)
class GuardCheck:
    """The outcome of one guard for one transition, for the UI and the event log."""

    transition: int
    guard: str
    params: Mapping[str, Any]
    passed: bool
    reason: str

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form for the event log (amounts become strings)."""
        params = {k: v if isinstance(v, int | str) else str(v) for k, v in self.params.items()}
        return {
            "transition": self.transition,
            "guard": self.guard,
            "params": params,
            "passed": self.passed,
            "reason": self.reason,
        }


class FireRecord(Protocol):
    """What a bound callback reads and writes on the object a trigger is fired on."""

    ctx: FireContext
    checks: list[GuardCheck]
    actions: list[str]


def fired_on(event_data: EventData) -> FireRecord:
    """The object being fired on (a ``Carrier``); transitions types it as a bare object."""
    return cast(FireRecord, event_data.model)


def describe_call(name: str, params: Mapping[str, Any]) -> str:
    """``value_at_least(amount=2500)``: how a bound callback reads in a repr or a log."""
    args = ", ".join(f"{k}={v}" for k, v in params.items())
    return f"{name}({args})"


class Callback:
    """Marker base: the machine's resolver accepts instances of this and nothing else."""

    __slots__ = ()


class BoundGuard(Callback):
    """A registered guard with parsed parameters, used as a transitions condition."""

    __slots__ = ("guard", "name", "params", "transition")

    def __init__(self, guard: GuardBase, params: Mapping[str, Any], transition: int) -> None:
        self.name = guard.name
        self.guard = guard
        self.params = MappingProxyType(dict(params))
        self.transition = transition

    def __repr__(self) -> str:
        return f"<BoundGuard {describe_call(self.name, self.params)}>"

    def evaluate(self, ctx: FireContext) -> GuardCheck:
        """Check the guard against ``ctx`` without recording anything."""
        result = self.guard.check(ctx, **self.params)
        return GuardCheck(self.transition, self.name, self.params, result.passed, result.reason)

    def __call__(self, event_data: EventData) -> bool:
        carrier = fired_on(event_data)
        check = self.evaluate(carrier.ctx)
        carrier.checks.append(check)
        return check.passed


class BoundAction(Callback):
    """A registered action with parsed parameters, used as a transitions callback."""

    __slots__ = ("action", "name", "params")

    def __init__(self, action: ActionBase, params: Mapping[str, Any]) -> None:
        self.name = action.name
        self.action = action
        self.params = MappingProxyType(dict(params))

    def __repr__(self) -> str:
        return f"<BoundAction {describe_call(self.name, self.params)}>"

    def __call__(self, event_data: EventData) -> None:
        carrier = fired_on(event_data)
        self.action.perform(carrier.ctx, self.params)
        carrier.actions.append(self.name)


class RoleGate(Callback):
    """The first condition of every transition: the actor's role must be allowed."""

    __slots__ = ("roles",)

    def __init__(self, roles: frozenset[str]) -> None:
        self.roles = roles

    def __call__(self, event_data: EventData) -> bool:
        return fired_on(event_data).ctx.role in self.roles
