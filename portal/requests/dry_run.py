"""A request evaluated without being kept: the draft is built by the same operations the
request pages call, evaluated as the live policy panel evaluates a draft, read, and then
rolled back to a savepoint, so nothing of it is stored.

Lines name a SKU, and optionally the order line or the invoice they return from; without
either, the SKU's quantity is taken from the account's most recent invoices first, as
far as each can still be returned. A line that names nothing of the account's, or more
than it can still return, is refused before anything is drafted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypeVar

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Order, OrderLine, Product, RetailerAccount, ReturnType, User
from portal.requests import operations
from portal.requests.evaluation import DraftEvaluation, evaluate_draft
from workflow_designer.runtime.policy_facts import returnable_quantities

Read = TypeVar("Read")


@dataclass(frozen=True)
class PlannedLine:
    """A line of a request that is not stored: what the draft page's picks say."""

    sku: str
    quantity: int
    reason: str = ""
    condition: str = ""
    order_line_id: int | None = None
    invoice_number: str | None = None


@dataclass(frozen=True)
class PlannedReplacement:
    sku: str
    quantity: int


class PlanRefused(Exception):
    """A line of the plan that names nothing of the account's: which line, which field."""

    def __init__(self, index: int, field: str, message: str, group: str = "lines") -> None:
        super().__init__(message)
        self.index, self.field, self.message, self.group = index, field, message, group


@dataclass
class _Candidate:
    order_line_id: int
    sku: str
    invoice_number: str
    left: int  # still returnable, less what earlier lines of the plan took


def evaluate_unsaved(
    session: Session,
    actor: User,
    account: RetailerAccount,
    return_type: ReturnType,
    lines: Sequence[PlannedLine],
    replacements: Sequence[PlannedReplacement],
    *,
    today: date,
    now: datetime,
    read: Callable[[DraftEvaluation], Read],
) -> Read:
    """``read`` of the evaluation of the request ``lines`` and ``replacements`` describe,
    as the live panel would show it once drafted. Nothing is kept: the draft lives in a
    savepoint that is rolled back, whether or not an operation refuses it."""
    picks = _picks(session, account, lines)
    products = _replacement_products(session, replacements)
    savepoint = session.begin_nested()
    try:
        rma = operations.create_draft(session, actor, account, return_type, now)
        for line, chosen in zip(lines, picks, strict=True):
            operations.add_lines(
                session, actor, rma, chosen, reason=line.reason, condition=line.condition
            )
        if products:
            operations.set_replacement_quantities(session, actor, rma, products)
        return read(evaluate_draft(session, rma, today))
    finally:
        savepoint.rollback()


def _picks(
    session: Session, account: RetailerAccount, lines: Sequence[PlannedLine]
) -> list[dict[int, int]]:
    """Each line's order lines (id → quantity), from the account's purchases."""
    candidates = _candidates(session, account, {line.sku for line in lines})
    return [_pick(index, line, candidates) for index, line in enumerate(lines)]


def _candidates(session: Session, account: RetailerAccount, skus: set[str]) -> list[_Candidate]:
    """The account's order lines of ``skus``, most recent invoice first."""
    rows = session.execute(
        select(OrderLine.id, Product.sku, Order.invoice_number)
        .join(Order, OrderLine.order_id == Order.id)
        .join(Product, OrderLine.product_id == Product.id)
        .where(Order.account_id == account.id, Product.sku.in_(sorted(skus)))
        .order_by(Order.invoice_date.desc(), OrderLine.id.desc())
    ).all()
    left = returnable_quantities(session, [row.id for row in rows])
    return [_Candidate(row.id, row.sku, row.invoice_number, left.get(row.id, 0)) for row in rows]


def _pick(index: int, line: PlannedLine, candidates: list[_Candidate]) -> dict[int, int]:
    mine = [c for c in candidates if c.sku == line.sku]
    if not mine:
        raise PlanRefused(
            index, "sku", _("%(sku)s is not in this account's purchases.", sku=line.sku)
        )
    if line.order_line_id is not None:
        mine = [c for c in mine if c.order_line_id == line.order_line_id]
        if not mine:
            message = _("This account bought no %(sku)s on that order line.", sku=line.sku)
            raise PlanRefused(index, "order_line", message)
        # Named: the quantity goes on it; adding it to the draft refuses what does not fit.
        return {mine[0].order_line_id: line.quantity}
    if line.invoice_number is not None:
        mine = [c for c in mine if c.invoice_number == line.invoice_number]
        if not mine:
            message = _(
                "Invoice %(invoice)s has no %(sku)s.", invoice=line.invoice_number, sku=line.sku
            )
            raise PlanRefused(index, "invoice", message)
    return _allocate(index, line, mine)


def _allocate(index: int, line: PlannedLine, mine: list[_Candidate]) -> dict[int, int]:
    wanted, chosen = line.quantity, {}
    for candidate in mine:
        take = min(wanted, candidate.left)
        if take > 0:
            chosen[candidate.order_line_id] = take
            candidate.left -= take
            wanted -= take
    if wanted > 0:
        message = _(
            "At most %(returnable)s of %(sku)s can still be returned; you asked for %(wanted)s.",
            returnable=line.quantity - wanted,
            sku=line.sku,
            wanted=line.quantity,
        )
        raise PlanRefused(index, "quantity", message)
    return chosen


def _replacement_products(
    session: Session, replacements: Sequence[PlannedReplacement]
) -> dict[int, int]:
    skus = {item.sku for item in replacements}
    if not skus:
        return {}
    ids = dict(
        session.execute(select(Product.sku, Product.id).where(Product.sku.in_(sorted(skus)))).all()
    )
    quantities: dict[int, int] = {}
    for index, item in enumerate(replacements):
        if item.sku not in ids:
            message = _("No product has the SKU %(sku)s.", sku=item.sku)
            raise PlanRefused(index, "sku", message, group="replacement")
        quantities[ids[item.sku]] = quantities.get(ids[item.sku], 0) + item.quantity
    return quantities
