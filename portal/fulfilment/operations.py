"""Replacement orders: a rotation's replacement lines, handed to the ERP."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from models import (
    ReplacementLine,
    ReplacementOrder,
    ReplacementOrderStatus,
    Rma,
)
from models.base import utcnow
from portal.csv_export import csv_document
from portal.rmas.numbering import next_number
from workflow_designer.policy.money import round_money
from workflow_designer.policy.vocabulary import Resolution

CENT = Decimal("0.01")
# The replacement-order file is an interface file: the distributor's ERP imports it by
# these column names. Unlike the exports people read (RMAs, ledger, B-stock), its header
# stays in these codes in every language; a translated header would break the import.
EXPORT_COLUMNS = (
    "order_number",
    "rma_number",
    "account_number",
    "sku",
    "quantity",
    "unit_price",
    "currency",
    "created_at",
)


def create_replacement_order(
    session: Session, rma: Rma, now: datetime | None = None
) -> ReplacementOrder | None:
    """The RMA's replacement order (status "to fulfil"); None if it ordered nothing.

    An exchange without chosen replacement lines replaces what was received, like for like.
    """
    if not rma.replacement_lines and rma.resolution == Resolution.EXCHANGE:
        _like_for_like(session, rma)
    if not rma.replacement_lines:
        return None
    now = now or utcnow()
    order = ReplacementOrder(
        number=next_number(session, "RO", now),
        rma_id=rma.id,
        account_id=rma.account_id,
        created_at=now,
    )
    session.add(order)
    return order


def _like_for_like(session: Session, rma: Rma) -> None:
    wanted: dict[int, ReplacementLine] = {}
    for line in rma.lines:
        # Units received over the authorised quantity are held apart: never replaced.
        if not line.quantity_accepted or line.order_line is None:
            continue
        product_id = line.order_line.product_id
        if product_id in wanted:  # one SKU returned from several invoices
            wanted[product_id].quantity += line.quantity_accepted
        else:
            wanted[product_id] = ReplacementLine(
                product_id=product_id,
                quantity=line.quantity_accepted,
                unit_price=round_money(line.order_line.unit_net_price, rma.currency),
            )
    rma.replacement_lines.extend(wanted.values())
    session.flush()


def export_orders_to_fulfil(session: Session, now: datetime | None = None) -> str:
    """CSV of every order still to fulfil, one row per line; those orders become exported."""
    orders = session.scalars(
        select(ReplacementOrder)
        .where(ReplacementOrder.status == ReplacementOrderStatus.TO_FULFIL)
        .options(
            selectinload(ReplacementOrder.rma)
            .selectinload(Rma.replacement_lines)
            .selectinload(ReplacementLine.product),
            selectinload(ReplacementOrder.account),
        )
        .order_by(ReplacementOrder.number)
        .with_for_update(skip_locked=True)
    ).all()
    text = _csv(orders)
    for order in orders:
        order.status = ReplacementOrderStatus.EXPORTED
        order.exported_at = now or utcnow()
    return text


def _csv(orders: Sequence[ReplacementOrder]) -> str:
    rows = (
        [
            order.number,
            order.rma.number,
            order.account.number,
            line.product.sku,
            line.quantity,
            line.unit_price.quantize(CENT),  # a number: csv_export leaves it as it is
            order.rma.currency,
            order.created_at.isoformat(),
        ]
        for order in orders
        for line in order.rma.replacement_lines
    )
    return csv_document([EXPORT_COLUMNS, *rows])
