"""Receiving, grading and restocking returned goods (no request, no commit)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import (
    Grade,
    InspectionResult,
    InventoryLevel,
    ReturnAddress,
    Rma,
    RmaLine,
    UnexpectedItem,
    User,
)
from portal.credits.operations import policy_for
from workflow_designer.engine.errors import Refusal
from workflow_designer.policy.credit import disposition_for
from workflow_designer.policy.vocabulary import MIXED, STOCKED_DISPOSITIONS
from workflow_designer.runtime.firing import fire

DIALECT_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


MAX_UNITS = 9999  # per line or item: a parcel holding more is a typo, not a delivery


class ReceivingError(Refusal):
    """Input the warehouse must correct; the message says what (422)."""


@dataclass(frozen=True)
class Unexpected:
    """An item found in the parcel that is not on the RMA."""

    description: str
    quantity: int
    product_id: int | None = None


@dataclass(frozen=True)
class OverReceipt:
    """A line that arrived with more units than authorised."""

    line_id: int
    sku: str
    authorized: int
    received: int

    @property
    def excess(self) -> int:
        return self.received - self.authorized


class UnconfirmedReceipt(ReceivingError):
    """More than authorised, or items not on the RMA, arrived: nothing is recorded until
    someone confirms exactly this (``confirmation`` echoes ``signature``)."""

    def __init__(self, over: list[OverReceipt], unexpected: Sequence[Unexpected]) -> None:
        self.over = over
        self.unexpected = list(unexpected)
        self.signature = receipt_signature(over, unexpected)
        super().__init__(_("Confirm what arrived beyond the RMA before it is recorded."))

    @property
    def excess(self) -> int:
        return sum(item.excess for item in self.over)

    @property
    def unexpected_units(self) -> int:
        return sum(item.quantity for item in self.unexpected)


def receipt_signature(over: Sequence[OverReceipt], unexpected: Sequence[Unexpected]) -> str:
    """What a confirmation confirms: changing any figure after it asks again."""
    lines = ",".join(f"{o.line_id}:{o.received}" for o in over)
    items = ",".join(str(item.quantity) for item in unexpected)
    return f"over={lines};unexpected={items}"


def line_sku(line: RmaLine) -> str:
    return line.order_line.product.sku if line.order_line else f"line {line.id}"


def receive(
    session: Session,
    rma: Rma,
    actor: User,
    received: Mapping[int, int],
    unexpected: Sequence[Unexpected] = (),
    comment: str = "",
    now: datetime | None = None,
    confirmation: str = "",
) -> dict:
    """Record what arrived per line and fire ``receive``. Short lines are flagged; units
    over the authorised quantity and items not on the RMA are recorded only when
    ``confirmation`` matches them (else UnconfirmedReceipt), flagged and held apart."""
    lines = {line.id: line for line in rma.lines}
    _check_quantities(lines, received)
    for item in unexpected:
        check_units(item.quantity, minimum=1)
    over = [
        OverReceipt(line_id, line_sku(lines[line_id]), lines[line_id].quantity_authorized, n)
        for line_id, n in sorted(received.items())
        if n > lines[line_id].quantity_authorized
    ]
    if (over or unexpected) and confirmation != receipt_signature(over, unexpected):
        raise UnconfirmedReceipt(over, unexpected)
    report = {"short": [], "over": [], "unexpected": []}
    for line_id, quantity in received.items():
        line = lines[line_id]
        line.quantity_received = quantity
        line.has_discrepancy = quantity != line.quantity_authorized
        if quantity < line.quantity_authorized:
            report["short"].append(
                {"line": line_id, "expected": line.quantity_authorized, "received": quantity}
            )
    for item in over:
        report["over"].append(
            {
                "line": item.line_id,
                "sku": item.sku,
                "expected": item.authorized,
                "received": item.received,
                "excess": item.excess,
                "confirmed": True,
            }
        )
    for item in unexpected:
        session.add(
            UnexpectedItem(
                rma_id=rma.id,
                product_id=item.product_id,
                description=item.description,
                quantity=item.quantity,
                recorded_by_id=actor.id,
            )
        )
        report["unexpected"].append(
            {"description": item.description, "quantity": item.quantity, "confirmed": True}
        )
    data = {"receipt": report}
    if over or unexpected:
        data["label"] = receipt_label(over, unexpected)
    fire(session, rma, "receive", actor, comment=comment, data=data, now=now)
    return report


def receipt_label(over: Sequence[OverReceipt], unexpected: Sequence[Unexpected]) -> str:
    """The receive event's line in the timeline when something arrived beyond the RMA."""
    parts = [
        f"{o.sku} {o.received} received, {o.authorized} authorised ({o.excess} held apart)"
        for o in over
    ]
    if unexpected:
        units = sum(item.quantity for item in unexpected)
        parts.append(f"{units} unit{'' if units == 1 else 's'} not on the RMA (held apart)")
    return "Received with over-receipt confirmed: " + "; ".join(parts)


def check_units(quantity: object, minimum: int = 0) -> int:
    """A whole number of units from ``minimum`` to MAX_UNITS, or ReceivingError."""
    if isinstance(quantity, bool) or not isinstance(quantity, int):
        raise ReceivingError(_("Quantities are whole numbers of units."))
    if quantity < 0:
        raise ReceivingError(_("Quantities cannot be negative."))
    if quantity < minimum or quantity > MAX_UNITS:
        raise ReceivingError(_("Enter %(min)s to %(max)s units.", min=minimum, max=MAX_UNITS))
    return quantity


