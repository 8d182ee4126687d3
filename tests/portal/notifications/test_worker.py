"""The outbox worker against a real SMTP server: delivery, backoff, parking, the sink."""

from __future__ import annotations

import os
from datetime import timedelta
from email import message_from_bytes, policy

import pytest
from sqlalchemy import select

from models import Channel, OutboxMessage, OutboxStatus
from portal.notifications.sink import SinkTransport
from portal.notifications.transports import SmtpTransport
from portal.notifications.worker import RetryPolicy
from tests.world import authorized_rma


def email_rows(session, rma=None) -> list[OutboxMessage]:
    query = select(OutboxMessage).where(OutboxMessage.channel == Channel.EMAIL)
    if rma is not None:
        query = query.where(OutboxMessage.rma_id == rma.id)
    session.expire_all()
    return list(session.scalars(query.order_by(OutboxMessage.id)))


def queued(db_session, world, clock):
    """An authorized RMA whose 'authorized' e-mail to the retailer is due now."""
    rma = authorized_rma(db_session, world)
    for row in email_rows(db_session, rma):
        row.next_attempt_at = clock.now
    db_session.flush()
    (row,) = email_rows(db_session, rma)
    return rma, row


def test_due_mail_is_delivered_over_smtp(app, db_session, world, clock, smtp_server, make_worker):
    inbox, port = smtp_server
    rma, row = queued(db_session, world, clock)
    with app.app_context():
        result = make_worker(port).run_once()
    assert (result.sent, result.retrying, result.parked) == (1, 0, 0)
    (message,) = inbox.messages
    assert inbox.envelopes == [("returns@nordwind.example.com", [world.retailer.email])]
    assert message["Subject"] == f"{rma.number} is authorized: print the return label"
    assert message["To"] == world.retailer.email
    text = message.get_body(("plain",)).get_content()
    assert text.startswith("Hello Olga Optician,")
    assert f"http://127.0.0.1:5000/rmas/{rma.number}" in text
    assert message.get_body(("html",)) is not None
    (row,) = email_rows(db_session, rma)
    assert row.status is OutboxStatus.SENT
    assert (row.sent_at, row.attempts, row.last_error) == (clock.now, 1, "")


def test_in_app_rows_are_left_to_the_notifications_page(
    app, db_session, world, clock, smtp_server, make_worker
):
    _, port = smtp_server
    rma, _ = queued(db_session, world, clock)
    with app.app_context():
        make_worker(port).run_once()
    in_app = db_session.scalars(
        select(OutboxMessage).where(
            OutboxMessage.rma_id == rma.id, OutboxMessage.channel == Channel.IN_APP
        )
    ).all()
    assert in_app and all(r.status is OutboxStatus.PENDING and r.attempts == 0 for r in in_app)


def test_failures_back_off_exponentially(app, db_session, world, clock, smtp_server, make_worker):
    inbox, port = smtp_server
    inbox.failure = "451 4.3.0 Mailbox temporarily unavailable"
    rma, row = queued(db_session, world, clock)
    worker = make_worker(port, first_delay=60, max_attempts=8)
    start = clock.now
    with app.app_context():
        assert worker.run_once().retrying == 1
        (row,) = email_rows(db_session, rma)
        assert row.status is OutboxStatus.PENDING
        assert row.attempts == 1
        assert row.next_attempt_at == start + timedelta(seconds=60)
        assert "451" in row.last_error and "temporarily unavailable" in row.last_error

        clock.advance(seconds=59)
        assert worker.run_once().handled == 0  # not due yet
        clock.advance(seconds=1)
        assert worker.run_once().retrying == 1
        (row,) = email_rows(db_session, rma)
        assert row.attempts == 2
        assert row.next_attempt_at == clock.now + timedelta(seconds=120)

        inbox.failure = None
        clock.advance(seconds=120)
        assert worker.run_once().sent == 1
    (row,) = email_rows(db_session, rma)
    assert (row.status, row.attempts, row.last_error) == (OutboxStatus.SENT, 3, "")
    assert len(inbox.messages) == 1


def test_after_the_last_attempt_a_message_is_parked(
    app, db_session, world, clock, smtp_server, make_worker
):
    inbox, port = smtp_server
    inbox.failure = "452 4.2.2 Mailbox full"
    rma, _ = queued(db_session, world, clock)
    worker = make_worker(port, max_attempts=3, first_delay=10)
    with app.app_context():
        for _ in range(3):
            worker.run_once()
            clock.advance(hours=1)
        (row,) = email_rows(db_session, rma)
        assert row.status is OutboxStatus.PARKED
        assert row.attempts == 3
        assert "Mailbox full" in row.last_error
        clock.advance(days=30)
        assert worker.run_once().handled == 0  # parked stays parked until an admin retries


