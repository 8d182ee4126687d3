"""``load_demo``: fill an empty database with a realistic eyewear distributor.

Deterministic: the same seed and the same ``today`` give the same rows. Each part (staff
and accounts, catalog, stock, orders) draws from its own random stream, so changing how
orders are generated does not change SKUs or e-mail addresses. Rows go in with bulk
inserts; the caller commits.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import date

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from models import (
    DistributorProfile,
    InventoryLevel,
    Order,
    OrderLine,
    Product,
    RetailerAccount,
    ReturnAddress,
    User,
    Warehouse,
)
from models.base import utcnow
from models.distributor import PROFILE_ID
from portal.analytics.flow_refresh import rebuild_flow_rollups
from portal.analytics.refresh import refresh_rollups
from portal.auth.passwords import hash_password
from portal.demo.accounts import (
    DISTRIBUTOR,
    SHOWCASE_NUMBER,
    SHOWCASE_USER,
    STAFF,
    WAREHOUSES,
    AccountSpec,
    email_address,
    generate_accounts,
    retailer_domain,
    return_address_rows,
    staff_rows,
)
from portal.demo.bulk import reserve_ids, write_rows
from portal.demo.catalog import generate_products, inventory_rows
from portal.demo.feedback import load_feedback
from portal.demo.orderbook import OrderBook
from portal.demo.orders import InvoicePlan, generate_invoices, period_start
from portal.demo.questionnaire import add_questionnaire
from portal.demo.rma_loading import load_rmas
from portal.demo.signals import stage_signals
from portal.demo.translations import translate_return_types
from workflow_designer.runtime.defaults import install_default_return_types

ORDER_COLUMNS = ("id", "invoice_number", "account_id", "invoice_date", "delivery_date", "currency")
LINE_COLUMNS = ("id", "order_id", "line_number", "product_id", "quantity", "unit_net_price")
DEFAULT_SEED = 2026
DEMO_PASSWORD = "rotaflow-demo"


@dataclass(frozen=True)
class DemoScale:
    """How much to generate. Staff, warehouses and regions are the same at every scale."""

    products: int
    accounts: int
    order_lines: int
    months: int = 24
    rmas: int = 0  # RMAs across every workflow state, with their event logs


SCALES = {
    "standard": DemoScale(products=2_400, accounts=180, order_lines=60_000, rmas=600),
    "small": DemoScale(products=120, accounts=12, order_lines=600),
    # The large data set to measure with; `tiny` runs the same bulk code in seconds (tests).
    "large": DemoScale(products=20_000, accounts=1_000, order_lines=2_000_000, rmas=200_000),
    "tiny": DemoScale(products=120, accounts=12, order_lines=800, rmas=150),
}


def _login(key: str) -> str:
    return next(s.email for s in STAFF if s.key == key)


# (role label, e-mail, password) to show in the README and on `rotaflow demo`. The retailer
# uses the showcase account, which belongs to the listed sales rep's territory.
DEMO_LOGINS: list[tuple[str, str, str]] = [
    ("Admin", _login("admin"), DEMO_PASSWORD),
    ("Sales rep", _login("north"), DEMO_PASSWORD),
    ("Warehouse", _login("central"), DEMO_PASSWORD),
    (
        "Retailer",
        email_address(*SHOWCASE_USER, retailer_domain(SHOWCASE_NUMBER)),
        DEMO_PASSWORD,
    ),
]


@dataclass(frozen=True)
class DemoSummary:
    users: int
    accounts: int
    products: int
    warehouses: int
    return_addresses: int
    inventory_levels: int
    return_types: int
    orders: int
    order_lines: int
    first_invoice: date | None
    last_invoice: date | None
    rmas: int = 0
    rma_lines: int = 0
    rma_events: int = 0
    inspection_results: int = 0
    credit_memos: int = 0
    feedback_answers: int = 0

    def counts(self) -> list[tuple[str, int]]:
        return [
            (f.name.replace("_", " "), getattr(self, f.name))
            for f in fields(self)
            if isinstance(getattr(self, f.name), int)
        ]


def database_has_users(session: Session) -> bool:
    return session.scalar(select(func.count()).select_from(User)) > 0


def load_demo(
    session: Session,
    *,
    seed: int = DEFAULT_SEED,
    today: date | None = None,
    scale: DemoScale = SCALES["standard"],
) -> DemoSummary:
    """Insert the demo distributor into an empty database, with orders up to ``today``."""
    today = today or date.today()
    if database_has_users(session):
        raise ValueError("the database already has users; the demo only fills an empty one")
    password_hash = hash_password(DEMO_PASSWORD)  # once: argon2 is slow on purpose

    session.add(DistributorProfile(id=PROFILE_ID, **DISTRIBUTOR))
    warehouse_ids = _insert_ids(session, Warehouse, list(WAREHOUSES), "code")
    addresses = return_address_rows(warehouse_ids)
    session.execute(insert(ReturnAddress), addresses)
    accounts, account_ids, users = _load_people(session, seed, scale, password_hash)

    period_days = (today - period_start(today, scale.months)).days
    products = generate_products(random.Random(f"{seed}:catalog"), scale.products, period_days)
    product_ids = list(_insert_ids(session, Product, [p.row() for p in products], "sku").values())
    stock = inventory_rows(
        random.Random(f"{seed}:stock"), products, product_ids, list(warehouse_ids.values())
    )
    session.execute(insert(InventoryLevel), stock)

    invoices = generate_invoices(
        random.Random(f"{seed}:orders"), accounts, products, today, scale.months, scale.order_lines
    )
    book = OrderBook()
    history = _load_orders(session, invoices, accounts, account_ids, product_ids, book)
    admin = session.scalar(select(User).where(User.email == _login("admin")))
    return_types = install_default_return_types(session, admin)
    translate_return_types(return_types)
    add_questionnaire(session, return_types, admin)
    if scale.rmas:
        staff = {"admin": admin.id, "warehouse": _staff_id(session, "central")}
        history |= load_rmas(session, seed, today, scale.rmas, book, return_types, staff)
        history |= load_feedback(session, seed, today)
        stage_signals(session, account_ids[SHOWCASE_NUMBER])
    # The analytics pages read rollups only: sum them once everything is in.
    refresh_rollups(session, utcnow(), full=True)
    rebuild_flow_rollups(session, utcnow())
    return DemoSummary(
        users=users,
        accounts=len(accounts),
        products=len(products),
        warehouses=len(warehouse_ids),
        return_addresses=len(addresses),
        inventory_levels=len(stock),
        return_types=len(return_types),
        **history,
    )


def _load_people(
    session: Session, seed: int, scale: DemoScale, password_hash: str
) -> tuple[list[AccountSpec], dict[str, int], int]:
    """Staff, then accounts assigned to the reps, then each account's users."""
    staff_ids = _insert_ids(session, User, staff_rows(password_hash), "email")
    rep_ids = {s.key: staff_ids[s.email] for s in STAFF}
    accounts = generate_accounts(random.Random(f"{seed}:accounts"), scale.accounts)
    account_ids = _insert_ids(
        session, RetailerAccount, [a.row(rep_ids) for a in accounts], "number"
    )
    users = [row for a in accounts for row in a.user_rows(account_ids[a.number], password_hash)]
    session.execute(insert(User), users)
    return accounts, account_ids, len(staff_ids) + len(users)


