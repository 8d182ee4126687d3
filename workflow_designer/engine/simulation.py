"""Trying a workflow without touching the database.

The simulated RMA is a plain object; triggers are fired with the engine's ``fire_trigger``
on a machine compiled with a *dry* registry, where every action that would need a database
session only records what it would do. The history of fired triggers is replayed from the
start on each request, so the page carries its whole state in its form and nothing is
stored anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from workflow_designer.engine.base import ActionBase
from workflow_designer.engine.callbacks import GuardCheck
from workflow_designer.engine.compiler import CompiledWorkflow, compile_workflow
from workflow_designer.engine.context import FireContext
from workflow_designer.engine.firing import (
    FireOutcome,
    TriggerOption,
    fire_trigger,
    trigger_options,
)
from workflow_designer.engine.registry import REGISTRY, Registry
from workflow_designer.engine.schema import ROLES
from workflow_designer.engine.workspace import ROLE_LABELS, action_words, guard_words

SIMULATED_COMMENT = "(comment written in the simulation)"


def _dry(cls: type[ActionBase]) -> type[ActionBase]:
    """``cls`` with its database work replaced by a note of what it would have done."""
    if not cls.needs_session:
        return cls

    def run(self: ActionBase, ctx: FireContext, **params: Any) -> None:
        ctx.add_effect({"kind": self.name, **{k: str(v) for k, v in params.items()}})

    return type(f"Dry{cls.__name__}", (cls,), {"needs_session": False, "run": run})


def dry_registry() -> Registry:
    return Registry(
        guards=[type(REGISTRY.guard(n)) for n in REGISTRY.guard_names()],
        actions=[_dry(type(REGISTRY.action(n))) for n in REGISTRY.action_names()],
    )


@dataclass
class SimulatedLine:
    quantity_requested: int
    quantity_authorized: int = 0
    quantity_received: int = 0
    has_discrepancy: bool = False
    grade: str | None = None


class SimulatedRma:
    """What guards read and actions write, in memory only. Attributes an action adds that
    are not listed here (a timestamp, a flag) are simply kept on the object."""

    def __init__(
        self,
        total_value: Decimal,
        policy_passed: bool,
        lines: list[SimulatedLine],
        account_status: str = "active",
    ) -> None:
        self.total_value = total_value
        self.policy_passed = policy_passed
        self.exception_requested = False
        self.account_status = account_status
        self.resolution: str | None = None
        self.lines = lines
        self.approval_step: int | None = None
        self.due_at: datetime | None = None

    def __getattr__(self, name: str) -> Any:
        # Only called for attributes never set: a timestamp an action sets on entering a
        # state (label_issued_at …) reads as "not yet", as on a fresh RMA row.
        if name.startswith("_"):
            raise AttributeError(name)
        return None


@dataclass
class Situation:
    """What happens outside the workflow before a trigger: the retailer's and warehouse's
    part, which the admin sets by hand in a simulation."""

    exception_requested: bool = False
    resolution: str = ""
    received: bool = False
    discrepancy: bool = False
    graded: bool = False

    def apply(self, rma: SimulatedRma) -> None:
        rma.exception_requested = self.exception_requested
        rma.resolution = self.resolution or None
        for line in rma.lines:
            line.quantity_received = line.quantity_authorized or line.quantity_requested
            line.quantity_received = line.quantity_received if self.received else 0
            line.has_discrepancy = self.discrepancy
            line.grade = "new" if self.graded else None


@dataclass(frozen=True)
class Move:
    """One trigger fired in the simulation, as the page posts it back."""

    role: str
    trigger: str
    situation: Situation


@dataclass
class StepResult:
    move: Move
    source: str
    state: str
    fired: bool
    reason: str
    checks: list[dict[str, Any]]
    actions: list[str]
    effects: list[dict[str, Any]]


@dataclass
class Simulation:
    compiled: CompiledWorkflow
    rma: SimulatedRma
    state: str
    steps: list[StepResult] = field(default_factory=list)

    def options(self, situation: Situation) -> dict[str, list[TriggerOption]]:
        """What each role could do now, guards evaluated on the current situation."""
        situation.apply(self.rma)
        result = {}
        for role in ROLES:
            ctx = FireContext(self.rma, role=role, comment=SIMULATED_COMMENT, now=_now())
            result[role] = trigger_options(self.compiled, self.state, role, ctx)
        return result


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def compile_for_simulation(doc: Any) -> CompiledWorkflow:
    """Raises InvalidWorkflow when the document has problems (they must be fixed first)."""
    return compile_workflow(doc, dry_registry())


def simulate(compiled: CompiledWorkflow, rma: SimulatedRma, moves: list[Move]) -> Simulation:
    """Replay ``moves`` from the initial state; a refused move is shown and changes nothing."""
    sim = Simulation(compiled, rma, compiled.initial)
    for move in moves:
        move.situation.apply(rma)
        ctx = FireContext(rma, role=move.role, comment=SIMULATED_COMMENT, now=_now())
        outcome = fire_trigger(compiled, sim.state, move.trigger, ctx)
        sim.steps.append(
            StepResult(
                move=move,
                source=sim.state,
                state=outcome.state,
                fired=outcome.fired,
                reason=outcome.reason,
                checks=list({str(c): c for c in map(_check, outcome.checks)}.values()),
                actions=_actions(compiled, outcome),
                effects=[dict(e) for e in outcome.effects],
            )
        )
        sim.state = outcome.state
    return sim


def _check(check: GuardCheck) -> dict[str, Any]:
    ref = {"guard": check.guard, "params": dict(check.params)}
    return {"guard": guard_words(ref), "passed": check.passed, "reason": check.reason}


def _actions(compiled: CompiledWorkflow, outcome: FireOutcome) -> list[str]:
    if not outcome.fired or outcome.transition is None:
        return []
    spec = outcome.transition
    bound = [*spec.actions, *compiled.state(outcome.state).on_enter]
    return [
        action_words({"action": b.name, "params": {k: str(v) for k, v in b.params.items()}})
        for b in bound
    ]


def role_label(role: str) -> str:
    return str(ROLE_LABELS.get(role, role))
