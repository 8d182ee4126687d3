"""Demo data: deterministic, consistent, and the advertised logins work."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from email_validator import validate_email
from sqlalchemy import func, select

from models import (
    InventoryLevel,
    Order,
    OrderLine,
    Product,
    RetailerAccount,
    ReturnAddress,
    Role,
    User,
    Warehouse,
)
from portal.auth.passwords import verify_password
from portal.demo import DEMO_LOGINS, DEMO_PASSWORD, SCALES, load_demo
from portal.demo.accounts import generate_accounts
from portal.demo.catalog import generate_products
from portal.demo.cli import demo
from tests.factories import make_user

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
    from workflow_designer import validate

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
