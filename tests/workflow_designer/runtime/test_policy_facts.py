"""Fact loaders on the real database (SQLite and PostgreSQL): what counts, and how many queries."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from models import CreditMemo, RmaLine
from tests.factories import (
    make_account,
    make_order,
    make_product,
    make_published_workflow,
    make_return_type,
    make_rma,
)
from tests.workflow_designer.policy.helpers import rule
from workflow_designer.policy import evaluate
from workflow_designer.policy.request import PolicyRequest
from workflow_designer.runtime.policy_facts import load_facts, returnable_quantities

TODAY = date(2026, 3, 1)
ALLOWANCE = {"allowance": rule("exception", percent="15", period_days=365)}
FREQUENCY = {"request_frequency": rule("exception", max_requests=2, period_days=30)}
COOLDOWN = {"cooldown": rule("blocking", days=60)}
ALL = {**ALLOWANCE, **FREQUENCY, **COOLDOWN}


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


@pytest.fixture
def world(db_session):
    class World:
        session = db_session
        account = make_account(db_session)
        version = make_published_workflow(db_session)
        rotation = make_return_type(db_session, version.workflow_id, policy=ALL)
        defective = make_return_type(db_session, version.workflow_id)

        def rma(self, submitted: datetime | None, state="authorized", value="100.00", **fields):
            fields.setdefault("return_type", self.rotation)
            fields.setdefault("account", self.account)
            account = fields.pop("account")
            return make_rma(
                self.session,
                account,
                self.version,
                submitted_at=submitted,
                state=state,
                total_value=Decimal(value),
                **fields,
            )

        def facts(self, policy=ALL, exclude=None, today=TODAY):
            return load_facts(
                self.session, self.account, self.rotation, policy, today, exclude_rma_id=exclude
            )

    return World()


def test_net_purchases_in_the_period(world, db_session):
    product = make_product(db_session)
    for invoiced, price in [
        (date(2025, 3, 2), "100.00"),  # first day of the 365 days ending 2026-03-01
        (date(2026, 3, 1), "10.50"),  # today
        (date(2025, 3, 1), "1000.00"),  # one day too early
        (date(2026, 3, 2), "1000.00"),  # tomorrow: not invoiced yet as of today
    ]:
        make_order(db_session, world.account, [(product, 2, price)], invoice_date=invoiced)
    make_order(
        db_session,
        world.account,
        [(product, 3, "33.3333")],
        invoice_date=date(2025, 12, 1),
    )
    make_order(db_session, world.account, [(product, 1, "999")], currency="CHF")
    make_order(db_session, make_account(db_session), [(product, 5, "999")])
    facts = world.facts(ALLOWANCE)
    assert facts.currency == "EUR"
    assert facts.allowance_period_days == 365
    # 2 × 100 + 2 × 10.50 + 3 × 33.3333 = 320.9999
    assert facts.net_purchases == Decimal("320.9999")


def test_what_counts_against_the_allowance(world, db_session):
    counted = [
        world.rma(at(date(2025, 3, 2), 0, 0), value="100.00"),  # first instant of the period
        world.rma(at(date(2026, 2, 1)), state="rep_review", value="250.50"),  # pending
        world.rma(at(date(2026, 3, 1), 23, 59), state="closed", value="30.00"),  # completed
    ]
    world.rma(None, state="draft", value="1000")  # never submitted
    world.rma(at(date(2026, 2, 1)), state="rejected", value="1000")
    world.rma(at(date(2026, 2, 1)), state="cancelled", value="1000")
    world.rma(at(date(2025, 3, 1), 23, 59), value="1000")  # before the period
    world.rma(at(date(2026, 3, 2), 0, 0), value="1000")  # after today
    world.rma(at(date(2026, 2, 1)), value="1000", return_type=world.defective)
    world.rma(at(date(2026, 2, 1)), value="1000", account=make_account(db_session))
    facts = world.facts(ALLOWANCE)
    assert facts.allowance_used == Decimal("380.50")
    assert len(counted) == 3
    assert world.facts(ALLOWANCE, exclude=counted[1].id).allowance_used == Decimal("130.00")


def memo_for(session, rma, amount: str) -> None:
    session.add(
        CreditMemo(
            number=f"CM-F-{rma.id:06d}",
            rma_id=rma.id,
            account_id=rma.account_id,
            currency=rma.currency,
            amount=Decimal(amount),
        )
    )
    session.flush()


def test_credited_rmas_count_at_what_was_credited(world, db_session):
    # The reported case: submitted at €846.80, credited €3,039.20.
    credited = world.rma(at(date(2026, 2, 1)), state="credited", value="846.80")
    memo_for(db_session, credited, "3039.20")
    world.rma(at(date(2026, 2, 2)), state="authorized", value="100.00")  # at its value
    world.rma(at(date(2026, 2, 3)), state="rep_review", value="50.00")  # at its value
    rejected = world.rma(at(date(2026, 2, 4)), state="rejected", value="1000.00")
    memo_for(db_session, rejected, "1000.00")  # a rejected RMA never counts
    old = world.rma(at(date(2025, 1, 4)), state="closed", value="10.00")
    memo_for(db_session, old, "2000.00")  # before the period
    facts = world.facts(ALLOWANCE)
    assert facts.allowance_used == Decimal("3189.20")
    assert facts.allowance_credited == Decimal("3039.20")
    alone = world.facts(ALLOWANCE, exclude=credited.id)
    assert (alone.allowance_used, alone.allowance_credited) == (Decimal("150.00"), Decimal(0))


def test_requests_in_period_and_last_submission(world):
    world.rma(at(date(2025, 11, 2)))
    world.rma(at(date(2026, 1, 31)))  # 30-day period ending 2026-03-01 starts 2026-01-31
    latest = world.rma(at(date(2026, 2, 20)))
    world.rma(at(date(2026, 2, 25)), state="cancelled")
    world.rma(None, state="draft")
    facts = world.facts()
    assert facts.requests_in_period == 2
    assert facts.frequency_period_days == 30
    assert facts.last_submitted_on == date(2026, 2, 20)
    without_latest = world.facts(exclude=latest.id)
    assert without_latest.requests_in_period == 1
    assert without_latest.last_submitted_on == date(2026, 1, 31)


def test_an_account_without_history(world):
    facts = world.facts()
    assert facts.net_purchases == 0 and facts.allowance_used == 0
    assert facts.requests_in_period == 0 and facts.last_submitted_on is None


def test_only_what_enabled_rules_need_is_queried(world, count_queries):
    world.facts({})
    assert len(count_queries) == 0
    world.facts(COOLDOWN)
    assert len(count_queries) == 1
    world.facts(ALL)
    assert len(count_queries) == 3  # net purchases + one aggregate over RMAs
    disabled = {"allowance": {"enabled": False, "percent": "15", "period_days": 365}}
    facts = world.facts(disabled)
    assert len(count_queries) == 3
    assert facts.allowance_period_days is None


def test_loaded_facts_drive_the_rules(world, db_session):
    product = make_product(db_session)
    make_order(db_session, world.account, [(product, 100, "100.00")], invoice_date=date(2025, 9, 1))
    world.rma(at(date(2026, 2, 10)), value="1200.00")
    request = PolicyRequest(today=TODAY, facts=world.facts())
    messages = [f.message for f in evaluate(ALL, request).findings]
    assert messages == [
        "Allowance: €1,200.00 of €1,500.00 used in the last 12 months, €300.00 left "
        "(this request: €0.00)",
        "Cooldown: last request submitted 2026-02-10; the next one is possible from "
        "2026-04-11 (60-day cooldown)",
        "Request frequency: this is request 2 of at most 2 in the last 30 days",
    ]


class TestReturnableQuantities:
    @pytest.fixture
    def lines(self, world, db_session):
        product = make_product(db_session)
        order = make_order(
            db_session, world.account, [(product, 10, "50"), (product, 4, "50"), (product, 2, "50")]
        )
        return order.lines

    def add(self, world, rma, order_line, quantity):
        world.session.add(
            RmaLine(rma_id=rma.id, order_line_id=order_line.id, quantity_requested=quantity)
        )
        world.session.flush()

    def test_counting_rmas_reduce_what_is_left(self, world, lines):
        first, second, third = lines
        submitted = world.rma(at(date(2026, 2, 1)))
        closed = world.rma(at(date(2026, 1, 1)), state="closed")
        self.add(world, submitted, first, 3)
        self.add(world, closed, first, 2)
        self.add(world, submitted, second, 4)
        for state, submitted_at in [
            ("draft", None),
            ("rejected", at(date(2026, 2, 1))),
            ("cancelled", at(date(2026, 2, 1))),
        ]:
            self.add(world, world.rma(submitted_at, state=state), third, 2)
        ids = [first.id, second.id, third.id]
        assert returnable_quantities(world.session, ids) == {first.id: 5, second.id: 0, third.id: 2}
        assert returnable_quantities(world.session, ids, exclude_rma_id=submitted.id) == {
            first.id: 8,
            second.id: 4,
            third.id: 2,
        }

    def test_never_below_zero_and_unknown_ids_left_out(self, world, lines):
        first = lines[0]
        over = world.rma(at(date(2026, 2, 1)))
        self.add(world, over, first, 10)
        self.add(world, world.rma(at(date(2026, 2, 2))), first, 3)
        assert returnable_quantities(world.session, [first.id, 987654]) == {first.id: 0}

    def test_one_query_for_any_number_of_lines(self, world, db_session, count_queries):
        product = make_product(db_session)
        order = make_order(db_session, world.account, [(product, 5, "10")] * 60)
        ids = [line.id for line in order.lines]
        before = len(count_queries)
        result = returnable_quantities(db_session, ids + ids)
        assert len(count_queries) - before == 1
        assert result == dict.fromkeys(ids, 5)

    def test_no_ids_no_query(self, world, count_queries):
        assert returnable_quantities(world.session, []) == {}
        assert len(count_queries) == 0


def test_an_allowance_over_calendar_months(world, db_session):
    """12 months ending 2028-03-31 start on 2027-04-01; the 29 Feb in them makes 366 days."""
    product = make_product(db_session)
    for invoiced, price in [
        (date(2027, 4, 1), "100.00"),  # the first day of the 12 months
        (date(2027, 3, 31), "1000.00"),  # one day too early
        (date(2028, 2, 29), "10.00"),
    ]:
        make_order(db_session, world.account, [(product, 1, price)], invoice_date=invoiced)
    world.rma(at(date(2027, 4, 1), 0, 0), value="40.00")
    world.rma(at(date(2027, 3, 31), 23, 59), value="1000")  # before the period
    months = {
        "allowance": rule("exception", percent="12", period_days={"count": 12, "unit": "months"})
    }
    facts = world.facts(months, today=date(2028, 3, 31))
    assert facts.allowance_period_days == 366
    assert facts.net_purchases == Decimal("110.00")
    assert facts.allowance_used == Decimal("40.00")


def test_a_request_frequency_over_weeks(world, db_session):
    weeks = {
        "request_frequency": rule(
            "exception", max_requests=2, period_days={"count": 2, "unit": "weeks"}
        )
    }
    world.rma(at(date(2026, 2, 16), 0, 0))  # the first of the 14 days ending 2026-03-01
    world.rma(at(date(2026, 2, 15), 23, 59))  # one day too early
    facts = world.facts(weeks)
    assert facts.frequency_period_days == 14
    assert facts.requests_in_period == 1
