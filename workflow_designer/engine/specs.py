"""What a compiled workflow is made of, and the carrier a trigger is fired on.

The specs hold bound callbacks (``callbacks.py``); the carrier records which spec a fire
chose, so both live here, above the callbacks and below the compiler.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from transitions.core import EventData

from workflow_designer.engine.callbacks import BoundAction, BoundGuard, Callback, GuardCheck
from workflow_designer.engine.context import FireContext


@dataclass(frozen=True)
class ApprovalStep:
    """An approval step as the database layer needs it to find and chase the approver."""

    step: int
    state: str
    approver: Mapping[str, Any]
    when: Mapping[str, Any]
    sla_hours: int
    escalate_to: str


@dataclass(frozen=True)
class StateSpec:
    name: str
    label: str
    description: str
    final: bool
    approval: ApprovalStep | None
    on_enter: tuple[BoundAction, ...]


@dataclass(frozen=True, eq=False)
class TransitionSpec:
    index: int
    trigger: str
    label: str
    sources: tuple[str, ...]
    dest: str
    roles: frozenset[str]
    guards: tuple[BoundGuard, ...]
    actions: tuple[BoundAction, ...]
    requires_comment: bool


class CommentRequired(Exception):
    """Raised inside a fire when the chosen transition needs a comment and has none."""

    def __init__(self, spec: TransitionSpec) -> None:
        super().__init__(spec.trigger)
        self.spec = spec


class Carrier:
    """The object a trigger is fired on; never registered with a machine, dropped after use."""

    __slots__ = ("actions", "checks", "ctx", "spec", "state")

    def __init__(self, state: str, ctx: FireContext) -> None:
        self.state = state
        self.ctx = ctx
        self.checks: list[GuardCheck] = []
        self.actions: list[str] = []
        self.spec: TransitionSpec | None = None


class Selected(Callback):
    """The first ``before`` callback: records the chosen transition, enforces its comment."""

    __slots__ = ("spec",)

    def __init__(self, spec: TransitionSpec) -> None:
        self.spec = spec

    def __call__(self, event_data: EventData) -> None:
        carrier = cast(Carrier, event_data.model)  # transitions types it as a bare object
        carrier.spec = self.spec
        if self.spec.requires_comment and not carrier.ctx.has_comment:
            raise CommentRequired(self.spec)
