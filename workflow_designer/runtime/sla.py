"""Approval SLAs: steps past their due time escalate, as the step says.

Due times are stored on the RMA (set by the ``set_due`` action when a step starts), so the
worker that calls ``escalate_overdue`` can restart at any time and several can run: each
claims overdue RMAs with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models import Rma, RmaEvent
from workflow_designer.engine.compiler import ApprovalStep, CompiledWorkflow
from workflow_designer.runtime.firing import compiled_for, resolve_approver
from workflow_designer.runtime.outbox import write_notifications

ESCALATION_TRIGGER = "escalate"
log = logging.getLogger(__name__)


def escalate_overdue(session: Session, now: datetime, limit: int = 100) -> list[str]:
    """Escalate approval steps whose due time has passed; returns the RMA numbers.

    An RMA escalates once per due time: escalating to a next approver sets a new one, while
    escalating to the admins, the end of the line, keeps it (the RMA shows as overdue).
    One RMA that cannot be escalated is logged and skipped, not allowed to stop the rest.
    """
    overdue = session.scalars(
        select(Rma)
        .where(
            Rma.due_at < now,
            Rma.approval_step.is_not(None),
            (Rma.approver_user_id.is_not(None)) | (Rma.approver_role.is_not(None)),
            or_(Rma.escalated_at.is_(None), Rma.escalated_at < Rma.due_at),
        )
        .order_by(Rma.due_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    ).all()
    escalated = []
    for rma in overdue:
        number = rma.number
        try:
            with session.begin_nested():
                if _escalate_one(session, rma, now):
                    escalated.append(number)
        except Exception:  # a broken RMA: log it, escalate the others
            log.exception("could not escalate %s", number)
    session.flush()
    return escalated


def _escalate_one(session: Session, rma: Rma, now: datetime) -> bool:
    compiled = compiled_for(session, rma)
    step = compiled.state(rma.state).approval
    if step is None:  # left the step; its due time no longer applies
        rma.approver_user_id = rma.approver_role = None
        return False
    _escalate(session, rma, compiled, step, now)
    return True


def _escalate(
    session: Session, rma: Rma, compiled: CompiledWorkflow, step: ApprovalStep, now: datetime
) -> None:
    target = _next_step(compiled, step) if step.escalate_to == "next" else None
    overdue_since = rma.due_at
    if target is not None and not rma.escalated_at:
        rma.approver_user_id, rma.approver_role = resolve_approver(rma, target)
        who = f"step {target.step}'s approver"
        rma.due_at = now + timedelta(hours=target.sla_hours)
    else:
        rma.approver_user_id, rma.approver_role = None, "admin"
        who = "the admins"
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
            # The comment's facts, so each reader reads it in their language and zone.
            data={
                "step": step.step,
                "escalated_to": who,
                "to_step": target.step if target is not None else None,
                "overdue_since": overdue_since.isoformat() if overdue_since else None,
            },
        )
    )
    effect = {"kind": "notify", "to": "approver", "template": "approval_escalated"}
    write_notifications(session, rma, None, [effect], compiled)


def _next_step(compiled: CompiledWorkflow, step: ApprovalStep) -> ApprovalStep | None:
    later = [s for number, s in compiled.approval_steps.items() if number > step.step]
    return later[0] if later else None
