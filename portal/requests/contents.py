"""A draft's contents for the page and the policy: lines with their order lines, photos
and replacement lines, in a constant number of queries whatever the line count."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Order, OrderLine, Product, ReplacementLine, Rma, RmaAttachment, RmaLine
from portal.requests.replacements import new_stock


@dataclass
class DraftLine:
    """An RMA line with what the page and the policy need about its order line."""

    line: RmaLine
    order_line: OrderLine
    order: Order
    product: Product
    photos: list[RmaAttachment] = field(default_factory=list)
    returnable: int = 0
    issues: list = field(default_factory=list)  # the policy's LineIssues for this line

    @property
    def value(self) -> Decimal:
        return self.order_line.unit_net_price * self.line.quantity_requested


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


def draft_contents(session: Session, rma: Rma) -> DraftContents:
    """Lines, photos and replacement lines of ``rma`` in four queries, however many lines."""
    rows = session.execute(
        select(RmaLine, OrderLine, Order, Product)
        .join(OrderLine, RmaLine.order_line_id == OrderLine.id)
        .join(Order, OrderLine.order_id == Order.id)
        .join(Product, OrderLine.product_id == Product.id)
        .where(RmaLine.rma_id == rma.id)
        .order_by(RmaLine.id)
    ).all()
    photos: dict[int, list[RmaAttachment]] = defaultdict(list)
    for attachment in session.scalars(
        select(RmaAttachment)
        .where(RmaAttachment.rma_id == rma.id, RmaAttachment.rma_line_id.is_not(None))
        .order_by(RmaAttachment.id)
    ):
        photos[attachment.rma_line_id].append(attachment)
    lines = [DraftLine(*row, photos=photos[row[0].id]) for row in rows]
    return DraftContents(lines, replacement_lines(session, rma))


def replacement_lines(session: Session, rma: Rma) -> list[DraftReplacement]:
    rows = session.execute(
        select(ReplacementLine, Product)
        .join(Product, ReplacementLine.product_id == Product.id)
        .where(ReplacementLine.rma_id == rma.id)
        .order_by(ReplacementLine.id)
    ).all()
    stock = new_stock(session, [product.id for _, product in rows])
    return [DraftReplacement(line, product, stock.get(product.id, 0)) for line, product in rows]
