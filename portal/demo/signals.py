"""Risk signals on the showcase account, so the demo's rep and admin see them.

The generated RMAs give the network its return rates (a tenth of the accounts return more
than the 90th percentile) but their retailers state every line's condition truthfully and
send what was authorised. The showcase account does not: three lines it said were
defective were found faultless, and two lines arrived with a unit more than authorised
(disposed of). Neither changes a credit: credit follows the grade, and over-received units
are never credited."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import Grade, Rma, RmaLine

MISSTATED_LINES = 3
OVER_RECEIVED_LINES = 2


def stage_signals(session: Session, account_id: int) -> None:
    """Mark the account's first graded lines and received lines as described above."""
    account_lines = select(RmaLine.id).join(Rma, RmaLine.rma_id == Rma.id)
    account_lines = account_lines.where(Rma.account_id == account_id, Rma.submitted_at.is_not(None))
    faultless = session.scalars(
        account_lines.where(RmaLine.grade == Grade.NEW.value)
        .order_by(RmaLine.id)
        .limit(MISSTATED_LINES)
    ).all()
    received = session.scalars(
        account_lines.where(RmaLine.quantity_received > 0, RmaLine.id.not_in(faultless))
        .order_by(RmaLine.id)
        .limit(OVER_RECEIVED_LINES)
    ).all()
    session.execute(
        update(RmaLine).where(RmaLine.id.in_(faultless)).values(condition=Grade.DEFECTIVE.value)
    )
    session.execute(
        update(RmaLine)
        .where(RmaLine.id.in_(received))
        .values(quantity_received=RmaLine.quantity_authorized + 1, excess_decision="dispose")
    )
