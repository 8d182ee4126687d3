"""The admin outbox page: parked e-mails are listed with their error and can be retried."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from models import Channel, OutboxMessage, OutboxStatus

LONG_AGO = datetime(2026, 1, 1, tzinfo=UTC)


def parked(session, address="olga@example.com", **fields):
    row = OutboxMessage(
        channel=Channel.EMAIL,
        template="rma_authorized",
        recipient_address=address,
        payload={"rma_number": "RMA-2026-000042"},
        status=OutboxStatus.PARKED,
        attempts=8,
        last_error="SMTPDataError: (452, b'Mailbox full')",
        next_attempt_at=LONG_AGO,
        **fields,
    )
    session.add(row)
    session.flush()
    return row


@pytest.mark.parametrize("who", ["retailer", "rep", "warehouse"])
def test_only_admins_see_the_outbox(client, db_session, login_as, world, who):
    row = parked(db_session)
    login_as(world.person(who))
    assert client.get("/admin/outbox/").status_code == 403
    assert client.post(f"/admin/outbox/{row.id}/retry").status_code == 403
    db_session.refresh(row)
    assert row.status is OutboxStatus.PARKED


def test_parked_messages_are_listed_with_their_error(client, db_session, login_as, world):
    parked(db_session)
    db_session.add(
        OutboxMessage(
            channel=Channel.EMAIL,
            template="rma_closed",
            recipient_address="sent@example.com",
            status=OutboxStatus.SENT,
        )
    )
    db_session.flush()
    login_as(world.admin)
    page = client.get("/admin/outbox/").get_data(as_text=True)
    assert "olga@example.com" in page
    assert "RMA-2026-000042 is authorized" in page
    assert "Mailbox full" in page
    assert "Parked (1)" in page and "Sent (1)" in page
    assert "sent@example.com" not in page
    assert "sent@example.com" in client.get("/admin/outbox/?status=sent").get_data(as_text=True)


def test_retrying_queues_the_message_again(client, db_session, login_as, world):
    row = parked(db_session)
    login_as(world.admin)
    response = client.post(f"/admin/outbox/{row.id}/retry")
    assert response.status_code == 303
    db_session.refresh(row)
    assert row.status is OutboxStatus.PENDING
    assert row.attempts == 0
    assert row.next_attempt_at > LONG_AGO
    assert "Mailbox full" in row.last_error  # kept until it is delivered
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "queued again" in page


def test_retrying_a_message_that_is_not_parked_changes_nothing(client, db_session, login_as, world):
    row = parked(db_session)
    row.status = OutboxStatus.SENT
    db_session.flush()
    login_as(world.admin)
    response = client.post(f"/admin/outbox/{row.id}/retry", follow_redirects=True)
    assert f"Message {row.id} is sent, not parked." in response.get_data(as_text=True)
    db_session.refresh(row)
    assert row.status is OutboxStatus.SENT and row.attempts == 8


def test_retry_all_parked(client, db_session, login_as, world):
    rows = [parked(db_session, f"r{n}@example.com") for n in range(3)]
    login_as(world.admin)
    response = client.post("/admin/outbox/retry-parked", follow_redirects=True)
    assert "3 parked messages queued again." in response.get_data(as_text=True)
    for row in rows:
        db_session.refresh(row)
        assert row.status is OutboxStatus.PENDING


def test_an_unknown_message_is_404(client, db_session, login_as, world):
    login_as(world.admin)
    assert client.post("/admin/outbox/999999/retry").status_code == 404