def _load_orders(
    session: Session,
    invoices: Iterable[list[InvoicePlan]],
    accounts: list[AccountSpec],
    account_ids: dict[str, int],
    product_ids: list[int],
    book: OrderBook,
) -> dict:
    """Write the invoices a month at a time (COPY on PostgreSQL), with ids chosen here so
    lines name their order without a round trip; ``book`` keeps what RMAs may return."""
    history = {"orders": 0, "order_lines": 0, "first_invoice": None, "last_invoice": None}
    for month in invoices:
        order_id = reserve_ids(session, Order.__table__, len(month))
        line_id = reserve_ids(session, OrderLine.__table__, sum(len(i.lines) for i in month))
        order_rows, line_rows = [], []
        for invoice in month:
            account = accounts[invoice.account]
            account_id = account_ids[account.number]
            order_rows.append((
                order_id, invoice.invoice_number, account_id, invoice.invoice_date,
                invoice.delivery_date, account.currency,
            ))  # fmt: skip
            book.add_order(account_id, invoice.invoice_date, account.currency, line_id)
            for number, (product, quantity, price) in enumerate(invoice.lines, start=1):
                line_rows.append((line_id, order_id, number, product_ids[product], quantity, price))
                book.add_line(quantity, price)
                line_id += 1
            order_id += 1
        write_rows(session, Order.__table__, ORDER_COLUMNS, order_rows)
        write_rows(session, OrderLine.__table__, LINE_COLUMNS, line_rows)
        history["orders"] += len(order_rows)
        history["order_lines"] += len(line_rows)
        if month:
            history["first_invoice"] = history["first_invoice"] or month[0].invoice_date
            history["last_invoice"] = month[-1].invoice_date
    return history


def _staff_id(session: Session, key: str) -> int:
    return session.scalar(select(User.id).where(User.email == _login(key)))


def _insert_ids(session: Session, model, rows: list[dict], key: str) -> dict[str, int]:
    """Bulk-insert ``rows`` and map each row's ``key`` to its new primary key."""
    if not rows:
        return {}
    statement = insert(model).returning(model.id, sort_by_parameter_order=True)
    ids = session.scalars(statement, rows).all()
    return {row[key]: id_ for row, id_ in zip(rows, ids, strict=True)}
