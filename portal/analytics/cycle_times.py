"""How long RMAs stay in each workflow state (median and 90th percentile), and whether
approval steps were decided within their SLA, over a period: read from the state visits
rollup (``models.flow_rollups.FlowStateVisit``).

A visit counts in the month it ended: a state an RMA still waits in has no duration yet.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from models import FlowStateVisit, User, VersionStatus, Workflow, WorkflowVersion
from portal.analytics.flow_scope import FlowFilters, scoped
from portal.analytics.percentiles import MEDIAN, P90, nearest_rank
from portal.analytics.period import MonthRange
from portal.analytics.units import hours, percent_of
from workflow_designer.runtime.firing import compiled_versions

# The decisions of an approval step; a cancelled request was never decided.
DECISIONS = ("approve", "reject", "request_changes")


@dataclass(frozen=True)
class CycleTime:
    workflow_id: int
    workflow: str
    state: str
    label: str
    visits: int
    median_seconds: int
    p90_seconds: int

    @property
    def median_hours(self) -> Decimal | None:
        return hours(self.median_seconds)

    @property
    def p90_hours(self) -> Decimal | None:
        return hours(self.p90_seconds)


@dataclass(frozen=True)
class StepCompliance:
    workflow_id: int
    workflow: str
    step: int
    state: str
    label: str
    decided: int
    on_time: int

    @property
    def late(self) -> int:
        return self.decided - self.on_time

    @property
    def on_time_share(self) -> float | None:
        return self.on_time / self.decided if self.decided else None

    @property
    def on_time_percent(self) -> Decimal | None:
        return percent_of(self.on_time_share)


def _visits(user: User, period: MonthRange, filters: FlowFilters):
    def where(query):
        query = query.where(FlowStateVisit.left_month.between(period.first, period.last))
        return scoped(
            query, FlowStateVisit.account_id, FlowStateVisit.return_type_id, user, filters
        )

    return where


def cycle_times(
    session: Session, user: User, period: MonthRange, filters: FlowFilters
) -> list[CycleTime]:
    """Per workflow and state: visits ended in the period, their median and p90 duration."""
    where = _visits(user, period, filters)
    keys = (FlowStateVisit.workflow_id, FlowStateVisit.state)
    if session.get_bind().dialect.name == "postgresql":
        duration = FlowStateVisit.duration_seconds
        rows = session.execute(
            where(
                select(
                    *keys,
                    func.count(),
                    func.percentile_disc(MEDIAN).within_group(duration),
                    func.percentile_disc(P90).within_group(duration),
                )
            ).group_by(*keys)
        ).all()
        figures = {(w, s): (n, int(m), int(p)) for w, s, n, m, p in rows}
    else:
        figures = _ranked_in_python(session, where(select(*keys, FlowStateVisit.duration_seconds)))
    names = state_names(session, {workflow for workflow, _state in figures})
    return [
        CycleTime(workflow, names.workflow(workflow), state, names.state(workflow, state), *values)
        for (workflow, state), values in sorted(figures.items(), key=lambda i: names.order(*i[0]))
    ]


def _ranked_in_python(session: Session, query) -> dict[tuple[int, str], tuple[int, int, int]]:
    durations: dict[tuple[int, str], list[int]] = defaultdict(list)
    for workflow, state, seconds in session.execute(query):
        durations[(workflow, state)].append(seconds)
    figures = {}
    for key, values in durations.items():
        values.sort()
        # Never empty (each key has a visit), so never None.
        median, p90 = nearest_rank(values, MEDIAN) or 0, nearest_rank(values, P90) or 0
        figures[key] = (len(values), median, p90)
    return figures


def sla_compliance(
    session: Session, user: User, period: MonthRange, filters: FlowFilters
) -> list[StepCompliance]:
    """Per approval step: decisions taken in the period and how many by the step's due time."""
    where = _visits(user, period, filters)
    keys = (FlowStateVisit.workflow_id, FlowStateVisit.approval_step, FlowStateVisit.state)
    on_time = case((FlowStateVisit.left_at <= FlowStateVisit.due_at, 1), else_=0)
    rows = session.execute(
        where(select(*keys, func.count(), func.sum(on_time)))
        .where(
            FlowStateVisit.approval_step.is_not(None),
            FlowStateVisit.trigger.in_(DECISIONS),
        )
        .group_by(*keys)
    ).all()
    names = state_names(session, {row[0] for row in rows})
    steps = [
        StepCompliance(
            workflow,
            names.workflow(workflow),
            step,
            state,
            names.state(workflow, state),
            decided,
            int(in_time or 0),
        )
        for workflow, step, state, decided, in_time in rows
    ]
    return sorted(steps, key=lambda s: (s.workflow, s.step, s.state))


@dataclass(frozen=True)
class StateNames:
    """Workflow names and state labels as the workflows' latest published versions say,
    in their order of states; states since removed keep their stored name."""

    workflows: dict[int, str]
    labels: dict[tuple[int, str], str]
    positions: dict[tuple[int, str], int]

    def workflow(self, workflow_id: int) -> str:
        return self.workflows.get(workflow_id, str(workflow_id))

    def state(self, workflow_id: int, state: str) -> str:
        return self.labels.get((workflow_id, state), state)

    def order(self, workflow_id: int, state: str) -> tuple:
        return (self.workflow(workflow_id), self.positions.get((workflow_id, state), 999), state)


def state_names(session: Session, workflow_ids: set[int]) -> StateNames:
    if not workflow_ids:
        return StateNames({}, {}, {})
    latest = dict(
        session.execute(
            select(WorkflowVersion.workflow_id, func.max(WorkflowVersion.id))
            .where(
                WorkflowVersion.workflow_id.in_(workflow_ids),
                WorkflowVersion.status != VersionStatus.DRAFT,
            )
            .group_by(WorkflowVersion.workflow_id)
        ).all()
    )
    workflows = dict(
        session.execute(
            select(Workflow.id, Workflow.name).where(Workflow.id.in_(workflow_ids))
        ).all()
    )
    compiled = compiled_versions(session, sorted(latest.values()))
    labels, positions = {}, {}
    for workflow_id, version_id in latest.items():
        machine = compiled.get(version_id)
        for position, spec in enumerate(machine.states.values() if machine else ()):
            labels[(workflow_id, spec.name)] = spec.label
            positions[(workflow_id, spec.name)] = position
    return StateNames(workflows, labels, positions)
