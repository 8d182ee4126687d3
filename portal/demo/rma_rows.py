"""Turn planned demo RMAs into rows and write them in bulk (COPY on PostgreSQL)."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from decimal import Decimal

from sqlalchemy import insert
from sqlalchemy.orm import Session

from models import NumberSequence, Rma, RmaEvent, RmaLine
from portal.demo.bulk import reserve_ids, write_rows
from portal.demo.rmas import CENT, GRADE, People, PlannedRma, Planner, actor_for

RMA_COLUMNS = (
    "id", "number", "account_id", "return_type_id", "workflow_version_id", "state", "version",
    "currency", "total_value", "policy_passed", "policy_findings", "exception_requested",
    "exception_justification", "resolution", "approval_step", "approver_user_id",
    "approver_role", "due_at", "created_by_id", "created_at", "updated_at", "submitted_at",
    "label_issued_at",
)  # fmt: skip
LINE_COLUMNS = (
    "rma_id", "order_line_id", "quantity_requested", "quantity_authorized",
    "quantity_received", "reason", "condition", "description", "grade", "disposition",
    "credit", "has_discrepancy",
)  # fmt: skip
EVENT_COLUMNS = (
    "rma_id", "created_at", "actor_id", "on_behalf_of_account_id", "trigger", "from_state",
    "to_state", "comment", "data",
)  # fmt: skip
FINDING = {
    "rule": "allowance",
    "passed": False,
    "blocking": True,
    "exception_allowed": True,
    "message": "Rotation credit would exceed the yearly allowance.",
    "figures": {},
}
REASONS = {"ROTATION": "Slow seller", "DEFECTIVE": "Defective hinge"}


def plan_rmas(planner: Planner, people: People, count: int) -> list[PlannedRma]:
    """``count`` RMAs (fewer only if the invoices run out of returnable stock), oldest first."""
    planned: list[PlannedRma] = []
    misses = 0
    while len(planned) < count and misses < 20 * count + 100:
        rma = planner.plan(people)
        if rma is None:
            misses += 1
            continue
        planned.append(rma)
    planned.sort(key=lambda r: r.times[0])
    return planned


def write_rmas(session: Session, planned: list[PlannedRma], people: People) -> dict[str, int]:
    """Write the RMAs, their lines and events; numbers run per year in creation order."""
    first_id = reserve_ids(session, Rma.__table__, len(planned))
    numbers: Counter[int] = Counter()
    rows = []
    for offset, rma in enumerate(planned):
        year = rma.times[0].year
        numbers[year] += 1
        rows.append(_rma_row(first_id + offset, f"RMA-{year}-{numbers[year]:06d}", rma, people))
    written = write_rows(session, Rma.__table__, RMA_COLUMNS, rows)
    lines = write_rows(
        session,
        RmaLine.__table__,
        LINE_COLUMNS,
        (row for o, rma in enumerate(planned) for row in _line_rows(first_id + o, rma)),
    )
    events = write_rows(
        session,
        RmaEvent.__table__,
        EVENT_COLUMNS,
        (row for o, rma in enumerate(planned) for row in _event_rows(first_id + o, rma, people)),
    )
    if numbers:
        session.execute(
            insert(NumberSequence),
            [{"series": f"RMA-{year}", "last_value": n} for year, n in sorted(numbers.items())],
        )
    return {"rmas": written, "rma_lines": lines, "rma_events": events}


def _reached(rma: PlannedRma) -> dict[str, datetime]:
    """State → when the RMA (last) entered it along its path."""
    return {step.transition.dest: at for step, at in zip(rma.steps, rma.times[1:], strict=True)}


def _rma_row(rma_id: int, number: str, rma: PlannedRma, people: People) -> tuple:
    reached = _reached(rma)
    state = rma.steps[-1].transition.dest if rma.steps else rma.kind.compiled.doc["initial"]
    fired = zip(rma.steps, rma.times[1:], strict=True)
    submitted = next((at for s, at in fired if s.transition.trigger == "submit"), None)
    approval = rma.kind.compiled.states[state].approval
    approver_user = approver_role = due = step_number = None
    if approval is not None:
        step_number = approval.step
        due = rma.times[-1] + timedelta(hours=approval.sla_hours)
        if approval.approver.get("kind") == "account_rep":
            approver_user = people.reps.get(rma.account_id)
        approver_role = approval.approver.get("role") if approver_user is None else None
        approver_role = approver_role or (None if approver_user else "admin")
    resolved = "credited" in reached or "exchanged" in reached
    exception = rma.profile.exception
    return (
        rma_id, number, rma.account_id, rma.kind.return_type_id, rma.kind.version_id, state, 1,
        rma.currency, rma.profile.value, not exception, [FINDING] if exception else [],
        exception, "Long-standing customer; slow season." if exception else "",
        rma.profile.resolution if resolved else None, step_number, approver_user,
        approver_role, due, rma.created_by, rma.times[0], rma.times[-1], submitted,
        reached.get("authorized"),
    )  # fmt: skip


def _line_rows(rma_id: int, rma: PlannedRma) -> list[tuple]:
    reached = _reached(rma)
    grade, disposition = GRADE.get(rma.kind.code, ("new", "restock"))
    rows = []
    for index, (order_line_id, quantity, cents) in enumerate(rma.lines):
        authorized = quantity if "authorized" in reached else 0
        short = rma.profile.discrepancy and index == 0 and "received" in reached
        received = (authorized - 1 if short else authorized) if "received" in reached else 0
        inspected = "inspected" in reached and received > 0
        credit = None
        if "credited" in reached:
            credit = (Decimal(cents) * received * CENT).quantize(CENT)
        rows.append((
            rma_id, order_line_id, quantity, authorized, received, REASONS.get(rma.kind.code, ""),
            "new", "", grade if inspected else None, disposition if inspected else None, credit,
            short,
        ))  # fmt: skip
    return rows


def _event_rows(rma_id: int, rma: PlannedRma, people: People) -> list[tuple]:
    rows = []
    states = rma.kind.compiled.states
    for step, at in zip(rma.steps, rma.times[1:], strict=True):
        actor, behalf = actor_for(step, rma, people)
        spec = step.transition
        actions = [a.name for a in spec.actions] + [a.name for a in states[spec.dest].on_enter]
        data = {"guards": list(step.checks), "actions": actions}
        comment = "Demo history." if spec.requires_comment else ""
        rows.append(
            (rma_id, at, actor, behalf, spec.trigger, step.source, spec.dest, comment, data)
        )
    return rows
