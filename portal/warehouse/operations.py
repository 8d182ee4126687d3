"""Receiving, grading and restocking returned goods (no request, no commit)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

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
from workflow_designer.policy.credit import disposition_for
from workflow_designer.runtime import fire

# Units with these dispositions go back into stock, under their grade.
STOCKED_DISPOSITIONS = frozenset({"restock", "b_stock", "refurbish"})
DIALECT_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


class ReceivingError(ValueError):
    """Input the warehouse must correct; the message says what."""


@dataclass(frozen=True)
class Unexpected:
    """An item found in the parcel that is not on the RMA."""

    description: str
    quantity: int
    product_id: int | None = None


def receive(
    session: Session,
    rma: Rma,
    actor: User,
    received: Mapping[int, int],
    unexpected: Sequence[Unexpected] = (),
    comment: str = "",
    now: datetime | None = None,
) -> dict:
    """Record what arrived per line and fire ``receive``. Short, over and unexpected items
    are flagged on the lines and recorded in the event; nothing is silently accepted."""
    lines = {line.id: line for line in rma.lines}
    _check_quantities(lines, received)
    report = {"short": [], "over": [], "unexpected": []}
    for line_id, quantity in received.items():
        line = lines[line_id]
        line.quantity_received = quantity
        line.has_discrepancy = quantity != line.quantity_authorized
        if quantity < line.quantity_authorized:
            report["short"].append(
                {"line": line_id, "expected": line.quantity_authorized, "received": quantity}
            )
        elif quantity > line.quantity_authorized:
            report["over"].append(
                {"line": line_id, "expected": line.quantity_authorized, "received": quantity}
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
        report["unexpected"].append({"description": item.description, "quantity": item.quantity})
    fire(session, rma, "receive", actor, comment=comment, data={"receipt": report}, now=now)
    return report


def _check_quantities(lines: Mapping[int, RmaLine], received: Mapping[int, int]) -> None:
    unknown = set(received) - set(lines)
    if unknown:
        raise ReceivingError("Some lines are not on this RMA; record them as unexpected items.")
    missing = set(lines) - set(received)
    if missing:
        raise ReceivingError("Enter the received quantity of every line (0 if none arrived).")
    if any(quantity < 0 for quantity in received.values()):
        raise ReceivingError("Received quantities cannot be negative.")


def grade_line(
    session: Session,
    rma: Rma,
    line: RmaLine,
    actor: User,
    counts: Mapping[Grade, int],
    note: str = "",
) -> list[InspectionResult]:
    """Grade every received unit of ``line``: how many units got each grade. Replaces the
    line's earlier grading; the line's grade becomes the single grade or "mixed"."""
    if line.rma_id != rma.id:
        raise ReceivingError("This line belongs to another RMA.")
    if not line.quantity_received:
        raise ReceivingError("Nothing of this line was received, so there is nothing to grade.")
    counts = {grade: n for grade, n in counts.items() if n}
    if any(n < 0 for n in counts.values()):
        raise ReceivingError("Quantities cannot be negative.")
    if sum(counts.values()) != line.quantity_received:
        raise ReceivingError(
            f"Grade all {line.quantity_received} received units: {sum(counts.values())} are graded."
        )
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
    ]
    session.add_all(results)
    line.grade = results[0].grade.value if len(results) == 1 else "mixed"
    line.disposition = results[0].disposition if len(results) == 1 else "mixed"
    session.flush()
    return results


def restock(session: Session, rma: Rma) -> dict[str, int]:
    """Move the inspected units into the warehouse stock of their grade (per region's
    return address). Returns units moved per grade; scrap and returns to the manufacturer
    stay out of stock."""
    warehouse_id = session.scalar(
        select(ReturnAddress.warehouse_id).where(ReturnAddress.region == rma.account.region)
    )
    if warehouse_id is None:
        raise ReceivingError(f"No return address is set up for region {rma.account.region}.")
    moved: dict[str, int] = {}
    insert = DIALECT_INSERTS[session.get_bind().dialect.name]
    for line in rma.lines:
        for result in line.inspection_results:
            if result.disposition not in STOCKED_DISPOSITIONS:
                continue
            statement = insert(InventoryLevel).values(
                product_id=line.order_line.product_id,
                warehouse_id=warehouse_id,
                grade=result.grade,
                quantity=result.quantity,
            )
            session.execute(
                statement.on_conflict_do_update(
                    index_elements=["product_id", "warehouse_id", "grade"],
                    set_={"quantity": InventoryLevel.quantity + statement.excluded.quantity},
                )
            )
            moved[result.grade.value] = moved.get(result.grade.value, 0) + result.quantity
    return moved
