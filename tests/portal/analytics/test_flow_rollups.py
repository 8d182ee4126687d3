"""The rollups equal a plain query over the facts: after the demo's first build, after
new facts refreshed in small batches, after a regrading that moves units to another month,
and for late commits the watermark had already passed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import delete, func, select

from models import (
    CreditMemo,
    FlowCreditMonth,
    FlowGradeResult,
    FlowRollupMark,
    FlowStateVisit,
    FlowSubmission,
    Grade,
    InspectionResult,
    MemoKind,
    RetailerAccount,
    Rma,
    RmaEvent,
    RmaLine,
    Role,
    User,
)
from portal.analytics.credit_months import credit_months
from portal.analytics.cycle_times import cycle_times, sla_compliance
from portal.analytics.decisions import rep_decisions
from portal.analytics.flow_refresh import (
    rebuild_flow_rollups,
    refresh_flow_rollups,
    refresh_until_current,
    rollup_lag,
)
from portal.analytics.flow_scope import FlowFilters
from portal.analytics.grading import grading
from portal.analytics.period import MonthRange
from portal.demo import SCALES, load_demo
from tests.portal.analytics import flow_facts

TODAY = date(2026, 3, 15)
NOW = datetime(2026, 3, 15, 12, tzinfo=UTC)
ALL = FlowFilters()
PERIODS = (
    MonthRange(date(2024, 1, 1), date(2026, 3, 1)),
    MonthRange(date(2025, 12, 1), date(2026, 2, 1)),
    MonthRange(date(2026, 3, 1), date(2026, 3, 1)),
)


@pytest.fixture
def demo(db_session):
    load_demo(db_session, seed=7, today=TODAY, scale=SCALES["tiny"])
    return db_session


def viewers(session) -> list[User]:
    admin = session.scalar(select(User).where(User.role == Role.ADMIN).limit(1))
    rep = session.scalar(
        select(User)
        .join(RetailerAccount, RetailerAccount.sales_rep_id == User.id)
        .order_by(User.id)
        .limit(1)
    )
    return [admin, rep]


def rolled_up(session, user, period, filters) -> dict:
    return {
        "cycle": {
            (row.workflow_id, row.state): (row.visits, row.median_seconds, row.p90_seconds)
            for row in cycle_times(session, user, period, filters)
        },
        "sla": {
            (row.workflow_id, row.step): (row.decided, row.on_time)
            for row in sla_compliance(session, user, period, filters)
        },
        "decisions": {
            row.rep_id: (
                row.submitted,
                row.exceptions,
                row.approved,
                row.denied,
                row.changes_requested,
            )
            for row in rep_decisions(session, user, period, filters)
        },
        "credits": {
            (row.currency, row.month.year, row.month.month): (
                row.memos,
                row.credited,
                row.corrections,
            )
            for row in credit_months(session, user, period, filters)
            if row.memos or row.credited or row.corrections
        },
        "grades": {
            (row.grade.value, disposition.value): units
            for row in grading(session, user, period, filters).grades
            for disposition, units in row.units.items()
        },
    }


def from_facts(session, user, period, filters) -> dict:
    return {
        "cycle": flow_facts.cycle_times(session, user, period, filters),
        "sla": flow_facts.sla(session, user, period, filters),
        "decisions": flow_facts.decisions(session, user, period, filters),
        "credits": flow_facts.credits(session, user, period, filters),
        "grades": flow_facts.grades(session, user, period, filters),
    }


def assert_rollups_match_facts(session, filters=ALL) -> None:
    session.expire_all()
    for user in viewers(session):
        for period in PERIODS:
            expected = from_facts(session, user, period, filters)
            assert rolled_up(session, user, period, filters) == expected, (user, period)


def test_the_demo_history_rolled_up_equals_the_facts(demo):
    assert demo.scalar(select(func.count()).select_from(FlowStateVisit)) > 300
    assert demo.scalar(select(func.count()).select_from(FlowGradeResult)) > 10
    assert rollup_lag(demo) == {"rma_events": 0, "inspection_results": 0, "credit_memos": 0}
    assert_rollups_match_facts(demo)
    some_rma = demo.scalar(select(Rma.return_type_id).limit(1))
    assert_rollups_match_facts(demo, FlowFilters(return_type_id=some_rma))


def visit_rows(session) -> list:
    return sorted(
        session.execute(
            select(
                FlowStateVisit.leaving_event_id,
                FlowStateVisit.duration_seconds,
                FlowStateVisit.left_month,
                FlowStateVisit.approval_step,
            )
        ).all()
    )


def empty_rollups(session) -> None:
    for model in (FlowStateVisit, FlowSubmission, FlowGradeResult, FlowCreditMonth):
        session.execute(delete(model))
    session.execute(delete(FlowRollupMark))


@pytest.mark.parametrize("few", [10, 500])  # RMAs read by the hashed IN, or by the index
def test_passes_from_an_empty_watermark_give_the_rebuilt_rows(demo, few, monkeypatch):
    monkeypatch.setattr("portal.analytics.flow_rows.FEW", few)
    rebuilt = visit_rows(demo)
    empty_rollups(demo)
    for name in ("rma_events", "inspection_results", "credit_memos"):
        demo.add(FlowRollupMark(name=name, last_id=0))  # read from the start, pass by pass
    demo.flush()

    passes = 0
    while refresh_flow_rollups(demo, NOW, batch=97).behind:
        passes += 1
    assert passes > 5
    assert visit_rows(demo) == rebuilt
    assert_rollups_match_facts(demo)


def test_a_rebuild_reads_the_history_range_by_range(demo):
    before = visit_rows(demo)
    empty_rollups(demo)

    result = rebuild_flow_rollups(demo, NOW, chunk=7)

    assert result.rebuilt and result.visits == len(before)
    assert visit_rows(demo) == before
    assert rollup_lag(demo) == {"rma_events": 0, "inspection_results": 0, "credit_memos": 0}
    assert_rollups_match_facts(demo)


def test_the_first_pass_rebuilds(demo):
    empty_rollups(demo)
    assert refresh_flow_rollups(demo, NOW).rebuilt
    assert refresh_flow_rollups(demo, NOW).rebuilt is False
    assert_rollups_match_facts(demo)


def later_events(session, count: int) -> list[Rma]:
    """``count`` RMAs of the demo take one more step today (rows as ``fire`` appends them)."""
    rmas = session.scalars(
        select(Rma).where(Rma.state.in_(("authorized", "rep_review"))).order_by(Rma.id).limit(count)
    ).all()
    rep = viewers(session)[1]
    for rma in rmas:
        trigger, dest = ("ship", "awaiting_receipt")
        if rma.state == "rep_review":
            trigger, dest = ("approve", "authorized")
        session.add(
            RmaEvent(
                rma_id=rma.id,
                created_at=NOW,
                actor_id=rep.id,
                trigger=trigger,
                from_state=rma.state,
                to_state=dest,
            )
        )
        rma.state = dest
    session.flush()
    return rmas


def test_new_facts_are_added_by_the_next_passes(demo):
    moved = later_events(demo, 6)
    assert moved
    # Regrade a line: its results are replaced (new ids), in March instead of when first graded.
    line_id, grade = demo.execute(
        select(InspectionResult.rma_line_id, InspectionResult.grade).order_by(InspectionResult.id)
    ).first()
    units = demo.scalar(
        select(func.sum(InspectionResult.quantity)).where(InspectionResult.rma_line_id == line_id)
    )
    demo.execute(delete(InspectionResult).where(InspectionResult.rma_line_id == line_id))
    demo.add(
        InspectionResult(
            rma_line_id=line_id,
            grade=Grade.USED if grade is not Grade.USED else Grade.NEW,
            quantity=units,
            disposition="b_stock",
            created_at=NOW,
        )
    )
    memo = demo.scalars(select(CreditMemo).order_by(CreditMemo.id)).first()
    demo.add(
        CreditMemo(
            number="CM-TEST-ADJ",
            kind=MemoKind.REVERSAL,
            original_memo_id=memo.id,
            reason="Credited twice by mistake.",
            rma_id=memo.rma_id,
            account_id=memo.account_id,
            currency=memo.currency,
            amount=-memo.amount,
            created_at=NOW,
        )
    )
    demo.flush()

    refresh_until_current(demo, NOW, batch=3)

    assert rollup_lag(demo) == {"rma_events": 0, "inspection_results": 0, "credit_memos": 0}
    assert_rollups_match_facts(demo)
    march = rolled_up(demo, viewers(demo)[0], PERIODS[2], FlowFilters())
    assert any(key[0] == memo.currency for key in march["credits"])


def test_a_fact_committed_after_the_watermark_passed_it_is_still_read(demo):
    """Ids are handed out before commit: a slow transaction may commit a lower id after a
    pass has read a higher one. Facts of the last minutes are read again each pass."""
    (rma,) = later_events(demo, 1)
    mark = demo.get(FlowRollupMark, "rma_events")
    mark.last_id += 1_000  # as if a higher id had been read before this one committed
    demo.flush()

    refresh_flow_rollups(demo, NOW + timedelta(minutes=5))
    refresh_flow_rollups(demo, NOW + timedelta(minutes=6))  # read twice: added once

    closed = demo.scalars(
        select(FlowStateVisit).where(FlowStateVisit.rma_id == rma.id).order_by(FlowStateVisit.id)
    ).all()
    assert closed[-1].left_at == NOW
    assert_rollups_match_facts(demo)


def test_a_regrading_leaves_no_units_in_the_month_it_left(demo):
    result = demo.scalars(select(InspectionResult).order_by(InspectionResult.id)).first()
    rma_id = demo.scalar(select(RmaLine.rma_id).where(RmaLine.id == result.rma_line_id))
    month = result.created_at.date().replace(day=1)
    period = MonthRange(month, month)
    admin = viewers(demo)[0]
    before = grading(demo, admin, period, FlowFilters()).total

    # Graded again in March: the warehouse replaces the line's results with new rows.
    demo.expunge(result)
    demo.execute(delete(InspectionResult).where(InspectionResult.id == result.id))
    demo.add(
        InspectionResult(
            rma_line_id=result.rma_line_id,
            grade=result.grade,
            quantity=result.quantity,
            disposition=result.disposition,
            created_at=NOW,
        )
    )
    demo.flush()
    refresh_flow_rollups(demo, NOW)

    assert grading(demo, admin, period, FlowFilters()).total == before - result.quantity
    assert (
        demo.scalar(
            select(func.sum(FlowGradeResult.quantity)).where(FlowGradeResult.rma_id == rma_id)
        )
        >= result.quantity
    )


def test_the_refresh_command_brings_the_process_rollups_along(app, db_session):
    from portal.analytics.cli import refresh
    from tests.portal.analytics.flow_world import build_flow_world

    build_flow_world(db_session)
    db_session.commit()
    runner = app.test_cli_runner()

    first = runner.invoke(refresh, [])
    assert first.exit_code == 0, first.output
    assert "process analytics: rebuilt" in first.output
    assert "process analytics: 0 stays added" in runner.invoke(refresh, []).output
    assert "process analytics: rebuilt" in runner.invoke(refresh, ["--full"]).output
    assert db_session.scalar(select(func.count()).select_from(FlowStateVisit)) == 15
