"""Approval SLAs: steps past their due time escalate, as the step says.

Due times are stored on the RMA (set by the ``set_due`` action when a step starts), so the
worker that calls ``escalate_overdue`` can restart at any time and several can run: each
claims overdue RMAs with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Rma, RmaEvent
from workflow_designer.compiler import ApprovalStep, CompiledWorkflow
from workflow_designer.notifications import write_notifications
from workflow_designer.runtime import compiled_for, resolve_approver

ESCALATION_TRIGGER = "escalate"


def escalate_overdue(session: Session, now: datetime, limit: int = 100) -> list[str]:
    """Escalate approval steps whose due time has passed; returns the RMA numbers."""
    overdue = session.scalars(
        select(Rma)
        .where(
            Rma.due_at < now,
            Rma.approval_step.is_not(None),
            (Rma.approver_user_id.is_not(None)) | (Rma.approver_role.is_not(None)),
        )
        .order_by(Rma.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    escalated = []
    for rma in overdue:
        compiled = compiled_for(session, rma)
        step = compiled.state(rma.state).approval
        if step is None:  # left the step; its due time no longer applies
            rma.approver_user_id = rma.approver_role = None
            continue
        _escalate(session, rma, compiled, step, now)
        escalated.append(rma.number)
    session.flush()
    return escalated


def _escalate(
    session: Session, rma: Rma, compiled: CompiledWorkflow, step: ApprovalStep, now: datetime
) -> None:
    target = _next_step(compiled, step) if step.escalate_to == "next" else None
    if target is not None and not rma.escalated_at:
        rma.approver_user_id, rma.approver_role = resolve_approver(rma, target)
        who, hours = f"step {target.step}'s approver", target.sla_hours
    else:
        rma.approver_user_id, rma.approver_role = None, "admin"
        who, hours = "the admins", step.sla_hours
    overdue_since = rma.due_at
    rma.due_at = now + timedelta(hours=hours)
    rma.escalated_at = now
    rma.updated_at = now
    session.add(
        RmaEvent(
            rma_id=rma.id,
            actor_id=None,
            trigger=ESCALATION_TRIGGER,
            from_state=rma.state,
            to_state=rma.state,
            comment=f"Approval overdue since {overdue_since:%Y-%m-%d %H:%M} UTC; "
            f"escalated to {who}.",
            data={"step": step.step, "escalated_to": who},
        )
    )
    effect = {"kind": "notify", "to": "approver", "template": "approval_escalated"}
    write_notifications(session, rma, None, [effect], compiled)


def _next_step(compiled: CompiledWorkflow, step: ApprovalStep) -> ApprovalStep | None:
    later = [s for number, s in compiled.approval_steps.items() if number > step.step]
    return later[0] if later else None
