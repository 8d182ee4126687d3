"""Bringing the ``awaiting`` RMA through the back office with the domain's own operations."""

from __future__ import annotations

from models import Grade, Rma
from portal.credits.operations import resolve_rma
from portal.warehouse.operations import Unexpected, grade_line, receipt_signature, receive
from workflow_designer.runtime.firing import fire


def inspect(session, rma: Rma, shop: dict) -> Rma:
    """Receive 4 × AUR-1 and 2 of 3 × VEL-2, grade 3 new + 1 used and 2 open packaging.

    Under the back office's POLICY that earns 108.00 + 24.00 + 56.66 = 188.66 as credit.
    """
    aurora, velo = rma.lines
    staff = shop["warehouse_user"]
    spare = [Unexpected("Spare case", 1)]
    receive(
        session,
        rma,
        staff,
        {aurora.id: 4, velo.id: 2},
        spare,
        confirmation=receipt_signature([], spare),
    )
    fire(session, rma, "start_inspection", staff)
    grade_line(session, rma, aurora, staff, {Grade.NEW: 3, Grade.USED: 1})
    grade_line(session, rma, velo, staff, {Grade.OPEN_PACKAGING: 2})
    fire(session, rma, "finish_inspection", staff)
    assert rma.state == "inspected"
    return rma


def resolve(session, rma: Rma, shop: dict, resolution: str = "credit") -> Rma:
    inspect(session, rma, shop)
    resolve_rma(session, rma, shop["admin"], resolution)
    session.flush()
    return rma
