"""Demo data: deterministic, consistent, and the advertised logins work."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

import pytest
from email_validator import validate_email
from sqlalchemy import func, select

from models import (
    CreditMemo,
    InventoryLevel,
    LedgerEntry,
    Order,
    OrderLine,
    Product,
    RetailerAccount,
    ReturnAddress,
    Rma,
    RmaEvent,
    RmaLine,
    Role,
    User,
    Warehouse,
)
from portal.auth.passwords import verify_password
from portal.demo import DEMO_LOGINS, DEMO_PASSWORD, SCALES, load_demo
from portal.demo.accounts import generate_accounts
from portal.demo.catalog import generate_products
from portal.demo.cli import demo
from portal.rmas.numbering import next_number, next_rma_number
from tests.factories import make_user
from workflow_designer.engine import compile_workflow

TODAY = date(2026, 3, 15)
SMALL = SCALES["small"]


def count(session, model) -> int:
    return session.scalar(select(func.count()).select_from(model))


def snapshot(session) -> dict[str, list]:
    return {
        "skus": session.scalars(select(Product.sku).order_by(Product.id)).all(),
        "emails": session.scalars(select(User.email).order_by(User.id)).all(),
        "accounts": session.execute(
            select(RetailerAccount.number, RetailerAccount.name).order_by(RetailerAccount.id)
        ).all(),
        "lines": session.execute(
            select(
                Order.invoice_number,
                Order.invoice_date,
                OrderLine.quantity,
                OrderLine.unit_net_price,
            )
            .join(OrderLine.order)
            .order_by(OrderLine.id)
        ).all(),
    }


@pytest.fixture
def loaded(db_session):
    summary = load_demo(db_session, seed=7, today=TODAY, scale=SMALL)
    return db_session, summary


def test_same_seed_gives_the_same_data(loaded):
    session, summary = loaded
    first = snapshot(session)
    session.rollback()  # back to the test's savepoint: an empty database again
    assert count(session, User) == 0

    again = load_demo(session, seed=7, today=TODAY, scale=SMALL)

    assert snapshot(session) == first
    assert again == summary


def test_another_seed_gives_other_data(loaded):
    session, _summary = loaded
    first = snapshot(session)
    session.rollback()

    load_demo(session, seed=8, today=TODAY, scale=SMALL)

    assert snapshot(session)["skus"] != first["skus"]


def test_summary_counts_match_the_database_and_the_scale(loaded):
    session, summary = loaded
    assert summary.accounts == count(session, RetailerAccount) == SMALL.accounts
    assert summary.products == count(session, Product) == SMALL.products
    assert summary.users == count(session, User)
    assert summary.orders == count(session, Order)
    assert summary.order_lines == count(session, OrderLine) >= SMALL.order_lines
    assert summary.inventory_levels == count(session, InventoryLevel)
    assert (summary.warehouses, summary.return_addresses) == (2, 6)


def test_staff_roles(loaded):
    session, _summary = loaded
    roles = dict(session.execute(select(User.role, func.count()).group_by(User.role)).all())
    assert (roles[Role.ADMIN], roles[Role.SALES_REP], roles[Role.WAREHOUSE]) == (2, 4, 2)
    assert roles[Role.RETAILER] >= SMALL.accounts


def test_every_account_has_a_rep_a_user_and_a_return_address(loaded):
    session, _summary = loaded
    regions = set(session.scalars(select(ReturnAddress.region)))
    for account in session.scalars(select(RetailerAccount)):
        assert account.sales_rep is not None and account.sales_rep.role is Role.SALES_REP
        assert account.users and all(u.role is Role.RETAILER for u in account.users)
        assert account.region in regions
    assert count(session, Warehouse) == 2


def test_emails_are_lowercase_unique_and_valid(loaded):
    session, _summary = loaded
    emails = session.scalars(select(User.email)).all()
    assert all(email == email.lower() and email.isascii() for email in emails)
    assert len(set(emails)) == len(emails)
    # The admin user forms validate with email-validator, which refuses .test and similar.
    for email in emails:
        validate_email(email, check_deliverability=False)


def test_demo_logins_exist_and_the_retailer_belongs_to_the_listed_rep(loaded):
    session, _summary = loaded
    users = {}
    for label, email, password in DEMO_LOGINS:
        assert password == DEMO_PASSWORD
        users[label] = session.scalar(select(User).where(User.email == email))
        assert users[label] is not None, email
    assert [users[label].role for label in ("Admin", "Sales rep", "Warehouse", "Retailer")] == [
        Role.ADMIN,
        Role.SALES_REP,
        Role.WAREHOUSE,
        Role.RETAILER,
    ]
    assert users["Retailer"].account.sales_rep_id == users["Sales rep"].id
    assert verify_password(users["Retailer"].password_hash, DEMO_PASSWORD)
    # One hash for everybody: argon2 is slow, so it is computed once.
    assert len(set(session.scalars(select(User.password_hash)))) == 1


def test_orders_are_recent_priced_in_cents_in_the_account_currency(loaded):
    session, _summary = loaded
    rows = session.execute(select(Order, RetailerAccount.currency).join(Order.account)).all()
    assert rows
    for order, currency in rows:
        assert TODAY - timedelta(days=731) <= order.invoice_date < TODAY
        assert order.invoice_date.weekday() < 5
        assert order.delivery_date is None or order.invoice_date < order.delivery_date <= TODAY
        assert order.currency == currency
    prices = session.scalars(select(OrderLine.unit_net_price)).all()
    assert all(price == price.quantize(Decimal("0.01")) and price > 0 for price in prices)


def test_stock_is_mostly_new_with_some_b_stock(loaded):
    session, _summary = loaded
    grades = set(session.scalars(select(InventoryLevel.grade)))
    assert "new" in grades
    assert len(grades) >= 2


def test_refuses_a_database_with_users(db_session):
    make_user(db_session, Role.ADMIN)
    with pytest.raises(ValueError, match="already has users"):
        load_demo(db_session, today=TODAY, scale=SMALL)


def test_standard_scale_generates_a_realistic_catalog_and_customer_base():
    """Checks the full-size generator without the database (loading it is measured by hand)."""
    standard = SCALES["standard"]
    assert standard.products >= 2000
    assert standard.accounts >= 150
    assert standard.order_lines >= 50_000

    products = generate_products(random.Random("1:catalog"), standard.products, 730)
    assert len({p.sku for p in products}) == len(products) == standard.products
    assert len({p.brand for p in products}) == 10
    assert {p.category for p in products} == {"optical", "sun", "kids", "sport"}
    assert all(46 <= p.eye <= 58 and 14 <= p.bridge <= 22 for p in products)
    assert all(135 <= p.temple <= 150 for p in products)
    lifecycles = [p.lifecycle.value for p in products]
    assert lifecycles.count("active") > len(products) * 0.6
    assert {"discontinued", "clearance"} <= set(lifecycles)

    accounts = generate_accounts(random.Random("1:accounts"), standard.accounts)
    assert len({a.number for a in accounts}) == standard.accounts
    assert len({a.country for a in accounts}) >= 3
    assert {a.currency for a in accounts} >= {"EUR", "GBP", "CHF"}


def test_cli_loads_then_only_prints_logins_when_asked_if_empty(app, db_session):
    runner = app.test_cli_runner()

    loaded = runner.invoke(demo, ["--scale", "small", "--seed", "3"])
    again = runner.invoke(demo, ["--if-empty"])
    refused = runner.invoke(demo, [])

    assert loaded.exit_code == 0, loaded.output
    assert f"accounts: {SMALL.accounts}" in loaded.stdout
    assert all(email in loaded.stdout for _label, email, _password in DEMO_LOGINS)
    assert again.exit_code == 0 and "already has users" in again.stdout
    assert DEMO_LOGINS[0][1] in again.stdout
    assert refused.exit_code == 1 and "already has users" in refused.output
    assert count(db_session, RetailerAccount) == SMALL.accounts


def test_default_return_types_run_published_valid_workflows(loaded):
    from models import ReturnType, VersionStatus, WorkflowVersion
    from workflow_designer.engine import validate

    session, summary = loaded
    return_types = session.scalars(select(ReturnType).order_by(ReturnType.code)).all()
    assert [t.code for t in return_types] == ["DAMAGED", "DEFECTIVE", "ROTATION", "WRONG_ITEM"]
    assert summary.return_types == 4
    for return_type in return_types:
        (version,) = session.scalars(
            select(WorkflowVersion).where(WorkflowVersion.workflow_id == return_type.workflow_id)
        ).all()
        assert version.status is VersionStatus.PUBLISHED
        assert version.published_by.email == DEMO_LOGINS[0][1]
        assert validate(version.config) == []
        assert return_type.reasons and return_type.resolutions


# The bulk RMAs of the large scale, run at the `tiny` scale: on PostgreSQL through COPY.
TINY = SCALES["tiny"]


@pytest.fixture
def tiny(db_session):
    return db_session, load_demo(db_session, seed=7, today=TODAY, scale=TINY)


def rma_snapshot(session) -> list[tuple]:
    lines = (
        select(
            RmaLine.rma_id,
            Order.invoice_number,
            OrderLine.line_number,
            RmaLine.quantity_requested,
            RmaLine.quantity_received,
        )
        .join(OrderLine, RmaLine.order_line_id == OrderLine.id)
        .join(Order, OrderLine.order_id == Order.id)
        .subquery()
    )
    return session.execute(
        select(
            Rma.number,
            Rma.state,
            Rma.total_value,
            Rma.submitted_at,
            lines.c.invoice_number,
            lines.c.line_number,
            lines.c.quantity_requested,
            lines.c.quantity_received,
        )
        .join(lines, lines.c.rma_id == Rma.id)
        .order_by(Rma.number, lines.c.invoice_number, lines.c.line_number)
    ).all()


def test_tiny_scale_files_rmas_across_the_workflows_states(tiny):
    session, summary = tiny
    assert summary.rmas == TINY.rmas == count(session, Rma)
    assert summary.rma_lines == count(session, RmaLine)
    assert summary.rma_events == count(session, RmaEvent)
    states = set(session.scalars(select(Rma.state)))
    # Queues, approvals, the back office and the ends of the flow are all populated.
    assert {"draft", "authorized", "awaiting_receipt", "closed", "cancelled"} <= states
    assert len(states) >= 10


def test_tiny_scale_rmas_are_consistent_with_their_workflow(tiny):
    session, _summary = tiny
    rmas = session.scalars(select(Rma).order_by(Rma.id)).all()
    for rma in rmas:
        compiled = compile_workflow(rma.workflow_version.config)
        assert rma.state in compiled.states
        events = rma.events
        # One event per state change, chained from the initial state to the current one.
        previous = compiled.doc["initial"]
        for event in events:
            assert event.from_state == previous
            allowed = {t.dest for t in compiled.outgoing[previous] if t.trigger == event.trigger}
            assert event.to_state in allowed, (rma.number, event.trigger, previous)
            previous = event.to_state
        assert previous == rma.state
        submits = [e for e in events if e.trigger == "submit"]
        assert (rma.submitted_at is not None) == bool(submits)
        assert rma.created_at <= (events[-1].created_at if events else rma.created_at)
        assert rma.created_at.date() < TODAY
        # Lines return the account's own invoiced lines; the value is what they cost.
        assert rma.lines
        value = Decimal(0)
        for line in rma.lines:
            assert line.order_line.order.account_id == rma.account_id
            assert 0 < line.quantity_requested <= line.order_line.quantity
            # More arrived than was asked for only where a decision on the excess was
            # taken (the showcase's over-receipts, portal.demo.signals).
            assert line.quantity_received <= line.quantity_requested or line.excess_decision
            value += line.quantity_requested * line.order_line.unit_net_price
        assert rma.total_value == value.quantize(Decimal("0.01"))
        reached = {e.to_state for e in events}
        assert (rma.label_issued_at is not None) == ("authorized" in reached)
        for line in rma.lines:
            expected = line.quantity_requested if "authorized" in reached else 0
            assert line.quantity_authorized == expected
        approval = compiled.states[rma.state].approval
        assert (rma.approval_step is not None) == (approval is not None)


def test_tiny_scale_never_returns_more_than_was_invoiced(tiny):
    session, _summary = tiny
    returned = (
        select(OrderLine.id)
        .join(RmaLine, RmaLine.order_line_id == OrderLine.id)
        .group_by(OrderLine.id, OrderLine.quantity)
        .having(func.sum(RmaLine.quantity_requested) > OrderLine.quantity)
    )
    assert session.scalars(returned).all() == []


def test_tiny_scale_credits_every_credited_rma_once_in_memo_and_ledger(tiny):
    session, summary = tiny
    credited = {
        e.rma_id for e in session.scalars(select(RmaEvent).where(RmaEvent.to_state == "credited"))
    }
    memos = session.scalars(select(CreditMemo)).all()
    assert summary.credit_memos == len(memos) > 0
    assert {memo.rma_id for memo in memos} == credited
    for memo in memos:
        rma = session.get(Rma, memo.rma_id)
        assert memo.account_id == rma.account_id and memo.currency == rma.currency
        assert memo.amount == sum((line.credit for line in rma.lines), Decimal(0))
        assert memo.amount == sum((line.amount for line in memo.lines), Decimal(0))
        assert sum(line.quantity for line in memo.lines) == sum(
            line.quantity_received for line in rma.lines
        )
        (entry,) = session.scalars(select(LedgerEntry).where(LedgerEntry.credit_memo_id == memo.id))
        assert entry.amount == memo.amount and rma.number in entry.description
    # Memo numbers continue where the demo stopped.
    last = session.scalar(
        select(CreditMemo.number)
        .where(CreditMemo.number.like("CM-2026-%"))
        .order_by(CreditMemo.number.desc())
    )
    following = next_number(session, "CM", datetime(2026, 3, 15, tzinfo=UTC))
    assert int(following.rsplit("-", 1)[1]) == int(last.rsplit("-", 1)[1]) + 1


def test_tiny_scale_numbers_continue_after_the_demo(tiny):
    session, _summary = tiny
    last = session.scalar(
        select(Rma.number).where(Rma.number.like("RMA-2026-%")).order_by(Rma.number.desc())
    )
    following = next_rma_number(session, datetime(2026, 3, 15, tzinfo=UTC))
    assert int(following.rsplit("-", 1)[1]) == int(last.rsplit("-", 1)[1]) + 1


def test_tiny_scale_is_deterministic(tiny):
    session, summary = tiny
    first = rma_snapshot(session)
    session.rollback()
    assert count(session, Rma) == 0
    again = load_demo(session, seed=7, today=TODAY, scale=TINY)
    assert again == summary
    assert rma_snapshot(session) == first


def test_tiny_scale_answers_surveys_of_resolved_rmas_only(tiny):
    from models import FeedbackAnswer
    from portal.feedback.rules import is_resolved

    session, summary = tiny
    answers = session.scalars(select(FeedbackAnswer).order_by(FeedbackAnswer.id)).all()
    assert summary.feedback_answers == len(answers) >= 5
    for answer in answers:
        rma = answer.rma
        assert is_resolved(compile_workflow(rma.workflow_version.config), rma.state, rma.resolution)
        assert answer.answered_by.account_id == rma.account_id
        assert rma.updated_at < answer.created_at <= datetime.combine(TODAY, time(0), UTC)
        assert (answer.rating >= 4) <= all(tag.went_well for tag in answer.tags)
    # Some answered RMAs, some still asked about: both sides of the survey show.
    assert {answer.rating for answer in answers} >= {3, 4, 5}
    assert len(answers) < sum(
        is_resolved(compile_workflow(rma.workflow_version.config), rma.state, rma.resolution)
        for rma in session.scalars(select(Rma))
    )


def test_the_warranty_return_type_asks_the_condition_questionnaire(loaded):
    from models import PolicyVersion, ReturnType
    from workflow_designer.policy import validate_policy
    from workflow_designer.policy.questionnaire import questions_of

    session, _summary = loaded
    warranty = session.scalar(select(ReturnType).where(ReturnType.code == "DEFECTIVE"))
    assert validate_policy(warranty.policy) == []
    questions = questions_of(warranty.policy)
    assert [q.text for q in questions] == [
        "Frame condition",
        "Demo lenses and coating",
        "Case and cleaning cloth",
    ]
    numbers = session.scalars(
        select(PolicyVersion.number).where(PolicyVersion.return_type_id == warranty.id)
    ).all()
    assert sorted(numbers) == [1, 2]  # the default policy, then the questionnaire
