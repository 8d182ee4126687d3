"""The one test world: the cast every scenario builds (accounts with their reps and
retailers, the staff, a warehouse, a published workflow, a return type, orders with
products, RMAs in given states) and the ``World`` that holds what tests read.

Scenarios build through ``WorldBuilder`` step by step, in their own order (each step
creates its rows when called, so a scenario keeps the ids and names its tests expect), and
add only what is specific to them. The RMA tests' world is ``world`` below; the request
flow's, the security tests', the back office's ``shop`` and the query budgets' build on
the same builder."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.orm import Session

from models import (
    Order,
    OrderLine,
    Product,
    RetailerAccount,
    ReturnType,
    Rma,
    RmaLine,
    Role,
    User,
    Warehouse,
    WorkflowVersion,
)
from tests.factories import (
    make_account,
    make_order,
    make_policy_version,
    make_product,
    make_published_workflow,
    make_retailer,
    make_return_address,
    make_return_type,
    make_rma,
    make_rma_with_lines,
    make_user,
    make_warehouse,
)
from workflow_designer.runtime import firing as runtime
from workflow_designer.runtime.firing import fire


@dataclass
class World:
    """What tests read. The common cast first; a scenario fills the fields it builds."""

    rep: User | None = None
    account: RetailerAccount | None = None
    retailer: User | None = None
    other_rep: User | None = None
    other_account: RetailerAccount | None = None
    other_retailer: User | None = None
    admin: User | None = None
    warehouse_user: User | None = None
    warehouse: Warehouse | None = None
    version: WorkflowVersion | None = None
    return_type: ReturnType | None = None
    products: dict[str, Product] = field(default_factory=dict)
    order: Order | None = None  # the account's first order
    # Scenario extras.
    lines: dict[str, OrderLine] = field(default_factory=dict)  # named order lines
    other_line: OrderLine | None = None  # an order line of the other account
    types: dict[str, Any] = field(default_factory=dict)  # return types a test adds
    rmas: dict[str, Rma] = field(default_factory=dict)  # named RMAs, in creation order
    versions: list[WorkflowVersion] = field(default_factory=list)  # a growing history
    memos: int = 0  # credit memos added by a growing scenario
    memo_number: str | None = None
    attachment_id: int | None = None
    notification_id: int | None = None
    outbox_id: int | None = None
    webhook_id: int | None = None
    webhook_delivery_id: int | None = None
    api_webhook_id: int | None = None  # a second subscription (the API deletes it)
    # Each identity's API token secret (every scope its role may hold), by identity name.
    api_tokens: dict[str, str] = field(default_factory=dict)
    api_token_ids: dict[str, int] = field(default_factory=dict)

    def person(self, who: str) -> User | None:
        """The user a test names by field, where ``warehouse`` (a role, as parametrized test
        ids name it) is the warehouse user, not the warehouse."""
        return self.warehouse_user if who == "warehouse" else getattr(self, who)

    @property
    def users(self) -> dict[str, User | None]:
        """The identities the security tests act as (``anonymous`` is nobody)."""
        return {
            "anonymous": None,
            "retailer_a": self.retailer,
            "retailer_b": self.other_retailer,
            "rep_a": self.rep,
            "rep_other": self.other_rep,
            "warehouse": self.warehouse_user,
            "admin": self.admin,
        }

    @property
    def rma_numbers(self) -> list[str]:
        return [rma.number for rma in self.rmas.values()]


class WorldBuilder:
    """Builds a ``World`` one step at a time. Each step creates and flushes its rows when
    called, so a scenario chooses the order (and with it the ids its tests see); the cast
    steps return the builder, ``order`` and ``rma`` the row they made."""

    def __init__(self, session: Session, world: World | None = None) -> None:
        self.session = session
        self.world = world if world is not None else World()  # one to build on, or a new one

    def accounts(
        self,
        name: str | None = None,
        other_name: str | None = None,
        *,
        other: bool = True,
        **fields: Any,
    ) -> WorldBuilder:
        """Rita Rep's account and, unless ``other=False``, Otto Other's account (the reps
        first, then the accounts). ``fields`` (region, currency…) apply to the first only."""
        session, world = self.session, self.world
        world.rep = make_user(session, Role.SALES_REP, name="Rita Rep")
        if other:
            world.other_rep = make_user(session, Role.SALES_REP, name="Otto Other")
        if name is not None:
            fields["name"] = name
        world.account = make_account(session, sales_rep=world.rep, **fields)
        if other:
            other_fields = {} if other_name is None else {"name": other_name}
            world.other_account = make_account(session, sales_rep=world.other_rep, **other_fields)
        return self

    def retailer(self, **fields: Any) -> WorldBuilder:
        self.world.retailer = make_retailer(self.session, self.world.account, **fields)
        return self

    def other_retailer(self, **fields: Any) -> WorldBuilder:
        self.world.other_retailer = make_retailer(self.session, self.world.other_account, **fields)
        return self

    def admin(self, name: str = "Ada Admin") -> WorldBuilder:
        self.world.admin = make_user(self.session, Role.ADMIN, name=name)
        return self

    def warehouse_user(self, name: str = "Wanda Warehouse") -> WorldBuilder:
        self.world.warehouse_user = make_user(self.session, Role.WAREHOUSE, name=name)
        return self

    def warehouse(self, region: str | None = None, **fields: Any) -> WorldBuilder:
        """A warehouse; with ``region``, the return address of that region."""
        self.world.warehouse = make_warehouse(self.session, **fields)
        if region is not None:
            make_return_address(self.session, self.world.warehouse, region)
        return self

    def products(self, **specs: dict[str, Any]) -> WorldBuilder:
        """Named products: ``aurora={"sku": "AUR-1", ...}``."""
        for key, product_fields in specs.items():
            self.world.products[key] = make_product(self.session, **product_fields)
        return self

    def order(
        self,
        lines: list[tuple[str, int, str]],
        account: RetailerAccount | None = None,
        **fields: Any,
    ) -> Order:
        """An order of (product key, quantity, unit price) lines for ``account`` (the
        world's by default); the account's first one becomes ``world.order``."""
        world = self.world
        account = account or world.account
        products = world.products
        order = make_order(
            self.session, account, [(products[k], q, p) for k, q, p in lines], **fields
        )
        if account is world.account and world.order is None:
            world.order = order
        return order

    def workflow(self, template: str = "stock_rotation") -> WorldBuilder:
        self.world.version = make_published_workflow(self.session, template)
        return self

    def return_type(self, **fields: Any) -> WorldBuilder:
        """The world's return type, with its policy as version 1 (as the migration that
        brought policy versions gave every return type)."""
        self.world.return_type = make_return_type(
            self.session, self.world.version.workflow_id, **fields
        )
        make_policy_version(self.session, self.world.return_type)
        return self

    def rma(self, key: str, state: str, lines: tuple[tuple[int, int], ...], **fields: Any) -> Rma:
        """An RMA of the account in ``state`` returning (index of a line of the world's
        order, quantity) pairs, under the world's workflow and return type."""
        world = self.world
        fields.setdefault("return_type", world.return_type)
        rma = make_rma_with_lines(
            self.session,
            world.account,
            world.version,
            [(world.order.lines[i], quantity) for i, quantity in lines],
            state=state,
            **fields,
        )
        world.rmas[key] = rma
        return rma


def add_rma(session: Session, world: World, **fields) -> Rma:
    """An RMA of two lines (3 × €40 new and 2 × €55 used) on one invoice of the account."""
    aurora = make_product(session, brand="Aurora", model="Meridian", colour="Tortoise")
    velo = make_product(session, brand="Velo", model="Sprint", colour="Matte black")
    order = make_order(session, world.account, [(aurora, 5, "40.00"), (velo, 4, "55.00")])
    fields.setdefault("total_value", Decimal("230.00"))
    fields.setdefault("return_type", session.get(ReturnType, world.return_type.id))
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


def build_rma_world(session: Session) -> World:
    """The RMA tests' world: two accounts, staff, a stock rotation workflow whose return
    type charges a 10 % restocking fee."""
    policy = {"restocking_fee": {"enabled": True, "percent": "10"}}
    return (
        WorldBuilder(session)
        .accounts("Optik Sonnenschein", "Brillen Nord")
        .workflow()
        .return_type(name="Stock rotation", policy=policy)
        .retailer(name="Olga Optician")
        .admin()
        .warehouse_user("Walter Warehouse")
        .other_retailer(name="Nora Nord")
        .world
    )


@pytest.fixture
def world(db_session) -> World:
    return build_rma_world(db_session)


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
