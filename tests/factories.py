"""Test data builders, in one place. Each takes a session, flushes, and returns the object."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy.orm import Session

from models import (
    AccountStatus,
    Grade,
    InventoryLevel,
    Lifecycle,
    Order,
    OrderLine,
    Product,
    RetailerAccount,
    ReturnAddress,
    Role,
    User,
    Warehouse,
)
from portal.auth.passwords import hash_password
from portal.warehouse.operations import UnconfirmedReceipt, Unexpected, receive

PASSWORD = "correct horse battery"
_PASSWORD_HASH = hash_password(PASSWORD)  # hashed once: argon2 is slow on purpose
_sequence = itertools.count(1)


def _next() -> int:
    return next(_sequence)


def make_user(session: Session, role: Role = Role.ADMIN, **fields) -> User:
    n = _next()
    fields.setdefault("email", f"user{n}@example.com")
    fields.setdefault("name", f"User {n}")
    user = User(role=role, password_hash=_PASSWORD_HASH, **fields)
    session.add(user)
    session.flush()
    return user


def make_account(session: Session, sales_rep: User | None = None, **fields) -> RetailerAccount:
    n = _next()
    fields.setdefault("number", f"C{n:05d}")
    fields.setdefault("name", f"Optik {n}")
    fields.setdefault("country", "DE")
    fields.setdefault("currency", "EUR")
    fields.setdefault("region", "DE")
    fields.setdefault("status", AccountStatus.ACTIVE)
    account = RetailerAccount(sales_rep=sales_rep, **fields)
    session.add(account)
    session.flush()
    return account


def make_retailer(session: Session, account: RetailerAccount | None = None, **fields) -> User:
    account = account or make_account(session)
    return make_user(session, Role.RETAILER, account_id=account.id, **fields)


def make_distributor_profile(session: Session, **fields):
    """The distributor's one profile row (letterhead, default language and time zone);
    by default a Hamburg wholesaler that set no language or zone."""
    from models.distributor import PROFILE_ID, DistributorProfile

    fields.setdefault("legal_name", "Nordwind Optik Vertrieb GmbH")
    fields.setdefault("street", "Speicherstraße 12")
    fields.setdefault("postal_code", "20457")
    fields.setdefault("city", "Hamburg")
    fields.setdefault("country", "DE")
    fields.setdefault("vat_number", "DE287654321")
    fields.setdefault("email", "buchhaltung@nordwind.example.com")
    profile = DistributorProfile(id=PROFILE_ID, **fields)
    session.add(profile)
    session.flush()
    return profile


def make_product(session: Session, **fields) -> Product:
    n = _next()
    fields.setdefault("sku", f"SKU-{n:06d}")
    fields.setdefault("brand", "Lunetta")
    fields.setdefault("model", f"Model {n}")
    fields.setdefault("colour", "Black")
    fields.setdefault("eye_size", 52)
    fields.setdefault("bridge_size", 18)
    fields.setdefault("temple_length", 140)
    fields.setdefault("category", "optical")
    fields.setdefault("list_price", Decimal("89.00"))
    fields.setdefault("lifecycle", Lifecycle.ACTIVE)
    product = Product(**fields)
    session.add(product)
    session.flush()
    return product


def make_order(
    session: Session,
    account: RetailerAccount,
    lines: list[tuple[Product, int, Decimal | str]] | None = None,
    invoice_date: date | None = None,
    **fields,
) -> Order:
    n = _next()
    invoice_date = invoice_date or date(2026, 3, 1)
    fields.setdefault("invoice_number", f"INV-{n:07d}")
    fields.setdefault("delivery_date", invoice_date + timedelta(days=3))
    fields.setdefault("currency", account.currency)
    order = Order(account_id=account.id, invoice_date=invoice_date, **fields)
    session.add(order)
    session.flush()
    if lines is None:
        lines = [(make_product(session), 2, Decimal("45.00"))]
    for number, (product, quantity, price) in enumerate(lines, start=1):
        session.add(
            OrderLine(
                order_id=order.id,
                line_number=number,
                product_id=product.id,
                quantity=quantity,
                unit_net_price=Decimal(price),
            )
        )
    session.flush()
    return order


def make_warehouse(session: Session, **fields) -> Warehouse:
    n = _next()
    fields.setdefault("code", f"WH{n}")
    fields.setdefault("name", f"Warehouse {n}")
    warehouse = Warehouse(**fields)
    session.add(warehouse)
    session.flush()
    return warehouse


def make_return_address(session: Session, warehouse: Warehouse, region: str, **fields):
    fields.setdefault("recipient", "Returns department")
    fields.setdefault("street", "Industriestr. 1")
    fields.setdefault("postal_code", "10115")
    fields.setdefault("city", "Berlin")
    fields.setdefault("country", "DE")
    address = ReturnAddress(warehouse_id=warehouse.id, region=region, **fields)
    session.add(address)
    session.flush()
    return address


def make_stock(
    session: Session, product: Product, warehouse: Warehouse, grade: Grade, quantity: int
) -> InventoryLevel:
    level = InventoryLevel(
        product_id=product.id, warehouse_id=warehouse.id, grade=grade, quantity=quantity
    )
    session.add(level)
    session.flush()
    return level


def make_published_workflow(
    session: Session, template: str = "stock_rotation", actor: User | None = None, **fields
):
    """A workflow from a default template with its first version published."""
    from workflow_designer.engine import load_template
    from workflow_designer.runtime.versions import create_workflow, publish

    n = _next()
    version = create_workflow(
        session,
        code=fields.get("code", f"{template}-{n}"),
        name=fields.get("name", template.replace("_", " ").capitalize()),
        config=fields.get("config", load_template(template)),
        actor=actor,
    )
    return publish(session, version, actor)


def make_return_type(session: Session, workflow_id: int, **fields):
    from models import ReturnType

    n = _next()
    fields.setdefault("code", f"RT{n}")
    fields.setdefault("name", f"Return type {n}")
    fields.setdefault("reasons", ["Slow seller", "Defective"])
    fields.setdefault("resolutions", ["credit"])
    return_type = ReturnType(workflow_id=workflow_id, **fields)
    session.add(return_type)
    session.flush()
    return return_type


def make_policy_version(session: Session, return_type, **fields):
    """The next version of ``return_type``'s policy, holding ``params`` (default: the policy
    it stores), written directly as a migration or a past save would have left it."""
    from sqlalchemy import func, select

    from models import PolicyVersion

    last = session.scalar(
        select(func.max(PolicyVersion.number)).where(PolicyVersion.return_type_id == return_type.id)
    )
    fields.setdefault("params", return_type.policy or {})
    fields.setdefault("number", (last or 0) + 1)
    version = PolicyVersion(return_type_id=return_type.id, **fields)
    session.add(version)
    session.flush()
    return version


def make_rma(session: Session, account: RetailerAccount, version, **fields):
    """An RMA row in the version's initial state (or ``state=``), without going through fire."""
    from models import Rma

    n = _next()
    return_type = fields.pop("return_type", None) or make_return_type(session, version.workflow_id)
    fields.setdefault("number", f"RMA-TEST-{n:06d}")
    fields.setdefault("state", version.config["initial"])
    fields.setdefault("currency", account.currency)
    fields.setdefault("total_value", Decimal("500.00"))
    rma = Rma(
        account_id=account.id,
        return_type_id=return_type.id,
        workflow_version_id=version.id,
        **fields,
    )
    session.add(rma)
    session.flush()
    return rma


def make_rma_with_lines(
    session: Session,
    account: RetailerAccount,
    version,
    lines: list[tuple[OrderLine, int]],
    authorized: bool = True,
    **fields,
):
    """An RMA returning ``quantity`` of each order line (authorized in full by default)."""
    from models import RmaLine

    total = sum((line.unit_net_price * quantity for line, quantity in lines), Decimal(0))
    fields.setdefault("total_value", total.quantize(Decimal("0.01")))
    rma = make_rma(session, account, version, **fields)
    for order_line, quantity in lines:
        session.add(
            RmaLine(
                rma_id=rma.id,
                order_line_id=order_line.id,
                quantity_requested=quantity,
                quantity_authorized=quantity if authorized else 0,
                reason="Slow seller",
                condition="new",
            )
        )
    session.flush()
    session.refresh(rma)
    return rma


def receive_confirmed(
    session: Session, rma, actor, counts: dict[int, int], unexpected: tuple[Unexpected, ...] = ()
) -> dict:
    """Receive ``counts`` as the warehouse does after answering the over-receipt question."""
    try:
        return receive(session, rma, actor, counts, unexpected)
    except UnconfirmedReceipt as asked:
        return receive(session, rma, actor, counts, unexpected, confirmation=asked.signature)
