"""Every process figure of the hand-computed history (``flow_world``), for the admin and
for each rep, over January–February 2026."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from portal.analytics.allowance import allowance_page
from portal.analytics.credit_months import credit_months, totals_by_currency
from portal.analytics.cycle_times import cycle_times, sla_compliance
from portal.analytics.decisions import rep_decisions
from portal.analytics.flow_refresh import refresh_until_current
from portal.analytics.flow_scope import FlowFilters
from portal.analytics.grading import grading
from portal.analytics.period import MonthRange
from tests.portal.analytics.flow_world import AS_OF, PERIOD, build_flow_world
from workflow_designer.policy.vocabulary import Disposition, Grade

ALL = FlowFilters()
NOW = datetime(2026, 3, 5, tzinfo=UTC)
HOUR, DAY = 3600, 86400


@pytest.fixture
def flow(db_session):
    world = build_flow_world(db_session)
    refresh_until_current(db_session, NOW)
    return world


def durations(rows) -> dict[str, tuple[int, int, int]]:
    return {row.state: (row.visits, row.median_seconds, row.p90_seconds) for row in rows}


def test_cycle_times_per_state_for_the_admin(db_session, flow):
    found = durations(cycle_times(db_session, flow.admin, PERIOD, ALL))

    # draft: R2 left at 1 Jan 00:00 (in), R1, R3, R4 → 1 h, 1 h, 2 h, 4 h; rank ⌈2⌉ and ⌈3.6⌉.
    assert found["draft"] == (4, HOUR, 4 * HOUR)
    # rep review: 24 h (R1), 96 h (R3), 24 h and 48 h (R4's two visits); the escalation
    # in R4's second visit does not split it.
    assert found["rep_review"] == (4, DAY, 4 * DAY)
    assert found["changes_requested"] == (1, 4 * HOUR, 4 * HOUR)
    # R2 left "authorized" on 1 Mar 00:00: after the period. R1 left it on 10 Jan.
    assert found["authorized"] == (1, 4 * DAY, 4 * DAY)
    # R1 received at 28 Feb 23:59:59: the last second of the period.
    assert found["awaiting_receipt"] == (1, 49 * DAY + 12 * HOUR - 1, 49 * DAY + 12 * HOUR - 1)
    assert set(found) == {
        "draft",
        "rep_review",
        "changes_requested",
        "authorized",
        "awaiting_receipt",
    }


def test_cycle_times_of_a_rep_cover_their_accounts_only(db_session, flow):
    anna = durations(cycle_times(db_session, flow.anna, PERIOD, ALL))
    bruno = durations(cycle_times(db_session, flow.bruno, PERIOD, ALL))

    assert anna["draft"] == (3, 2 * HOUR, 4 * HOUR)  # 1 h, 2 h, 4 h
    assert anna["rep_review"] == (2, DAY, 4 * DAY)  # 24 h, 96 h
    assert "changes_requested" not in anna
    assert bruno == {
        "draft": (1, HOUR, HOUR),
        "rep_review": (2, DAY, 2 * DAY),
        "changes_requested": (1, 4 * HOUR, 4 * HOUR),
    }


def test_a_period_holding_only_march_sees_what_left_a_state_then(db_session, flow):
    march = MonthRange(date(2026, 3, 1), date(2026, 3, 1))
    found = durations(cycle_times(db_session, flow.admin, march, ALL))
    # R2 waited in "authorized" from 1 Jan 00:00 to 1 Mar 00:00; R5's draft lasted 1 h.
    assert found == {"authorized": (1, 59 * DAY, 59 * DAY), "draft": (1, HOUR, HOUR)}


def test_sla_compliance_per_approval_step(db_session, flow):
    (step,) = sla_compliance(db_session, flow.admin, PERIOD, ALL)
    # R1 24 h, R3 96 h (late), R4 24 h (changes requested) and 48 h (exactly due: on time).
    assert (step.step, step.state, step.decided, step.on_time, step.late) == (
        1,
        "rep_review",
        4,
        3,
        1,
    )
    assert step.on_time_share == 0.75
    (anna,) = sla_compliance(db_session, flow.anna, PERIOD, ALL)
    assert (anna.decided, anna.on_time) == (2, 1)


def test_exception_and_approval_rates_per_rep(db_session, flow):
    rows = {row.rep: row for row in rep_decisions(db_session, flow.admin, PERIOD, ALL)}

    anna = rows["Anna Rep"]
    # R1 (exception), R2, R3 (exception) submitted in the period; R6 in December, R7 never.
    assert (anna.submitted, anna.exceptions) == (3, 2)
    assert anna.exception_share == pytest.approx(2 / 3)
    assert (anna.approved, anna.denied, anna.changes_requested) == (1, 1, 0)
    assert anna.approval_share == 0.5
    bruno = rows["Bruno Rep"]
    assert (bruno.submitted, bruno.exceptions, bruno.exception_share) == (1, 1, 1.0)
    assert (bruno.approved, bruno.denied, bruno.changes_requested) == (1, 0, 1)
    assert bruno.approval_share == 1.0


def test_a_rep_sees_their_own_row_only(db_session, flow):
    (row,) = rep_decisions(db_session, flow.bruno, PERIOD, ALL)
    assert (row.rep, row.submitted, row.approved) == ("Bruno Rep", 1, 1)


def credit_table(rows):
    return {(r.currency, r.month.month): (r.memos, r.credited, r.corrections, r.net) for r in rows}


def test_credits_by_month_and_currency(db_session, flow):
    rows = credit_months(db_session, flow.admin, PERIOD, ALL)

    d = Decimal
    assert credit_table(rows) == {
        # The adjustment of February corrects January's memo in the month it was issued.
        ("EUR", 1): (1, d("100.00"), d("0.00"), d("100.00")),
        ("EUR", 2): (1, d("50.00"), d("-10.00"), d("40.00")),
        # Issued at 31 Jan 23:59:59: January.
        ("GBP", 1): (1, d("80.00"), d("0.00"), d("80.00")),
        ("GBP", 2): (0, d("0.00"), d("0.00"), d("0.00")),
    }
    totals = {t.currency: (t.memos, t.net) for t in totals_by_currency(rows)}
    assert totals == {"EUR": (2, d("140.00")), "GBP": (1, d("80.00"))}


def test_credits_of_a_rep(db_session, flow):
    d = Decimal
    anna = credit_table(credit_months(db_session, flow.anna, PERIOD, ALL))
    assert anna[("EUR", 2)] == (0, d("0.00"), d("-10.00"), d("-10.00"))
    assert anna[("GBP", 1)][1] == d("80.00")
    bruno = credit_table(credit_months(db_session, flow.bruno, PERIOD, ALL))
    assert bruno == {
        ("EUR", 1): (0, d("0.00"), d("0.00"), d("0.00")),
        ("EUR", 2): (1, d("50.00"), d("0.00"), d("50.00")),
    }


def test_grades_and_dispositions_of_received_stock(db_session, flow):
    found = grading(db_session, flow.admin, PERIOD, ALL)

    units = {row.grade: dict(row.units) for row in found.grades if row.total}
    assert units == {
        Grade.NEW: {Disposition.RESTOCK: 3},
        Grade.USED: {Disposition.B_STOCK: 2},
        Grade.LIGHTLY_DAMAGED: {Disposition.REFURBISH: 1},
        Grade.HEAVILY_DAMAGED: {Disposition.SCRAP: 4},
        Grade.DEFECTIVE: {Disposition.RETURN_TO_MANUFACTURER: 1},
    }
    # R2's five new frames were graded at 1 Mar 00:00: after the period.
    assert found.total == 11
    assert found.disposed(Disposition.SCRAP) == 4
    assert found.share(Disposition.RESTOCK) == pytest.approx(3 / 11)
    assert grading(db_session, flow.anna, PERIOD, ALL).total == 6
    assert grading(db_session, flow.bruno, PERIOD, ALL).total == 5


def test_allowance_used_per_account(db_session, flow):
    page = allowance_page(db_session, flow.admin, ALL, AS_OF, 1, 25)

    rows = {row.account_number: row for row in page.items}
    eins = rows["F001"]
    # 2,000.00 EUR bought in the 365 days to 28 Feb; 10 % of it. R1 counts at what was
    # credited (100.00 − 10.00), R2 at its value; R6 was cancelled.
    assert (eins.net_purchases, eins.allowance) == (Decimal("2000.00"), Decimal("200.00"))
    assert (eins.used, eins.credited, eins.pending) == (
        Decimal("590.00"),
        Decimal("90.00"),
        Decimal("500.00"),
    )
    assert eins.left == Decimal("-390.00") and eins.over
    assert eins.share_used == Decimal("2.95")
    zwei = rows["F002"]  # GBP; R3 was rejected and R7 is a draft
    assert (zwei.currency, zwei.allowance, zwei.used, zwei.left) == (
        "GBP",
        Decimal("300.00"),
        Decimal("0.00"),
        Decimal("300.00"),
    )
    drei = rows["F003"]  # bought nothing: no allowance, R4 uses 50.00 of it
    assert (drei.allowance, drei.used, drei.share_used) == (
        Decimal("0.00"),
        Decimal("50.00"),
        None,
    )


def test_allowance_of_a_rep_lists_their_accounts(db_session, flow):
    page = allowance_page(db_session, flow.anna, ALL, AS_OF, 1, 25)
    assert [row.account_number for row in page.items] == ["F001", "F002"]
    assert page.total == 2


def test_filters_narrow_every_figure(db_session, flow):
    only_drei = FlowFilters(account_id=flow.drei.id)
    assert durations(cycle_times(db_session, flow.admin, PERIOD, only_drei))["draft"][0] == 1
    assert grading(db_session, flow.admin, PERIOD, only_drei).total == 5
    other_type = FlowFilters(return_type_id=flow.return_type.id + 1000)
    assert cycle_times(db_session, flow.admin, PERIOD, other_type) == []
    assert credit_months(db_session, flow.admin, PERIOD, other_type) == []
    assert allowance_page(db_session, flow.admin, other_type, AS_OF, 1, 25).items == []
    # A rep filtering on another rep's account sees nothing of it.
    assert grading(db_session, flow.anna, PERIOD, only_drei).total == 0