def _check_quantities(lines: Mapping[int, RmaLine], received: Mapping[int, int]) -> None:
    unknown = set(received) - set(lines)
    if unknown:
        raise ReceivingError(_("Some lines are not on this RMA; record them as unexpected items."))
    missing = set(lines) - set(received)
    if missing:
        raise ReceivingError(_("Enter the received quantity of every line (0 if none arrived)."))
    for quantity in received.values():
        check_units(quantity)


def grade_line(
    session: Session,
    rma: Rma,
    line: RmaLine,
    actor: User,
    counts: Mapping[Grade, int],
    note: str = "",
) -> list[InspectionResult]:
    """Grade every accepted unit of ``line`` (units over the authorised quantity are held
    apart, never graded): how many units got each grade. Replaces the line's earlier
    grading; the line's grade becomes the single grade or "mixed"."""
    if line.rma_id != rma.id:
        raise ReceivingError(_("This line belongs to another RMA."))
    if not line.quantity_accepted:
        raise ReceivingError(_("Nothing of this line was received, so there is nothing to grade."))
    counts = check_grades(counts)
    if sum(counts.values()) != line.quantity_accepted:
        raise ReceivingError(
            _(
                "Grade all %(accepted)s accepted units: %(graded)s are graded.",
                accepted=line.quantity_accepted,
                graded=sum(counts.values()),
            )
        )
    return replace_grades(session, rma, line, actor, counts, note)


def check_grades(counts: Mapping[Grade, int]) -> dict[Grade, int]:
    """The non-zero counts, each a known grade and a sane whole number, or ReceivingError."""
    if any(not isinstance(grade, Grade) for grade in counts):
        raise ReceivingError(
            _("Use the grades offered: %(grades)s.", grades=", ".join(g.label for g in Grade))
        )
    for n in counts.values():
        check_units(n)
    return {grade: n for grade, n in counts.items() if n}


def replace_grades(
    session: Session,
    rma: Rma,
    line: RmaLine,
    actor: User,
    counts: Mapping[Grade, int],
    note: str = "",
) -> list[InspectionResult]:
    """Write ``counts`` (checked) as the line's grading, in place of what it had."""
    session.execute(delete(InspectionResult).where(InspectionResult.rma_line_id == line.id))
    session.expire(line, ["inspection_results"])
    policy = policy_for(rma)
    results = [
        InspectionResult(
            rma_line_id=line.id,
            grade=grade,
            quantity=quantity,
            disposition=disposition_for(policy, grade.value),
            note=note.strip(),
            inspected_by_id=actor.id,
        )
        for grade, quantity in sorted(counts.items(), key=lambda item: list(Grade).index(item[0]))
        if quantity
    ]
    session.add_all(results)
    if results:
        line.grade = results[0].grade.value if len(results) == 1 else MIXED
        line.disposition = results[0].disposition if len(results) == 1 else MIXED
    else:
        line.grade = line.disposition = None
    session.flush()
    return results


def restock(session: Session, rma: Rma) -> dict[str, int]:
    """Move the inspected units into the warehouse stock of their grade (per region's
    return address). Returns units moved per grade; scrap and returns to the manufacturer
    stay out of stock. Only graded units move, and only accepted units are graded: units
    held apart never enter stock."""
    warehouse_id = warehouse_for(session, rma)
    moved: dict[str, int] = {}
    for line in rma.lines:
        for grade, quantity in stocked_by_grade(line.inspection_results).items():
            add_stock(session, line.order_line.product_id, warehouse_id, grade, quantity)
            moved[grade.value] = moved.get(grade.value, 0) + quantity
    return moved


def warehouse_for(session: Session, rma: Rma) -> int:
    warehouse_id = session.scalar(
        select(ReturnAddress.warehouse_id).where(ReturnAddress.region == rma.account.region)
    )
    if warehouse_id is None:
        raise ReceivingError(
            _("No return address is set up for region %(region)s.", region=rma.account.region)
        )
    return warehouse_id


def stocked_by_grade(results: Sequence[InspectionResult]) -> dict[Grade, int]:
    """Units per grade whose disposition puts them into stock."""
    units: dict[Grade, int] = {}
    for result in results:
        if result.disposition in STOCKED_DISPOSITIONS:
            units[result.grade] = units.get(result.grade, 0) + result.quantity
    return units


def add_stock(
    session: Session, product_id: int, warehouse_id: int, grade: Grade, quantity: int
) -> None:
    insert = DIALECT_INSERTS[session.get_bind().dialect.name]
    statement = insert(InventoryLevel).values(
        product_id=product_id, warehouse_id=warehouse_id, grade=grade, quantity=quantity
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["product_id", "warehouse_id", "grade"],
            set_={"quantity": InventoryLevel.quantity + statement.excluded.quantity},
        )
    )


def remove_stock(
    session: Session, product_id: int, warehouse_id: int, grade: Grade, quantity: int
) -> int:
    """Take up to ``quantity`` units out of stock, never below zero; returns units taken."""
    level = session.scalar(
        select(InventoryLevel)
        .where(
            InventoryLevel.product_id == product_id,
            InventoryLevel.warehouse_id == warehouse_id,
            InventoryLevel.grade == grade,
        )
        .with_for_update()
    )
    if level is None:
        return 0
    taken = min(level.quantity, quantity)
    level.quantity -= taken
    session.flush()
    return taken
