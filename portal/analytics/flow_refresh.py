"""Refreshing the process rollups (``models.flow_rollups``) from the facts, incrementally.

Each pass reads the facts added since the rollup's watermark (the highest source id it
has read) and rebuilds what they touch: the visits their events closed, the submissions
and gradings of the RMAs they belong to, the credit buckets they fall into (the rows
themselves are made in ``flow_rows``). Every write is idempotent (visits are unique per
closing event; the other rows are replaced whole), so reading a fact twice changes
nothing. That lets each pass also re-read the facts of the last few minutes: a transaction
that committed a lower id after a higher one was read (ids are handed out before commit)
is caught by the next pass instead of being lost.

The first refresh (no watermark yet) rebuilds everything, RMA by RMA-id range, instead of
reading the whole event log through the incremental path.

The worker calls ``refresh_flow_rollups`` every few minutes (``portal.notifications.cli``);
``refresh_until_current`` runs passes until the facts are all read (the command line, tests).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, delete, func, select
from sqlalchemy.orm import Session

from models import (
    CreditMemo,
    FlowCreditMonth,
    FlowGradeResult,
    FlowRollupMark,
    FlowStateVisit,
    FlowSubmission,
    InspectionResult,
    Rma,
    RmaEvent,
    RmaLine,
)
from portal.analytics.flow_rows import (
    add_visits,
    among,
    replace_credits,
    replace_grades,
    replace_submissions,
)

# Facts committed this long after a higher id was read are still picked up.
SETTLING = timedelta(minutes=10)
# Source rows read per rollup and pass: a pass stays short however far behind it is.
BATCH = 20_000
# RMAs per statement of a rebuild.
CHUNK = 10_000
EVENTS, INSPECTIONS, MEMOS = "rma_events", "inspection_results", "credit_memos"
Source = type[RmaEvent] | type[InspectionResult] | type[CreditMemo]
SOURCES: dict[str, Source] = {EVENTS: RmaEvent, INSPECTIONS: InspectionResult, MEMOS: CreditMemo}


@dataclass
class RefreshResult:
    visits: int = 0
    rmas: int = 0
    credit_buckets: int = 0
    behind: bool = False  # a batch was full: more facts are waiting
    rebuilt: bool = False

    def __iadd__(self, other: RefreshResult) -> RefreshResult:
        self.visits += other.visits
        self.rmas += other.rmas
        self.credit_buckets += other.credit_buckets
        self.behind = other.behind
        self.rebuilt = self.rebuilt or other.rebuilt
        return self


def refresh_flow_rollups(session: Session, now: datetime, batch: int = BATCH) -> RefreshResult:
    """One pass over the facts added since the last one (at most ``batch`` of each kind);
    the first pass rebuilds everything. Writes in the caller's transaction; never commits."""
    if session.get(FlowRollupMark, EVENTS, with_for_update=True) is None:
        return rebuild_flow_rollups(session, now)
    result = RefreshResult()
    _ids, rma_ids, events_behind = _new_source(session, EVENTS, RmaEvent.rma_id, now, batch)
    if rma_ids:
        result.visits = add_visits(session, _among(session, rma_ids))
        replace_submissions(session, _among(session, rma_ids))
    _ids, inspected, inspections_behind = _new_source(
        session, INSPECTIONS, RmaLine.rma_id, now, batch
    )
    # An RMA's events also cover gradings that removed results (nothing new to read).
    touched = sorted(set(rma_ids) | set(inspected))
    if touched:
        replace_grades(session, _among(session, touched))
    memo_ids, _rmas, memos_behind = _new_source(session, MEMOS, CreditMemo.rma_id, now, batch)
    result.credit_buckets = replace_credits(session, memo_ids)
    result.rmas = len(touched)
    result.behind = events_behind or inspections_behind or memos_behind
    session.flush()
    return result


def refresh_until_current(session: Session, now: datetime, batch: int = BATCH) -> RefreshResult:
    """Passes until every fact is read (a first build reads the whole history)."""
    total = RefreshResult()
    while True:
        total += refresh_flow_rollups(session, now, batch)
        if not total.behind:
            return total


def rebuild_flow_rollups(session: Session, now: datetime, chunk: int = CHUNK) -> RefreshResult:
    """Every rollup row made again from all the facts, a range of RMA ids at a time.
    The watermarks are the facts' highest ids when it began: what is added meanwhile is
    read again by the next pass, which adds nothing twice."""
    tops = {
        name: session.scalar(select(func.max(model.id))) or 0 for name, model in SOURCES.items()
    }
    for model in (FlowStateVisit, FlowSubmission, FlowGradeResult, FlowCreditMonth):
        session.execute(delete(model))
    result = RefreshResult(rebuilt=True)
    last = session.scalar(select(func.max(Rma.id))) or 0
    for start in range(0, last + 1, chunk):

        def which(column, start=start):
            return and_(column >= start, column < start + chunk)

        result.visits += add_visits(session, which, fresh=True)
        replace_submissions(session, which, fresh=True)
        replace_grades(session, which, fresh=True)
    result.credit_buckets = replace_credits(session, None)
    for name, top in tops.items():
        mark = _mark(session, name)
        mark.last_id, mark.refreshed_at = top, now
    session.flush()
    return result


def _among(session: Session, ids: list[int]):
    return lambda column: among(session, column, ids)


def _mark(session: Session, name: str) -> FlowRollupMark:
    mark = session.get(FlowRollupMark, name, with_for_update=True)
    if mark is None:
        mark = FlowRollupMark(name=name, last_id=0)
        session.add(mark)
    return mark


def _new_source(session, name, rma_column, now, batch) -> tuple[list[int], list[int], bool]:
    """(ids, their RMA ids, whether the batch was full) of the source's rows past the
    watermark (at most ``batch``) or created in the settling time; moves the watermark past
    the batch read."""
    model = SOURCES[name]
    mark = _mark(session, name)
    query = select(model.id, rma_column)
    if model is InspectionResult:
        query = query.join(RmaLine, RmaLine.id == InspectionResult.rma_line_id)
    fresh = session.execute(
        query.where(model.id > mark.last_id).order_by(model.id).limit(batch)
    ).all()
    settling = session.execute(
        query.where(model.id <= mark.last_id, model.created_at >= now - SETTLING)
    ).all()
    if fresh:
        mark.last_id = fresh[-1][0]
    rows = [*settling, *fresh]
    if rows:  # the figures may have changed: pages read again (``rollup_version``)
        mark.refreshed_at = now
    return [row[0] for row in rows], sorted({row[1] for row in rows}), len(fresh) == batch


def rollup_version(session: Session) -> tuple:
    """What changes whenever a refresh may have changed a rollup: figures computed from
    the rollups stay valid while it is the same."""
    return tuple(
        session.execute(
            select(func.sum(FlowRollupMark.last_id), func.max(FlowRollupMark.refreshed_at))
        ).one()
    )


def rollup_lag(session: Session) -> dict[str, int]:
    """Source rows not read yet, per rollup (for health pages and tests)."""
    marks = dict(session.execute(select(FlowRollupMark.name, FlowRollupMark.last_id)).all())
    return {
        name: session.scalar(
            select(func.count()).select_from(model).where(model.id > marks.get(name, 0))
        )
        or 0
        for name, model in SOURCES.items()
    }
