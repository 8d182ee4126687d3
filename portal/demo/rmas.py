"""Demo RMAs in bulk: every state of the published workflows, with their event logs.

Each RMA returns lines of one real invoice of its account, never more than is left of a
line; its state is reached along a path the workflow allows for its figures
(``paths.routes``), with one event per transition, timed after the invoice and before now.
What the path went through sets the rest: submitted_at, the label, authorized and received
quantities, grades, the credit, and who is asked to approve.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

from models import Role
from portal.demo.orderbook import OrderBook
from portal.demo.paths import Profile, Routes, Step, routes, thresholds
from workflow_designer.engine.compiler import CompiledWorkflow
from workflow_designer.policy.vocabulary import DEFAULT_DISPOSITIONS, Grade

CENT = Decimal("0.01")
# How often RMAs rest in each state (closed ones pile up; few wait in a queue).
WEIGHTS = {
    "draft": 4, "submitted": 5, "rep_review": 4, "admin_review": 2, "changes_requested": 2,
    "authorized": 5, "awaiting_receipt": 8, "received": 3, "under_inspection": 3,
    "inspected": 3, "credited": 8, "exchanged": 4, "to_be_returned": 2, "shipped_back": 2,
    "rejected": 4, "cancelled": 4, "closed": 40,
}  # fmt: skip
# What inspection finds, in ten lines of each kind: rotated frames mostly come back new,
# defective ones mostly defective (the process analytics show the spread).
GRADE_CYCLE = {
    "ROTATION": (
        *[Grade.NEW] * 6, Grade.OPEN_PACKAGING, Grade.OPEN_PACKAGING, Grade.USED,
        Grade.LIGHTLY_DAMAGED,
    ),
    "DEFECTIVE": (*[Grade.DEFECTIVE] * 8, Grade.HEAVILY_DAMAGED, Grade.LIGHTLY_DAMAGED),
}  # fmt: skip


def grade_for(code: str, rma_id: int, index: int) -> tuple[str, str]:
    """(grade, disposition) of a demo RMA's line, by the default dispositions."""
    cycle = GRADE_CYCLE.get(code, (Grade.NEW,))
    grade = cycle[(rma_id + index) % len(cycle)].value
    return grade, DEFAULT_DISPOSITIONS[grade]


@dataclass(frozen=True)
class Kind:
    """A return type the demo files RMAs under, with its pinned (published) version."""

    code: str
    return_type_id: int
    version_id: int
    compiled: CompiledWorkflow
    resolutions: tuple[str, ...]
    share: float
    min_age_days: int  # rotations only take stock bought at least this long ago


@dataclass(frozen=True)
class People:
    admin: int
    warehouse: int
    reps: dict[int, int | None]  # account id → its sales rep
    retailers: dict[int, int]  # account id → a user of the account


@dataclass
class PlannedRma:
    kind: Kind
    account_id: int
    currency: str
    lines: list[tuple[int, int, int]]  # (order line id, quantity, unit price in cents)
    profile: Profile
    steps: tuple[Step, ...]
    times: list[datetime]  # created, then one per step
    created_by: int


class Planner:
    """Draws RMAs one by one from a seeded stream; ``routes`` are cached per profile."""

    def __init__(self, rng: random.Random, kinds: list[Kind], book: OrderBook, now: datetime):
        self.rng, self.kinds, self.book, self.now = rng, kinds, book, now
        self._routes: dict[tuple, Routes] = {}

    def plan(self, people: People) -> PlannedRma | None:
        rng = self.rng
        kind = rng.choices(self.kinds, [k.share for k in self.kinds])[0]
        order = self.book.random_order(rng)
        account_id, invoiced = self.book.account[order], self.book.invoice_date(order)
        age = rng.randint(kind.min_age_days + 5, kind.min_age_days + 400)
        created = datetime.combine(invoiced + timedelta(days=age), time(8), UTC)
        created += timedelta(minutes=rng.randrange(10 * 60))
        if created > self.now - timedelta(days=2):
            return None
        lines = self.book.take(rng, order)
        if not lines:
            return None
        value = (sum(cents * qty for _id, qty, cents in lines) * CENT).quantize(CENT)
        profile = Profile(
            exception=rng.random() < 0.12,
            discrepancy=rng.random() < 0.06,
            resolution=rng.choice(kind.resolutions),
            value=value,
        )
        reachable = self._reachable(kind, profile)
        states = list(reachable.to)
        state = rng.choices(states, [WEIGHTS.get(s, 3) for s in states])[0]
        steps = reachable.to[state]
        times = [created]
        for _step in steps:
            times.append(times[-1] + timedelta(minutes=rng.randint(30, 3 * 24 * 60)))
        if times[-1] > self.now:  # squeeze the history in before now
            shift = times[-1] - self.now + timedelta(hours=1)
            times = [max(t - shift, created) for t in times]
        retailer = people.retailers[account_id]
        rep = people.reps.get(account_id)
        created_by = rep if rep and rng.random() < 0.1 else retailer
        return PlannedRma(
            kind, account_id, self.book.currency[order], lines, profile, steps, times, created_by
        )

    def _reachable(self, kind: Kind, profile: Profile) -> Routes:
        # The value only matters relative to the workflow's thresholds.
        bucket = sum(profile.value >= t for t in thresholds(kind.compiled))
        key = (kind.code, profile.exception, profile.discrepancy, profile.resolution, bucket)
        if key not in self._routes:
            self._routes[key] = routes(kind.compiled, profile)
        return self._routes[key]


def actor_for(step: Step, planned: PlannedRma, people: People) -> tuple[int, int | None]:
    """Who fired the step, and the account they acted for (staff firing a retailer's
    transition act on its behalf, as ``runtime._event`` records it)."""
    roles = step.transition.roles
    rep = people.reps.get(planned.account_id)
    if Role.RETAILER.value in roles:
        actor = planned.created_by
    elif Role.SALES_REP.value in roles and rep:
        actor = rep
    elif Role.WAREHOUSE.value in roles:
        actor = people.warehouse
    else:
        actor = people.admin
    behalf = Role.RETAILER.value in roles and actor != people.retailers[planned.account_id]
    return actor, planned.account_id if behalf else None
