"""The process figures computed the plain way, straight from the facts (the event log,
credit memos, inspection results), with no rollup: what the rollups must equal.

Written independently of ``portal.analytics``: visits by a window function over the
event log, percentiles by their definition, buckets by Python's own date arithmetic.
"""

from __future__ import annotations

import math
from collections import defaultdict
from datetime import UTC, datetime
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from models import (
    CreditMemo,
    InspectionResult,
    RetailerAccount,
    Rma,
    RmaEvent,
    RmaLine,
    Role,
    User,
    WorkflowVersion,
)
from portal.analytics.flow_scope import FlowFilters
from portal.analytics.period import MonthRange
from workflow_designer.engine import compile_workflow


def percentile(values: list[int], p: str) -> int:
    ordered = sorted(values)
    rank = max(math.ceil(Fraction(p) * len(ordered)), 1)
    return ordered[rank - 1]


def visible(session: Session, user: User, filters: FlowFilters) -> set[int]:
    accounts = session.execute(select(RetailerAccount.id, RetailerAccount.sales_rep_id)).all()
    ids = {
        account_id
        for account_id, rep in accounts
        if user.role is Role.ADMIN or (user.role is Role.SALES_REP and rep == user.id)
    }
    if filters.account_id is not None:
        ids &= {filters.account_id}
    return ids


def _rmas(session: Session, user: User, filters: FlowFilters) -> dict[int, Rma]:
    accounts = visible(session, user, filters)
    rmas = session.scalars(select(Rma)).all()
    return {
        rma.id: rma
        for rma in rmas
        if rma.account_id in accounts and filters.return_type_id in (None, rma.return_type_id)
    }


def visits(session: Session, user: User, period: MonthRange, filters: FlowFilters) -> list[dict]:
    rmas = _rmas(session, user, filters)
    entered = func.lag(RmaEvent.created_at).over(partition_by=RmaEvent.rma_id, order_by=RmaEvent.id)
    rows = session.execute(
        select(
            RmaEvent.rma_id,
            RmaEvent.from_state,
            RmaEvent.trigger,
            RmaEvent.actor_id,
            RmaEvent.created_at,
            entered,
        ).where(or_(RmaEvent.from_state.is_(None), RmaEvent.from_state != RmaEvent.to_state))
    ).all()
    configs = dict(session.execute(select(WorkflowVersion.id, WorkflowVersion.config)).all())
    machines = {version_id: compile_workflow(config) for version_id, config in configs.items()}
    found = []
    for rma_id, state, trigger, actor, left, since in rows:
        rma = rmas.get(rma_id)
        if rma is None or state is None:
            continue
        since = since or rma.created_at
        if isinstance(since, str):  # SQLite: the window function's result is the stored text
            since = datetime.fromisoformat(since)
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        if not period.start_moment <= left < period.end_moment:
            continue
        machine = machines[rma.workflow_version_id]
        step = machine.states[state].approval if state in machine.states else None
        found.append(
            {
                "workflow_id": rma.workflow_version.workflow_id,
                "state": state,
                "seconds": int((left - since).total_seconds()),
                "trigger": trigger,
                "actor": actor,
                "step": step.step if step else None,
                "on_time": step is not None
                and (left - since).total_seconds() <= step.sla_hours * 3600,
            }
        )
    return found


def cycle_times(session, user, period, filters) -> dict[tuple[int, str], tuple[int, int, int]]:
    durations = defaultdict(list)
    for visit in visits(session, user, period, filters):
        durations[(visit["workflow_id"], visit["state"])].append(visit["seconds"])
    return {
        key: (len(values), percentile(values, "0.5"), percentile(values, "0.9"))
        for key, values in durations.items()
    }


def sla(session, user, period, filters) -> dict[tuple[int, int], tuple[int, int]]:
    steps = defaultdict(lambda: [0, 0])
    for visit in visits(session, user, period, filters):
        if visit["step"] and visit["trigger"] in ("approve", "reject", "request_changes"):
            figures = steps[(visit["workflow_id"], visit["step"])]
            figures[0] += 1
            figures[1] += visit["on_time"]
    return {key: tuple(value) for key, value in steps.items()}


def decisions(session, user, period, filters) -> dict[int, tuple[int, int, int, int, int]]:
    """Rep id → (submitted, exceptions, approved, denied, changes requested)."""
    reps = (
        [user.id]
        if user.role is Role.SALES_REP
        else session.scalars(select(User.id).where(User.role == Role.SALES_REP)).all()
    )
    figures = {rep: [0, 0, 0, 0, 0] for rep in reps}
    for rma in _rmas(session, user, filters).values():
        rep = rma.account.sales_rep_id
        if rma.submitted_at and rma.submitted_at in period and rep in figures:
            figures[rep][0] += 1
            figures[rep][1] += rma.exception_requested
    column = {"approve": 2, "reject": 3, "request_changes": 4}
    for visit in visits(session, user, period, filters):
        if visit["step"] and visit["actor"] in figures and visit["trigger"] in column:
            figures[visit["actor"]][column[visit["trigger"]]] += 1
    return {rep: tuple(values) for rep, values in figures.items()}


def credits(session, user, period, filters) -> dict[tuple[str, int, int], tuple]:
    """(currency, year, month) → (memos, credited, corrections); only months with memos."""
    rmas = _rmas(session, user, filters)
    found = defaultdict(lambda: [0, Decimal(0), Decimal(0)])
    for memo in session.scalars(select(CreditMemo)):
        if memo.rma_id not in rmas or memo.created_at not in period:
            continue
        key = (memo.currency, memo.created_at.year, memo.created_at.month)
        if memo.kind.value == "credit_memo":
            found[key][0] += 1
            found[key][1] += memo.amount
        else:
            found[key][2] += memo.amount
    return {key: tuple(value) for key, value in found.items()}


def grades(session, user, period, filters) -> dict[tuple[str, str], int]:
    rmas = _rmas(session, user, filters)
    found = defaultdict(int)
    rows = session.execute(
        select(RmaLine.rma_id, InspectionResult).join(
            RmaLine, RmaLine.id == InspectionResult.rma_line_id
        )
    )
    for rma_id, result in rows:
        if rma_id in rmas and result.created_at in period:
            found[(result.grade.value, result.disposition)] += result.quantity
    return dict(found)
