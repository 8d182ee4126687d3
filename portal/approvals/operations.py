"""Approval decisions (no request, no commit: the request commits when it succeeds)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from models import Rma, User
from workflow_designer.engine.errors import Refusal
from workflow_designer.runtime.firing import TransitionConflict, TransitionRefused, fire

DECISIONS = {
    "approve": _l("Approve"),
    "reject": _l("Deny"),
    "request_changes": _l("Request changes"),
}
# The confirmation of each decision, with the RMA's number.
RECORDED = {
    "approve": _l("%(number)s: approve recorded."),
    "reject": _l("%(number)s: deny recorded."),
    "request_changes": _l("%(number)s: request changes recorded."),
}


class DecisionError(Refusal):
    """A decision that cannot be recorded; the message is for the approver."""


def decide(
    session: Session,
    rma: Rma,
    approver: User,
    decision: str,
    comment: str = "",
    restocking_fee_percent: Decimal | None = None,
) -> None:
    """Approve, deny or send back an RMA waiting on ``approver``; the event records the
    decision, the comment and any restocking fee change."""
    if decision not in DECISIONS:
        raise DecisionError(_("Unknown decision %(decision)r.", decision=decision))
    data = {}
    previous_fee = rma.restocking_fee_percent
    if restocking_fee_percent is not None and decision == "approve":
        # Checked before rounding: quantize raises on NaN and on huge exponents.
        if not restocking_fee_percent.is_finite() or not 0 <= restocking_fee_percent <= 100:
            raise DecisionError(_("The restocking fee must be between 0 and 100 %%."))
        restocking_fee_percent = restocking_fee_percent.quantize(Decimal("0.01"))
        data["restocking_fee_percent"] = {
            "from": None if rma.restocking_fee_percent is None else str(rma.restocking_fee_percent),
            "to": str(restocking_fee_percent),
        }
        rma.restocking_fee_percent = restocking_fee_percent
    try:
        fire(session, rma, decision, approver, comment=comment, data=data)
    except BaseException:
        # Undo the fee only on a live transaction: after a lost race (TransitionConflict) the
        # flush failed, the caller's rollback discards it anyway, and writing to the dead
        # transaction would only raise a warning.
        if session.is_active and rma.restocking_fee_percent != previous_fee:
            rma.restocking_fee_percent = previous_fee
        raise


@dataclass(frozen=True)
class BulkResult:
    approved: list[str]
    refused: dict[str, str]


def approve_many(
    session: Session, rmas: Sequence[Rma], approver: User, comment: str = ""
) -> BulkResult:
    """Approve each RMA in its own savepoint: one refusal does not undo the others."""
    approved, refused = [], {}
    for rma in rmas:
        number = rma.number
        try:
            with session.begin_nested():
                fire(session, rma, "approve", approver, comment=comment)
            approved.append(number)
        except (TransitionRefused, TransitionConflict) as error:
            refused[number] = str(error)
    return BulkResult(approved, refused)
