"""Which states a demo RMA can be in, and the transitions that got it there.

The large demo spreads RMAs over every state of the published workflows. An RMA's path is
found in the compiled workflow itself, with the workflow's own guards evaluated against a
stand-in RMA that has the demo RMA's figures (value, exception, discrepancy, resolution),
so a path exists only where the real engine would have allowed every step.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

from workflow_designer.engine.compiler import CompiledWorkflow, TransitionSpec
from workflow_designer.engine.context import FireContext


@dataclass(frozen=True)
class Profile:
    """What about an RMA decides which transitions its guards let through."""

    exception: bool
    discrepancy: bool
    resolution: str
    value: Decimal


@dataclass(frozen=True)
class Step:
    transition: TransitionSpec
    source: str
    checks: tuple[dict, ...]  # the guards evaluated for the event log, as fire() records them


@dataclass
class Routes:
    """Shortest path from the initial state to every state reachable under one profile."""

    to: dict[str, tuple[Step, ...]] = field(default_factory=dict)


def stand_in(profile: Profile) -> SimpleNamespace:
    """The duck-typed RMA the guards read (workflows.md §4), as it is after inspection."""
    line = SimpleNamespace(
        quantity_requested=2,
        quantity_authorized=2,
        quantity_received=1 if profile.discrepancy else 2,
        has_discrepancy=profile.discrepancy,
        grade="new",
    )
    return SimpleNamespace(
        total_value=profile.value,
        policy_passed=not profile.exception,
        exception_requested=profile.exception,
        account_status="active",
        resolution=profile.resolution,
        lines=[line],
        approval_step=None,
        due_at=None,
        label_issued_at=None,
    )


def routes(compiled: CompiledWorkflow, profile: Profile) -> Routes:
    """Breadth-first from the initial state; at each state the first transition per trigger
    whose role and guards pass is the one fire() would take (transitions are tried in order)."""
    ctx = FireContext(rma=stand_in(profile))
    initial = compiled.doc["initial"]
    found = Routes({initial: ()})
    queue = deque([initial])
    while queue:
        state = queue.popleft()
        taken: set[str] = set()
        for spec in compiled.outgoing.get(state, ()):
            if spec.trigger in taken:
                continue
            checks = [guard.evaluate(ctx) for guard in spec.guards]
            if not all(check.passed for check in checks):
                continue
            taken.add(spec.trigger)
            if spec.dest not in found.to:
                step = Step(spec, state, tuple(c.as_dict() for c in checks))
                found.to[spec.dest] = (*found.to[state], step)
                queue.append(spec.dest)
    return found


def thresholds(compiled: CompiledWorkflow) -> list[Decimal]:
    """The amounts the workflow's value guards compare with, lowest first."""
    amounts = {
        Decimal(guard.params["amount"])
        for spec in compiled.transitions
        for guard in spec.guards
        if "amount" in guard.params
    }
    return sorted(amounts)
