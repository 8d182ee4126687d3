"""The world most RMA tests act in: an account with its rep and retailer, another account,
the staff, a published workflow and a return type; and RMAs with lines on real order lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from models import RetailerAccount, ReturnType, Rma, RmaLine, Role, User, WorkflowVersion
from tests.factories import (
    make_account,
    make_order,
    make_product,
    make_published_workflow,
    make_retailer,
    make_return_type,
    make_rma,
    make_user,
)
from workflow_designer.runtime import firing as runtime
from workflow_designer.runtime.firing import fire


@dataclass
class World:
    rep: User
    account: RetailerAccount
    retailer: User
    admin: User
    warehouse: User
    other_rep: User
    other_account: RetailerAccount
    other_retailer: User
    version: WorkflowVersion
    return_type_id: int


def add_rma(session: Session, world: World, **fields) -> Rma:
    """An RMA of two lines (3 × €40 new and 2 × €55 used) on one invoice of the account."""
    aurora = make_product(session, brand="Aurora", model="Meridian", colour="Tortoise")
    velo = make_product(session, brand="Velo", model="Sprint", colour="Matte black")
    order = make_order(session, world.account, [(aurora, 5, "40.00"), (velo, 4, "55.00")])
    fields.setdefault("total_value", Decimal("230.00"))
    fields.setdefault("return_type", session.get(ReturnType, world.return_type_id))
    rma = make_rma(session, world.account, world.version, **fields)
    for order_line, quantity, condition in zip(order.lines, (3, 2), ("new", "used"), strict=True):
        session.add(
            RmaLine(
                rma_id=rma.id,
                order_line_id=order_line.id,
                quantity_requested=quantity,
                reason="Slow seller",
                condition=condition,
            )
        )
    session.flush()
    session.expire(rma, ["lines"])
    return rma


@pytest.fixture(autouse=True)
def fresh_machine_cache():
    """SQLite reuses the ids of rolled-back rows, so a workflow version id cached by one test
    can name another test's version: start and end each test with an empty cache."""
    runtime.MACHINES.clear()
    yield
    runtime.MACHINES.clear()


@pytest.fixture
def world(db_session) -> World:
    rep = make_user(db_session, Role.SALES_REP, name="Rita Rep")
    account = make_account(db_session, sales_rep=rep, name="Optik Sonnenschein")
    other_rep = make_user(db_session, Role.SALES_REP, name="Otto Other")
    other_account = make_account(db_session, sales_rep=other_rep, name="Brillen Nord")
    version = make_published_workflow(db_session, "stock_rotation")
    policy = {"restocking_fee": {"enabled": True, "percent": "10"}}
    return_type = make_return_type(
        db_session, version.workflow_id, name="Stock rotation", policy=policy
    )
    return World(
        rep=rep,
        account=account,
        retailer=make_retailer(db_session, account, name="Olga Optician"),
        admin=make_user(db_session, Role.ADMIN, name="Ada Admin"),
        warehouse=make_user(db_session, Role.WAREHOUSE, name="Walter Warehouse"),
        other_rep=other_rep,
        other_account=other_account,
        other_retailer=make_retailer(db_session, other_account, name="Nora Nord"),
        version=version,
        return_type_id=return_type.id,
    )


NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def authorized_rma(session: Session, world: World, **fields) -> Rma:
    """An RMA the retailer submitted within policy: authorized, label issued."""
    rma = add_rma(session, world, policy_passed=True, submitted_at=NOW, **fields)
    fire(session, rma, "submit", world.retailer, now=NOW)
    session.flush()
    return rma


def rma_in_rep_review(session: Session, world: World, **fields) -> Rma:
    """An RMA with an exception request, waiting for the account's rep (step 1)."""
    rma = add_rma(session, world, exception_requested=True, submitted_at=NOW, **fields)
    fire(session, rma, "submit", world.retailer, now=NOW)
    session.flush()
    return rma
