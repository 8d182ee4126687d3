"""The worker delivers webhooks to a real HTTP server: signatures verify with the reference
library; failures are retried on the schedule, then parked and the admins told."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from models import Channel, DeliveryState, OutboxMessage, Role, User, WebhookDelivery
from portal.db import get_database
from portal.notifications.sink import SinkTransport
from portal.notifications.worker import RetryPolicy, Worker, compose_email
from portal.webhooks.operations import create_subscription, redeliver, rotate_secret
from tests.world import authorized_rma


def subscribed(db_session, world, receiver, events=("rma.submitted",)):
    subscription = create_subscription(db_session, world.admin, receiver.url, events)
    rma = authorized_rma(db_session, world)
    (delivery,) = db_session.scalars(select(WebhookDelivery)).all()
    return subscription, rma, delivery


def verify(secret: str, request) -> dict:
    return Webhook(secret).verify(request.body, request.headers)


def test_the_worker_posts_a_signed_delivery_that_verifies(
    app, db_session, world, receiver, clock, tmp_path
):
    subscription, rma, delivery = subscribed(db_session, world, receiver)
    worker = Worker(
        get_database(app).session_factory,
        SinkTransport(tmp_path),
        compose_email("Rotaflow <returns@example.com>"),
        RetryPolicy(),
        clock=clock,
        webhooks=make_sender_for(app, clock),
    )
    with app.app_context():
        result = worker.run_once()
    assert result.webhooks_delivered == 1
    (request,) = receiver.requests
    assert request.path == "/hooks"
    assert request.headers["content-type"] == "application/json"
    assert request.headers["webhook-id"] == delivery.event_id
    payload = verify(subscription.secret, request)
    assert payload["type"] == "rma.submitted"
    assert payload["data"]["number"] == rma.number
    db_session.refresh(delivery)
    assert delivery.state is DeliveryState.DELIVERED
    assert (delivery.attempts, delivery.last_status_code) == (1, 204)
    assert delivery.delivered_at == clock.now


def make_sender_for(app, clock):
    from portal.webhooks.delivery import WebhookPolicy, WebhookSender

    return WebhookSender(get_database(app).session_factory, WebhookPolicy(), clock=clock)


def test_failures_back_off_then_park_disable_and_tell_the_admins(
    db_session, world, receiver, clock, make_sender
):
    receiver.status = 500
    subscription, _, delivery = subscribed(db_session, world, receiver)
    sender = make_sender(max_attempts=6)
    waits = []
    for attempt in range(1, 7):
        counts = sender.run()
        assert len(receiver.requests) == attempt
        db_session.refresh(delivery)
        assert delivery.attempts == attempt
        assert sender.run().retrying == 0  # nothing is due before its wait is over
        if attempt < 6:
            assert counts.retrying == 1
            waits.append(delivery.next_attempt_at - clock.now)
            clock.advance(seconds=waits[-1].total_seconds())
    assert waits == [timedelta(seconds=s) for s in (60, 300, 1800, 7200, 21600)]
    assert counts.parked == 1
    assert delivery.state is DeliveryState.PARKED
    assert delivery.last_status_code == 500 and delivery.last_response == "ok"
    db_session.refresh(subscription)
    assert not subscription.active
    assert "6 failed attempts" in subscription.disabled_reason
    alerts = db_session.scalars(
        select(OutboxMessage).where(OutboxMessage.template == "webhook_disabled")
    ).all()
    to_admin = {(row.channel, row.recipient_user_id) for row in alerts}
    assert {(Channel.EMAIL, world.admin.id), (Channel.IN_APP, world.admin.id)} <= to_admin
    recipients = {db_session.get(User, row.recipient_user_id) for row in alerts}
    assert {user.role for user in recipients} == {Role.ADMIN}
    assert world.retailer not in recipients
    assert alerts[0].payload["webhook_url"] == receiver.url


def test_a_disabled_subscription_sends_nothing_and_a_redelivery_goes_out_again(
    db_session, world, receiver, clock, make_sender
):
    receiver.status = 503
    subscription, _, delivery = subscribed(db_session, world, receiver)
    make_sender(max_attempts=1).run()
    db_session.refresh(delivery)
    assert delivery.state is DeliveryState.PARKED
    receiver.status = 200
    redeliver(db_session, delivery, clock.now)
    db_session.flush()
    assert make_sender().run().delivered == 0  # the subscription is still off
    db_session.refresh(subscription)
    assert not subscription.active
    subscription.active = True
    db_session.flush()
    assert make_sender().run().delivered == 1
    first, second = receiver.requests
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == delivery.event_id
    assert verify(subscription.secret, second)["type"] == "rma.submitted"


def test_a_rotated_secret_signs_new_deliveries_and_the_old_one_no_longer_verifies(
    db_session, world, receiver, make_sender
):
    subscription, _, _ = subscribed(db_session, world, receiver)
    old = subscription.secret
    new = rotate_secret(db_session, subscription)
    db_session.flush()
    assert new != old and new.startswith("whsec_")
    make_sender().run()
    (request,) = receiver.requests
    assert verify(new, request)["type"] == "rma.submitted"
    with pytest.raises(WebhookVerificationError):
        verify(old, request)


def test_an_unreachable_receiver_is_a_failure_with_its_reason(
    db_session, world, receiver, make_sender
):
    subscription, _, delivery = subscribed(db_session, world, receiver)
    subscription.url = "http://127.0.0.1:9/closed"
    db_session.flush()
    assert make_sender(timeout=1.0).run().retrying == 1
    db_session.refresh(delivery)
    assert delivery.last_status_code is None
    assert "Error" in delivery.last_response
    assert json.dumps(delivery.payload)  # the payload stays as queued
