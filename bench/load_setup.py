"""What ``bench/load.py`` reads from and prepares in the database before a run.

The load runs as the demo users (every demo login has the demo password): the demo sales
rep, the demo warehouse clerk, and a retailer user of the rep's account with the most
order lines (the showcase account is small; the busiest account is the case to measure).
Before the run a 200-line stock rotation draft is built for that retailer through the
request operations; it is discarded afterwards.

The transition measured is the warehouse receiving a parcel (``awaiting_receipt`` →
``received``, quantities recorded, the retailer notified), each request on another RMA.
That is not undone: the event log is append-only. A full run receives a few thousand of
the ~30,000 RMAs the large data set has awaiting receipt; the RMAs the lookups use are
set apart and never received.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import func, select
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
)
from models.base import utcnow
from portal.demo import DEMO_LOGINS, DEMO_PASSWORD
from portal.requests import operations
from workflow_designer.runtime.policy_facts import returnable_quantities

ROTATION = "ROTATION"  # the demo's stock rotation return type (its code)
DRAFT_LINES = 200


@dataclass
class LoadData:
    """Logins and the rows each scenario cycles through."""

    rep_email: str
    warehouse_email: str
    retailer_email: str
    account_number: str
    account_lines: int
    account_id: int = 0  # the retailer's account, the rep's busiest
    password: str = DEMO_PASSWORD
    admin_email: str = field(default_factory=lambda: _demo_email("Admin"))
    search_terms: list[str] = field(default_factory=list)
    own_rmas: list[str] = field(default_factory=list)
    arriving_rmas: list[str] = field(default_factory=list)
    draft_number: str = ""
    draft_lines: list[tuple[int, str, str]] = field(default_factory=list)  # id, reason, cond.
    # (number, [(rma line id, quantity authorized)]) of RMAs to receive, one per request.
    to_receive: list[tuple[str, list[tuple[int, int]]]] = field(default_factory=list)


def _demo_email(role_label: str) -> str:
    return next(email for label, email, _password in DEMO_LOGINS if label == role_label)


def read_load_data(session: Session, parcels: int, seed: int = 8) -> LoadData:
    rng = random.Random(seed)
    rep = session.scalar(select(User).where(User.email == _demo_email("Sales rep")))
    account_id, lines = session.execute(
        select(Order.account_id, func.count(OrderLine.id))
        .join(OrderLine, OrderLine.order_id == Order.id)
        .join(RetailerAccount, Order.account_id == RetailerAccount.id)
        .where(RetailerAccount.sales_rep_id == rep.id)
        .group_by(Order.account_id)
        .order_by(func.count(OrderLine.id).desc(), Order.account_id)
        .limit(1)
    ).one()
    account = session.get(RetailerAccount, account_id)
    retailer = session.scalars(
        select(User)
        .where(User.account_id == account_id, User.role == Role.RETAILER, User.is_active)
        .order_by(User.id)
    ).first()
    data = LoadData(
        rep_email=rep.email,
        warehouse_email=_demo_email("Warehouse"),
        retailer_email=retailer.email,
        account_number=account.number,
        account_lines=lines,
        account_id=account_id,
    )
    data.search_terms = _search_terms(session, account_id, rng)
    newest = select(Rma.number).order_by(Rma.id.desc())
    data.own_rmas = list(
        session.scalars(newest.where(Rma.account_id == account_id, Rma.submitted_at.is_not(None)))
    )[:50]
    # The newest arriving RMAs are looked up; the oldest are received.
    arriving = list(session.scalars(newest.where(Rma.state == "awaiting_receipt").limit(2000)))
    data.arriving_rmas = rng.sample(arriving, min(200, len(arriving)))
    data.to_receive = _parcels(session, parcels, set(arriving))
    return data


def _search_terms(session: Session, account_id: int, rng: random.Random) -> list[str]:
    """What a retailer types: a brand, a model, a SKU, part of an invoice number."""
    rows = session.execute(
        select(Product.brand, Product.model, Product.sku, Order.invoice_number)
        .join(OrderLine, OrderLine.product_id == Product.id)
        .join(Order, OrderLine.order_id == Order.id)
        .where(Order.account_id == account_id)
        .order_by(OrderLine.id)
    ).all()
    terms = []
    for brand, model, sku, invoice in rng.sample(rows, min(8, len(rows))):
        terms += [brand.lower(), model.lower(), sku.lower(), invoice[-6:]]
    return terms


def _parcels(session: Session, count: int, set_apart: set[str]) -> list:
    """RMAs awaiting receipt, oldest first, with each line's authorized quantity."""
    numbers = [
        number
        for number in session.scalars(
            select(Rma.number)
            .where(Rma.state == "awaiting_receipt")
            .order_by(Rma.id)
            .limit(count + len(set_apart))
        )
        if number not in set_apart
    ][:count]
    lines: dict[str, list[tuple[int, int]]] = {number: [] for number in numbers}
    rows = session.execute(
        select(Rma.number, RmaLine.id, RmaLine.quantity_authorized)
        .join(RmaLine, RmaLine.rma_id == Rma.id)
        .where(Rma.number.in_(numbers))
        .order_by(RmaLine.id)
    )
    for number, line_id, quantity in rows:
        lines[number].append((line_id, quantity))
    return [(number, lines[number]) for number in numbers]


def build_draft(session: Session, data: LoadData) -> None:
    """A stock rotation draft of ``DRAFT_LINES`` lines, one unit each of lines invoiced
    90 days to two years ago of which at least two are still returnable (the load
    alternates each line between one and two)."""
    retailer = session.scalar(select(User).where(User.email == data.retailer_email))
    account = session.get(RetailerAccount, retailer.account_id)
    return_type = session.scalar(select(ReturnType).where(ReturnType.code == ROTATION))
    rma = operations.create_draft(session, retailer, account, return_type, utcnow())
    today = utcnow().date()
    candidates = list(
        session.scalars(
            select(OrderLine.id)
            .join(Order, OrderLine.order_id == Order.id)
            .where(
                Order.account_id == account.id,
                Order.invoice_date <= today - timedelta(days=100),
                Order.invoice_date >= today - timedelta(days=700),
                OrderLine.quantity >= 2,
            )
            .order_by(Order.invoice_date.desc(), OrderLine.id)
            .limit(DRAFT_LINES * 5)
        )
    )
    left = returnable_quantities(session, candidates)
    picks = [line_id for line_id in candidates if left.get(line_id, 0) >= 2][:DRAFT_LINES]
    if len(picks) < DRAFT_LINES:
        raise SystemExit(f"only {len(picks)} returnable lines for a {DRAFT_LINES}-line draft")
    reason = (return_type.reasons or [""])[0]
    added = operations.add_lines(
        session, retailer, rma, dict.fromkeys(picks, 1), reason=reason, condition="new"
    )
    session.commit()
    data.draft_number = rma.number
    data.draft_lines = [(line.id, line.reason, line.condition) for line in added]


def discard_draft(session: Session, data: LoadData) -> None:
    rma = session.scalar(select(Rma).where(Rma.number == data.draft_number))
    retailer = session.scalar(select(User).where(User.email == data.retailer_email))
    if rma is not None:
        operations.discard_draft(session, retailer, rma)
        session.commit()
