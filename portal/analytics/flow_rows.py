"""The rows of the process rollups, computed from the facts of the RMAs a refresh selects.

``which(column)`` is the condition that selects those RMAs by an RMA-id column: a list of
ids for a worker pass (``among``), a range of ids for a rebuild. ``fresh`` says the rollup
holds nothing of them yet (a rebuild), so nothing needs deleting or checking first.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, delete, insert, or_, select
from sqlalchemy.orm import Session

from models import (
    CreditMemo,
    FlowCreditMonth,
    FlowGradeResult,
    FlowStateVisit,
    FlowSubmission,
    InspectionResult,
    Rma,
    RmaEvent,
    RmaLine,
    WorkflowVersion,
)
from models.sql import one_of, one_of_many
from portal.analytics.period import add_months, month_start
from workflow_designer.runtime.firing import compiled_versions

Which = Callable[[Any], ColumnElement[bool]]
# Up to this many ids are looked up by the index; more are hashed.
FEW = 500


def among(session: Session, column: Any, ids: list[int]) -> ColumnElement[bool]:
    """``column IN ids``: by the index for the few ids of a worker pass, hashed for more
    (``= ANY`` compares each row with every id)."""
    return (one_of if len(ids) <= FEW else one_of_many)(session, column, ids)


# --- state visits ----------------------------------------------------------------------


def add_visits(session: Session, which: Which, *, fresh: bool = False) -> int:
    """Add the visits closed by events of the RMAs ``which`` selects that are not in the
    rollup yet (``fresh``: none of theirs is)."""
    rmas = _rma_facts(session, which)
    if not rmas:
        return 0
    compiled = compiled_versions(session, sorted({r.workflow_version_id for r in rmas.values()}))
    done = set()
    if not fresh:
        done = set(
            session.scalars(
                select(FlowStateVisit.leaving_event_id).where(which(FlowStateVisit.rma_id))
            )
        )
    rows = []
    for event, entered_at in _state_changes(session, which, rmas):
        if event.id in done:
            continue
        rma = rmas[event.rma_id]
        rows.append(_visit_row(event, entered_at, rma, compiled.get(rma.workflow_version_id)))
    if rows:
        session.execute(insert(FlowStateVisit), rows)
    return len(rows)


@dataclass(frozen=True)
class _RmaFacts:
    id: int
    account_id: int
    return_type_id: int
    workflow_version_id: int
    workflow_id: int
    created_at: datetime


def _rma_facts(session: Session, which: Which) -> dict[int, _RmaFacts]:
    rows = session.execute(
        select(
            Rma.id,
            Rma.account_id,
            Rma.return_type_id,
            Rma.workflow_version_id,
            WorkflowVersion.workflow_id,
            Rma.created_at,
        )
        .join(WorkflowVersion, WorkflowVersion.id == Rma.workflow_version_id)
        .where(which(Rma.id))
    )
    return {row.id: _RmaFacts(*row) for row in rows}


@dataclass(frozen=True)
class _Change:
    id: int
    rma_id: int
    from_state: str | None  # None: the RMA's first event
    to_state: str
    created_at: datetime
    trigger: str
    actor_id: int | None


def _state_changes(
    session: Session, which: Which, rmas: dict[int, _RmaFacts]
) -> Iterable[tuple[_Change, datetime]]:
    """Each event of the RMAs that left a state, with when that state was entered: the
    event before it that changed state, or the RMA's creation for its first state.
    Events that keep the state (escalations, notes) neither open nor close a visit."""
    events = session.execute(
        select(
            RmaEvent.id,
            RmaEvent.rma_id,
            RmaEvent.from_state,
            RmaEvent.to_state,
            RmaEvent.created_at,
            RmaEvent.trigger,
            RmaEvent.actor_id,
        )
        .where(
            which(RmaEvent.rma_id),
            or_(RmaEvent.from_state.is_(None), RmaEvent.from_state != RmaEvent.to_state),
        )
        .order_by(RmaEvent.rma_id, RmaEvent.id)
    )
    entered: dict[int, datetime] = {}
    for row in events:
        change = _Change(*row)
        since = entered.get(change.rma_id, rmas[change.rma_id].created_at)
        entered[change.rma_id] = change.created_at
        if change.from_state is not None:
            yield change, since


def _visit_row(event: _Change, entered_at: datetime, rma: _RmaFacts, compiled) -> dict:
    spec = compiled.states.get(event.from_state) if compiled is not None else None
    step = spec.approval if spec is not None else None
    left_at = max(event.created_at, entered_at)
    return {
        "leaving_event_id": event.id,
        "rma_id": rma.id,
        "account_id": rma.account_id,
        "return_type_id": rma.return_type_id,
        "workflow_id": rma.workflow_id,
        "state": event.from_state,
        "approval_step": step.step if step is not None else None,
        "entered_at": entered_at,
        "left_at": left_at,
        "due_at": entered_at + timedelta(hours=step.sla_hours) if step is not None else None,
        "duration_seconds": int((left_at - entered_at).total_seconds()),
        "left_month": month_of(left_at),
        "trigger": event.trigger,
        "actor_id": event.actor_id,
    }


def month_of(moment: datetime) -> date:
    """The UTC month a moment falls in (``MonthRange`` buckets times the same way)."""
    return month_start(moment.astimezone(UTC).date())


# --- submissions -----------------------------------------------------------------------


def replace_submissions(session: Session, which: Which, *, fresh: bool = False) -> None:
    """The submission row of each RMA ``which`` selects, as the RMA says now."""
    if not fresh:
        session.execute(delete(FlowSubmission).where(which(FlowSubmission.rma_id)))
    rows = session.execute(
        select(
            Rma.id, Rma.account_id, Rma.return_type_id, Rma.submitted_at, Rma.exception_requested
        ).where(which(Rma.id), Rma.submitted_at.is_not(None))
    ).all()
    if rows:
        session.execute(
            insert(FlowSubmission),
            [
                {
                    "rma_id": rma_id,
                    "account_id": account_id,
                    "return_type_id": return_type_id,
                    "submitted_month": month_of(submitted_at),
                    "exception_requested": exception,
                }
                for rma_id, account_id, return_type_id, submitted_at, exception in rows
                if submitted_at is not None  # always: the query reads submitted RMAs
            ],
        )


# --- grades ----------------------------------------------------------------------------


def replace_grades(session: Session, which: Which, *, fresh: bool = False) -> None:
    """Rebuild the grading rows of the RMAs ``which`` selects from their inspection results."""
    if not fresh:
        session.execute(delete(FlowGradeResult).where(which(FlowGradeResult.rma_id)))
    results = session.execute(
        select(
            Rma.id,
            Rma.account_id,
            Rma.return_type_id,
            InspectionResult.created_at,
            InspectionResult.grade,
            InspectionResult.disposition,
            InspectionResult.quantity,
        )
        .join(RmaLine, RmaLine.rma_id == Rma.id)
        .join(InspectionResult, InspectionResult.rma_line_id == RmaLine.id)
        .where(which(RmaLine.rma_id))
    )
    units: dict[tuple, int] = defaultdict(int)
    for rma_id, account_id, return_type_id, at, grade, disposition, quantity in results:
        units[(rma_id, account_id, return_type_id, month_of(at), grade.value, disposition)] += (
            quantity
        )
    if units:
        keys = ("rma_id", "account_id", "return_type_id", "month", "grade", "disposition")
        session.execute(
            insert(FlowGradeResult),
            [dict(zip(keys, key, strict=True)) | {"quantity": n} for key, n in units.items()],
        )


# --- credits ---------------------------------------------------------------------------


def replace_credits(session: Session, memo_ids: list[int] | None) -> int:
    """Recompute, whole, the buckets of the accounts the documents ``memo_ids`` belong to
    over the months they span (every document of those accounts and months is read
    again); None: every bucket."""
    if memo_ids is not None and not memo_ids:
        return 0
    documents = select(
        CreditMemo.account_id,
        Rma.return_type_id,
        CreditMemo.created_at,
        CreditMemo.currency,
        CreditMemo.kind,
        CreditMemo.amount,
    ).join(Rma, Rma.id == CreditMemo.rma_id)
    clear = delete(FlowCreditMonth)
    if memo_ids is not None:
        touched = session.execute(
            select(CreditMemo.account_id, CreditMemo.created_at).where(
                among(session, CreditMemo.id, memo_ids)
            )
        ).all()
        accounts = sorted({account for account, _at in touched})
        first = min(month_of(at) for _account, at in touched)
        last = add_months(max(month_of(at) for _account, at in touched), 1)
        clear = clear.where(
            among(session, FlowCreditMonth.account_id, accounts),
            FlowCreditMonth.month >= first,
            FlowCreditMonth.month < last,
        )
        documents = documents.where(
            among(session, CreditMemo.account_id, accounts),
            CreditMemo.created_at >= datetime(first.year, first.month, 1, tzinfo=UTC),
            CreditMemo.created_at < datetime(last.year, last.month, 1, tzinfo=UTC),
        )
    session.execute(clear)
    buckets: dict[tuple, list] = defaultdict(lambda: [0, Decimal(0)])
    for account_id, return_type_id, at, currency, kind, amount in session.execute(documents):
        bucket = buckets[(account_id, return_type_id, month_of(at), currency, kind.value)]
        bucket[0] += 1
        bucket[1] += amount
    keys = ("account_id", "return_type_id", "month", "currency", "kind")
    if buckets:
        session.execute(
            insert(FlowCreditMonth),
            [
                dict(zip(keys, key, strict=True)) | {"documents": n, "amount": amount}
                for key, (n, amount) in buckets.items()
            ],
        )
    return len(buckets)
