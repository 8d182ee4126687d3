"""Building a ``PolicyRequest`` from stored rows, with prices and dates from the invoices.

Nothing comes from what a retailer posted: quantities are the RMA's, prices the order
lines', stock the inventory's. A constant number of queries, whatever the line count.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import (
    Grade,
    InventoryLevel,
    Order,
    OrderLine,
    Product,
    ReplacementLine,
    Rma,
    RmaAttachment,
    RmaLine,
)
from workflow_designer.policy.questionnaire import answer_fields
from workflow_designer.policy.request import PolicyRequest, ReplacementRequestLine, RequestLine
from workflow_designer.runtime.policy_facts import load_facts


class InvoiceFacts(Protocol):
    """What a request line reads of an order: an ``Order``, or a row with these columns."""

    invoice_number: str
    invoice_date: date
    delivery_date: date | None


class ProductFacts(Protocol):
    """What a request line reads of a product: a ``Product``, or a row with these columns."""

    sku: str
    lifecycle: Any
    brand: str
    category: str


def request_line(
    order_line_id: int,
    unit_net_price: Decimal,
    order: InvoiceFacts,
    product: ProductFacts,
    quantity: int,
    **fields: Any,
) -> RequestLine:
    """The one way a request line is built: ``quantity`` units of an invoiced line.

    ``order`` and ``product`` may be ORM objects, views or one plain row holding the
    columns of both. ``fields`` adds what the retailer gave: ``condition``, ``photos``,
    ``description`` …
    """
    return RequestLine(
        sku=product.sku,
        quantity=quantity,
        unit_net_price=unit_net_price,
        invoice_number=order.invoice_number,
        invoice_date=order.invoice_date,
        delivery_date=order.delivery_date,
        order_line_id=order_line_id,
        lifecycle=str(product.lifecycle),
        brand=product.brand,
        category=product.category,
        **fields,
    )


def request_line_for(order_line: OrderLine, quantity: int, **fields: Any) -> RequestLine:
    """A request line for ``quantity`` units of an order line (its order and product loaded)."""
    return request_line(
        order_line.id,
        order_line.unit_net_price,
        order_line.order,
        order_line.product,
        quantity,
        **fields,
    )


def load_request(session: Session, rma: Rma, policy: Any, today: date) -> PolicyRequest:
    """The stored RMA as the rules see it, with the account's facts.

    Five queries at most (two for the facts, one each for lines, photos and replacement
    lines), plus the account and return type if they are not in the session yet.

    Lines without an order line (items that arrived unannounced) have no invoice to judge
    and are left out.
    """
    facts = load_facts(session, rma.account, rma.return_type, policy, today, exclude_rma_id=rma.id)
    return PolicyRequest(
        today=today,
        lines=load_request_lines(session, rma.id),
        replacement_lines=load_replacement_lines(session, rma.id),
        facts=facts,
    )


def load_request_lines(session: Session, rma_id: int) -> tuple[RequestLine, ...]:
    photos = dict(
        session.execute(
            select(RmaAttachment.rma_line_id, func.count(RmaAttachment.id))
            .where(
                RmaAttachment.rma_id == rma_id,
                RmaAttachment.rma_line_id.is_not(None),
                RmaAttachment.content_type.startswith("image/"),
            )
            .group_by(RmaAttachment.rma_line_id)
        ).all()
    )
    rows = session.execute(
        select(RmaLine, OrderLine, Order, Product)
        .join(OrderLine, RmaLine.order_line_id == OrderLine.id)
        .join(Order, OrderLine.order_id == Order.id)
        .join(Product, OrderLine.product_id == Product.id)
        .where(RmaLine.rma_id == rma_id)
        .order_by(RmaLine.id)
    )
    return tuple(
        request_line(
            order_line.id,
            order_line.unit_net_price,
            order,
            product,
            line.quantity_requested,
            condition=line.condition,
            grade=line.grade,
            photos=photos.get(line.id, 0),
            description=line.description,
            **answer_fields(line.condition_answers),
        )
        for line, order_line, order, product in rows
    )


def load_replacement_lines(session: Session, rma_id: int) -> tuple[ReplacementRequestLine, ...]:
    stock = (
        select(InventoryLevel.product_id, func.sum(InventoryLevel.quantity).label("available"))
        .where(
            InventoryLevel.grade == Grade.NEW,
            InventoryLevel.product_id.in_(
                select(ReplacementLine.product_id).where(ReplacementLine.rma_id == rma_id)
            ),
        )
        .group_by(InventoryLevel.product_id)
        .subquery()
    )
    rows = session.execute(
        select(ReplacementLine, Product, func.coalesce(stock.c.available, 0))
        .join(Product, ReplacementLine.product_id == Product.id)
        .outerjoin(stock, stock.c.product_id == Product.id)
        .where(ReplacementLine.rma_id == rma_id)
        .order_by(ReplacementLine.id)
    )
    return tuple(
        ReplacementRequestLine(
            sku=product.sku,
            quantity=line.quantity,
            unit_price=line.unit_price,
            product_id=product.id,
            lifecycle=str(product.lifecycle),
            available=int(available),
        )
        for line, product, available in rows
    )
