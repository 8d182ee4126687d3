"""The worker escalates approval steps past their SLA, once, and mails the new approver."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, sessionmaker

from models import Channel, OutboxMessage, OutboxStatus, Rma, RmaEvent, Role
from models.base import utcnow
from portal.db import get_database
from portal.notifications.cli import worker
from portal.notifications.worker import RetryPolicy, Worker
from tests.factories import (
    make_account,
    make_published_workflow,
    make_retailer,
    make_rma,
    make_user,
)
from workflow_designer.runtime.firing import fire
from workflow_designer.runtime.sla import escalate_overdue

SLA = timedelta(hours=48)  # the stock rotation template's rep step


def overdue_rma(session: Session, account, version, retailer) -> Rma:
    """An RMA waiting on its rep's approval since 50 hours ago: 2 hours past the SLA."""
    rma = make_rma(session, account, version, exception_requested=True)
    fire(session, rma, "submit", retailer, now=utcnow() - SLA - timedelta(hours=2))
    assert rma.state == "rep_review" and rma.due_at < utcnow()
    return rma


def escalations(session: Session, rma_id: int) -> tuple[int, list[tuple[str, str]]]:
    """How often the RMA was escalated, and the escalation notices written for it."""
    session.expire_all()
    events = session.scalar(
        select(func.count())
        .select_from(RmaEvent)
        .where(RmaEvent.rma_id == rma_id, RmaEvent.trigger == "escalate")
    )
    notices = session.execute(
        select(OutboxMessage.channel, OutboxMessage.status)
        .where(OutboxMessage.rma_id == rma_id, OutboxMessage.template == "approval_escalated")
        .order_by(OutboxMessage.id)
    ).all()
    return events, [(channel.value, status.value) for channel, status in notices]


def test_a_worker_pass_escalates_an_overdue_step_once(app, db_session, shop, tmp_path):
    app.instance_path = str(tmp_path)
    rma = overdue_rma(db_session, shop["account"], shop["version"], shop["retailer"])
    db_session.commit()
    run = app.test_cli_runner()

    first = run.invoke(worker, ["--once"])
    assert first.exit_code == 0, first.output
    assert "Escalated 1." in first.output
    db_session.refresh(rma)
    assert (rma.approver_user_id, rma.approver_role) == (None, "admin")
    assert rma.due_at > utcnow()
    # One notice per admin, by e-mail and in the app; the same pass mailed it.
    events, notices = escalations(db_session, rma.id)
    assert events == 1
    assert notices == [("email", "sent"), ("in_app", "pending")]
    mail = [(tmp_path / "mail" / name).read_text() for name in os.listdir(tmp_path / "mail")]
    assert sum(rma.number in text and "overdue" in text.lower() for text in mail) == 1

    second = run.invoke(worker, ["--once"])
    assert second.exit_code == 0, second.output
    assert "Escalated 0." in second.output
    assert escalations(db_session, rma.id) == (1, notices)


def test_a_pass_escalates_every_overdue_step_batch_by_batch(app, db_session, shop, monkeypatch):
    numbers = [
        overdue_rma(db_session, shop["account"], shop["version"], shop["retailer"]).number
        for _ in range(5)
    ]
    db_session.commit()
    batches = []

    def counted(session, now, limit):
        batch = escalate_overdue(session, now, limit)
        batches.append(len(batch))
        return batch

    monkeypatch.setattr("portal.notifications.worker.escalate_overdue", counted)
    runner = Worker(get_database(app).session_factory, None, None, RetryPolicy(), batch_size=2)
    assert sorted(runner.escalate()) == sorted(numbers)
    assert batches == [2, 2, 1, 0]  # each batch in a transaction of its own, then an empty one
    assert runner.escalate() == []


def test_a_failing_escalation_does_not_stop_delivery(app, db_session, shop, tmp_path, monkeypatch):
    app.instance_path = str(tmp_path)
    rma = overdue_rma(db_session, shop["account"], shop["version"], shop["retailer"])
    db_session.commit()

    def broken(*_args, **_kwargs):
        raise RuntimeError("a workflow version nobody can compile")

    monkeypatch.setattr("portal.notifications.worker.escalate_overdue", broken)
    result = app.test_cli_runner().invoke(worker, ["--once"])
    assert result.exit_code == 0, result.output
    assert "escalating overdue approvals failed" in result.output
    assert "Escalated 0. Sent 1," in result.output  # the rep's submit notice still went out
    assert escalations(db_session, rma.id)[0] == 0


def impatient(sessions: sessionmaker) -> sessionmaker:
    """Sessions that give up on a row lock after 3 s: a worker that waited for another
    instead of skipping its rows fails the test rather than hanging it."""
    factory = sessionmaker(bind=sessions.kw["bind"], expire_on_commit=False)

    @event.listens_for(factory, "after_begin")
    def _lock_timeout(_session, _transaction, connection):
        connection.exec_driver_sql("SET LOCAL lock_timeout = '3s'")

    return factory


@pytest.mark.postgres_only
def test_two_workers_escalate_a_step_once(committed_sessions):
    """While one worker is inside its escalation transaction, another skips the RMA (SKIP
    LOCKED) instead of waiting for it or escalating it again; afterwards it is not due."""
    with committed_sessions() as session:
        rep = make_user(session, Role.SALES_REP)
        make_user(session, Role.ADMIN)
        account = make_account(session, sales_rep=rep)
        version = make_published_workflow(session, "stock_rotation")
        rma = overdue_rma(session, account, version, make_retailer(session, account))
        session.commit()
        rma_id, number = rma.id, rma.number
    second = Worker(impatient(committed_sessions), None, None, RetryPolicy(), batch_size=10)

    with committed_sessions() as first:
        assert escalate_overdue(first, utcnow()) == [number]  # holds the RMA's row lock
        assert second.escalate() == []
        first.commit()
    assert second.escalate() == []

    with committed_sessions() as session:
        events, notices = escalations(session, rma_id)
        assert events == 1
        assert sorted(channel for channel, _status in notices) == [
            Channel.EMAIL.value,
            Channel.IN_APP.value,
        ]
        assert {status for _channel, status in notices} == {OutboxStatus.PENDING.value}