def test_the_default_is_eight_attempts_with_a_capped_delay():
    retry = RetryPolicy()
    assert retry.max_attempts == 8
    assert [retry.delay(n).total_seconds() for n in range(1, 9)] == [
        60,
        120,
        240,
        480,
        960,
        1920,
        3840,
        7680,
    ]
    assert retry.delay(30) == timedelta(hours=6)


def test_an_unreachable_server_is_retried(app, db_session, world, clock, make_worker):
    rma, _ = queued(db_session, world, clock)
    with app.app_context():
        result = make_worker(port=None).run_once()  # nothing listens on that port
    assert result.retrying == 1
    (row,) = email_rows(db_session, rma)
    assert row.status is OutboxStatus.PENDING and row.attempts == 1
    assert "Connection refused" in row.last_error or "Errno" in row.last_error


def test_starttls_is_required_when_configured(
    app, db_session, world, clock, smtp_server, make_worker
):
    inbox, port = smtp_server
    rma, _ = queued(db_session, world, clock)
    transport = SmtpTransport("127.0.0.1", port, use_tls=True, timeout=5)
    with app.app_context():
        assert make_worker(transport=transport).run_once().retrying == 1
    (row,) = email_rows(db_session, rma)
    assert "STARTTLS" in row.last_error
    assert inbox.messages == []  # nothing went out in the clear


def test_rows_that_cannot_be_sent_are_parked_at_once(
    app, db_session, world, clock, smtp_server, make_worker
):
    _, port = smtp_server
    rma, row = queued(db_session, world, clock)
    row.recipient_address = ""
    other = OutboxMessage(
        channel=Channel.EMAIL,
        template="rma_teleported",
        recipient_address="x@example.com",
        payload={"rma_number": rma.number},
        next_attempt_at=clock.now,
    )
    db_session.add(other)
    db_session.flush()
    with app.app_context():
        assert make_worker(port).run_once().parked == 2
    rows = {r.template: r for r in email_rows(db_session)}
    assert "no e-mail address" in rows["rma_authorized"].last_error
    assert "rma_teleported" in rows["rma_teleported"].last_error
    assert all(r.status is OutboxStatus.PARKED and r.attempts == 1 for r in rows.values())


def test_claimed_rows_are_leased(app, db_session, world, clock, make_worker):
    rma, _ = queued(db_session, world, clock)
    worker = make_worker(lease=300)
    first = worker.claim()
    assert len(first) == 1
    assert worker.claim() == []  # another pass does not take it while it is leased
    (row,) = email_rows(db_session, rma)
    assert row.next_attempt_at == clock.now + timedelta(seconds=300)
    clock.advance(seconds=301)
    assert worker.claim() == first  # a worker that died lets it go when the lease ends


def test_a_pass_delivers_more_than_one_batch(
    app, db_session, world, clock, smtp_server, make_worker
):
    inbox, port = smtp_server
    for n in range(7):
        db_session.add(
            OutboxMessage(
                channel=Channel.EMAIL,
                template="rma_closed",
                recipient_address=f"r{n}@example.com",
                payload={"rma_number": f"RMA-2026-{n:06d}"},
                next_attempt_at=clock.now,
            )
        )
    db_session.flush()
    with app.app_context():
        assert make_worker(port).run_once().sent == 7  # batch_size is 5
    assert sorted(m["To"] for m in inbox.messages) == [f"r{n}@example.com" for n in range(7)]


def test_the_sink_writes_each_message_as_an_eml_file(
    app, db_session, world, clock, make_worker, tmp_path
):
    rma, _ = queued(db_session, world, clock)
    folder = tmp_path / "mail"
    with app.app_context():
        assert make_worker(transport=SinkTransport(str(folder))).run_once().sent == 1
    (name,) = os.listdir(folder)
    assert name.endswith(".eml")
    parsed = message_from_bytes((folder / name).read_bytes(), policy=policy.default)
    assert parsed["Subject"] == f"{rma.number} is authorized: print the return label"
    assert parsed["To"] == world.retailer.email


@pytest.mark.postgres_only
def test_workers_skip_rows_another_worker_has_locked(committed_sessions, clock):
    from portal.notifications.worker import Worker

    with committed_sessions() as session:
        for n in range(4):
            session.add(
                OutboxMessage(
                    channel=Channel.EMAIL,
                    template="rma_closed",
                    recipient_address=f"r{n}@example.com",
                    next_attempt_at=clock.now,
                )
            )
        session.commit()
    worker = Worker(
        committed_sessions,
        transport=None,
        compose=None,
        retry=RetryPolicy(),
        batch_size=10,
        clock=clock,
    )
    with committed_sessions() as other:
        locked = other.scalars(
            select(OutboxMessage.id).order_by(OutboxMessage.id).limit(2).with_for_update()
        ).all()
        claimed = worker.claim()  # runs while the other transaction holds its locks
        other.rollback()
    assert len(claimed) == 2
    assert set(claimed).isdisjoint(locked)
