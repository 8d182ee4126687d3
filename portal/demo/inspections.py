"""The demo's inspection results: what the warehouse recorded for each graded line."""

from __future__ import annotations

from sqlalchemy import func, insert, literal, select
from sqlalchemy.orm import Session

from models import InspectionResult, RmaEvent, RmaLine


def write_inspection_results(session: Session, first_rma_id: int, inspector_id: int) -> int:
    """One result per graded line of the RMAs from ``first_rma_id`` on: its accepted units
    in the line's grade and disposition, recorded when the RMA reached "inspected" (the
    same grade the line carries, as ``portal.warehouse.operations`` leaves it). One
    statement; returns the number of results."""
    inspected_at = (
        select(func.min(RmaEvent.created_at))
        .where(RmaEvent.rma_id == RmaLine.rma_id, RmaEvent.to_state == "inspected")
        .correlate(RmaLine)
        .scalar_subquery()
    )
    rows = select(
        RmaLine.id,
        RmaLine.grade,
        RmaLine.quantity_accepted,
        RmaLine.disposition,
        literal(""),
        literal(inspector_id),
        inspected_at,
    ).where(
        RmaLine.rma_id >= first_rma_id,
        RmaLine.grade.is_not(None),
        RmaLine.quantity_accepted > 0,
        inspected_at.is_not(None),
    )
    columns = (
        "rma_line_id", "grade", "quantity", "disposition", "note", "inspected_by_id", "created_at",
    )  # fmt: skip
    session.execute(insert(InspectionResult).from_select(columns, rows))
    written = select(func.count()).select_from(InspectionResult).join(RmaLine)
    return session.scalar(written.where(RmaLine.rma_id >= first_rma_id)) or 0
