"""Approval steps past their SLA escalate, from stored due times."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from models import OutboxMessage, Role
from tests.factories import make_rma, make_user
from workflow_designer.runtime.firing import fire, options_for
from workflow_designer.runtime.sla import escalate_overdue

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def submitted_for_review(db_session, shop):
    rma = make_rma(db_session, shop["account"], shop["version"], exception_requested=True)
    fire(db_session, rma, "submit", shop["retailer"], now=NOW - timedelta(hours=50))
    assert rma.state == "rep_review" and rma.approver_user_id == shop["rep"].id
    return rma


def test_an_overdue_rep_step_escalates_to_the_next_approver(db_session, shop):
    admin = make_user(db_session, Role.ADMIN)
    rma = submitted_for_review(db_session, shop)
    assert rma.due_at == NOW - timedelta(hours=2)  # 48 h SLA

    assert escalate_overdue(db_session, NOW) == [rma.number]

    assert (rma.approver_user_id, rma.approver_role) == (None, "admin")
    assert rma.escalated_at == NOW
    assert rma.due_at == NOW + timedelta(hours=72)  # the admin step's SLA
    event = rma.events[-1]
    assert event.trigger == "escalate" and event.actor_id is None
    assert "escalated to step 2's approver" in event.comment
    notified = db_session.scalars(
        select(OutboxMessage.recipient_user_id).where(
            OutboxMessage.template == "approval_escalated"
        )
    ).all()
    assert admin.id in notified
    assert options_for(db_session, rma, shop["rep"]) == []  # the rep no longer holds it


def test_steps_within_their_sla_are_left_alone(db_session, shop):
    rma = submitted_for_review(db_session, shop)
    assert escalate_overdue(db_session, NOW - timedelta(hours=3)) == []
    assert rma.approver_user_id == shop["rep"].id


def test_a_second_overdue_escalates_to_the_admins_once(db_session, shop):
    rma = submitted_for_review(db_session, shop)
    escalate_overdue(db_session, NOW)
    assert escalate_overdue(db_session, NOW + timedelta(hours=1)) == []
    assert escalate_overdue(db_session, NOW + timedelta(hours=73)) == [rma.number]
    assert rma.approver_role == "admin"
    assert rma.due_at == NOW + timedelta(hours=72)  # still overdue, and shown so
    # The admins are the end of the line: no more escalations, events or reminders.
    assert escalate_overdue(db_session, NOW + timedelta(days=30)) == []
    assert [e.trigger for e in rma.events].count("escalate") == 2


def test_an_rma_that_cannot_escalate_does_not_hold_up_the_others(db_session, shop, monkeypatch):
    from workflow_designer.runtime import sla

    broken, fine = submitted_for_review(db_session, shop), submitted_for_review(db_session, shop)
    real = sla.write_notifications

    def failing_for_broken(session, rma, *args):
        if rma.id == broken.id:
            raise RuntimeError("template missing")
        return real(session, rma, *args)

    monkeypatch.setattr(sla, "write_notifications", failing_for_broken)
    assert escalate_overdue(db_session, NOW) == [fine.number]
    assert fine.approver_role == "admin" and fine.escalated_at == NOW
    db_session.refresh(broken)
    # Its savepoint was rolled back: no half escalation, and it is tried again next pass.
    assert broken.approver_user_id == shop["rep"].id and broken.escalated_at is None
    assert [e.trigger for e in broken.events].count("escalate") == 0


def test_approving_clears_the_due_approval(db_session, shop):
    rma = submitted_for_review(db_session, shop)
    fire(db_session, rma, "approve", shop["rep"], comment="Fine", now=NOW)
    assert rma.approver_user_id is None and rma.approver_role is None
    assert escalate_overdue(db_session, NOW + timedelta(days=30)) == []
