"""A draft's contents for the page and the policy: lines with their order lines, photos
and replacement lines, in a constant number of queries whatever the line count."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import NamedTuple

from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session

from models import (
    Lifecycle,
    Order,
    OrderLine,
    Product,
    ReplacementLine,
    Rma,
    RmaAttachment,
    RmaLine,
)
from portal.requests.replacements import new_stock
from workflow_designer.policy.questionnaire import chosen_answers
from workflow_designer.runtime.policy_facts import returnable_column


# The views are named tuples: a 200-line draft builds 800 of them on every edit, and a
# frozen dataclass takes four times as long to build.
class LineView(NamedTuple):
    """A draft line as stored: what the page, the policy and the digest read of it."""

    id: int
    order_line_id: int
    quantity_requested: int
    reason: str
    condition: str
    description: str
    condition_answers: list


class OrderView(NamedTuple):
    id: int
    invoice_number: str
    invoice_date: date
    delivery_date: date | None


class ProductView(NamedTuple):
    id: int
    sku: str
    brand: str
    model: str
    colour: str
    eye_size: int
    bridge_size: int
    temple_length: int
    category: str
    lifecycle: Lifecycle

    @property
    def size(self) -> str:
        return f"{self.eye_size}-{self.bridge_size}-{self.temple_length}"


class OrderLineView(NamedTuple):
    """The invoiced line a draft line returns, with its order and product (as the policy's
    ``request_line_for`` reads them)."""

    id: int
    unit_net_price: Decimal
    order: OrderView
    product: ProductView


@dataclass
class DraftLine:
    """An RMA line with what the page and the policy need about its order line."""

    line: LineView
    order_line: OrderLineView
    order: OrderView
    product: ProductView
    photos: list[RmaAttachment] = field(default_factory=list)
    returnable: int = 0  # what is still returnable of the order line, this draft aside
    issues: list = field(default_factory=list)  # the policy's LineIssues for this line

    @property
    def value(self) -> Decimal:
        return self.order_line.unit_net_price * self.line.quantity_requested

    @property
    def answers(self) -> dict[str, str]:
        """The questionnaire's answers given so far: question key → answer key."""
        return chosen_answers(self.line.condition_answers)


@dataclass
class DraftReplacement:
    line: ReplacementLine
    product: Product
    available: int = 0


@dataclass
class DraftContents:
    lines: list[DraftLine]
    replacements: list[DraftReplacement]

    @property
    def units(self) -> int:
        return sum(d.line.quantity_requested for d in self.lines)

    @property
    def value(self) -> Decimal:
        return sum((d.value for d in self.lines), Decimal(0))

    @property
    def replacement_units(self) -> int:
        return sum(r.line.quantity for r in self.replacements)

    @property
    def replacement_value(self) -> Decimal:
        return sum((r.line.amount for r in self.replacements), Decimal(0))


# Read as plain rows: a 200-line draft as ORM objects cost ~7 ms of object building on
# every edit (an RMA line, order line, order and product per line); these views ~1 ms.
LINE_COLUMNS = (
    RmaLine.id,
    RmaLine.order_line_id,
    RmaLine.quantity_requested,
    RmaLine.reason,
    RmaLine.condition,
    RmaLine.description,
    RmaLine.condition_answers,
)
ORDER_COLUMNS = (Order.id, Order.invoice_number, Order.invoice_date, Order.delivery_date)
PRODUCT_COLUMNS = (
    Product.id,
    Product.sku,
    Product.brand,
    Product.model,
    Product.colour,
    Product.eye_size,
    Product.bridge_size,
    Product.temple_length,
    Product.category,
    Product.lifecycle,
)


@cache
def _lines_query() -> Select:
    """A draft's lines with their invoice, product and what is still returnable of each
    (a correlated column: a second query for 200 order line ids, an array parameter built
    and parsed, cost more). Built once per process: building it took a fifth of the time
    of running it."""
    rma_id = bindparam("rma_id")
    return (
        select(
            *LINE_COLUMNS,
            returnable_column(exclude_rma_id=rma_id),
            OrderLine.unit_net_price,
            *ORDER_COLUMNS,
            *PRODUCT_COLUMNS,
        )
        .join(OrderLine, RmaLine.order_line_id == OrderLine.id)
        .join(Order, OrderLine.order_id == Order.id)
        .join(Product, OrderLine.product_id == Product.id)
        .where(RmaLine.rma_id == rma_id)
        .order_by(RmaLine.id)
    )


def draft_contents(session: Session, rma: Rma) -> DraftContents:
    """Lines, photos and replacement lines of ``rma`` in four queries, however many lines."""
    rows = session.execute(_lines_query(), {"rma_id": rma.id}).all()
    photos: dict[int, list[RmaAttachment]] = defaultdict(list)
    for attachment in session.scalars(
        select(RmaAttachment)
        .where(RmaAttachment.rma_id == rma.id, RmaAttachment.rma_line_id.is_not(None))
        .order_by(RmaAttachment.id)
    ):
        photos[attachment.rma_line_id].append(attachment)
    lines = [_draft_line(row, photos) for row in rows]
    return DraftContents(lines, replacement_lines(session, rma))


def _draft_line(row, photos: dict[int, list[RmaAttachment]]) -> DraftLine:
    lines, rest = len(LINE_COLUMNS), len(LINE_COLUMNS) + 2
    line = LineView(*row[:lines])
    returnable, unit_net_price = max(0, row[lines]), row[lines + 1]
    order = OrderView(*row[rest : rest + len(ORDER_COLUMNS)])
    product = ProductView(*row[rest + len(ORDER_COLUMNS) :])
    order_line = OrderLineView(line.order_line_id, unit_net_price, order, product)
    return DraftLine(
        line, order_line, order, product, photos=photos[line.id], returnable=returnable
    )


def replacement_lines(session: Session, rma: Rma) -> list[DraftReplacement]:
    rows = session.execute(
        select(ReplacementLine, Product)
        .join(Product, ReplacementLine.product_id == Product.id)
        .where(ReplacementLine.rma_id == rma.id)
        .order_by(ReplacementLine.id)
    ).all()
    stock = new_stock(session, [product.id for _, product in rows])
    return [DraftReplacement(line, product, stock.get(product.id, 0)) for line, product in rows]
