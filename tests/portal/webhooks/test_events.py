"""Transitions and credit memos become webhook deliveries, in the same transaction."""

from __future__ import annotations

from sqlalchemy import select

from models import CreditMemo, DeliveryState, WebhookDelivery, WebhookEvent
from portal.webhooks.events import rma_events
from portal.webhooks.operations import create_subscription, set_active
from tests.portal.admin.flows import resolve
from tests.world import NOW, authorized_rma


def deliveries(session) -> list[WebhookDelivery]:
    session.expire_all()
    return list(session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id)))


def test_the_event_vocabulary_follows_triggers_and_states():
    assert rma_events("submit", "authorized") == [
        WebhookEvent.RMA_SUBMITTED,
        WebhookEvent.RMA_APPROVED,
    ]
    assert rma_events("submit", "rep_review") == [WebhookEvent.RMA_SUBMITTED]
    assert rma_events("approve", "authorized") == [WebhookEvent.RMA_APPROVED]
    assert rma_events("receive", "received") == [WebhookEvent.RMA_RECEIVED]
    assert rma_events("reject", "rejected") == [WebhookEvent.RMA_REJECTED]
    assert rma_events("resolve", "credited") == [WebhookEvent.RMA_CREDITED]
    assert rma_events("ship", "awaiting_receipt") == []


def test_a_submission_queues_one_delivery_per_matching_active_subscription(db_session, world):
    wanted = create_subscription(db_session, world.admin, "https://a.example/h", ["rma.submitted"])
    create_subscription(db_session, world.admin, "https://b.example/h", ["rma.received"])
    off = create_subscription(db_session, world.admin, "https://c.example/h", ["rma.submitted"])
    set_active(db_session, off, False)
    rma = authorized_rma(db_session, world)
    (delivery,) = deliveries(db_session)
    assert delivery.subscription_id == wanted.id
    assert delivery.event_type is WebhookEvent.RMA_SUBMITTED
    assert delivery.state is DeliveryState.PENDING and delivery.attempts == 0
    assert delivery.event_id.startswith("msg_")
    payload = delivery.payload
    assert payload["type"] == "rma.submitted"
    assert payload["timestamp"] == "2026-03-02T09:00:00Z"
    data = payload["data"]
    assert data["number"] == rma.number
    assert data["state"] == rma.state
    assert data["account"]["number"] == world.account.number
    assert data["total_value"]["currency"] == rma.currency
    assert (data["trigger"], data["from_state"]) == ("submit", "draft")


def test_a_rolled_back_transition_queues_nothing(db_session, world):
    create_subscription(db_session, world.admin, "https://a.example/h", ["rma.submitted"])
    savepoint = db_session.begin_nested()
    authorized_rma(db_session, world)
    assert len(deliveries(db_session)) >= 1
    savepoint.rollback()
    assert deliveries(db_session) == []


def test_events_nobody_subscribed_to_write_nothing(db_session, world):
    authorized_rma(db_session, world)
    assert deliveries(db_session) == []
    assert NOW  # the world's clock, which the payloads carry


def test_receiving_and_crediting_queue_their_events_and_the_credit_memo(db_session, shop, awaiting):
    events = ["rma.received", "rma.credited", "credit_memo.issued", "rma.submitted"]
    create_subscription(db_session, shop["admin"], "https://erp.example/hooks", events)
    resolve(db_session, awaiting, shop)
    found = {d.event_type.value: d.payload for d in deliveries(db_session)}
    assert sorted(found) == ["credit_memo.issued", "rma.credited", "rma.received"]
    memo = db_session.scalars(select(CreditMemo)).one()
    data = found["credit_memo.issued"]["data"]
    assert data["number"] == memo.number and data["rma_number"] == awaiting.number
    assert data["amount"] == {"amount": "188.66", "currency": "EUR"}
    assert found["rma.credited"]["data"]["state"] == "credited"
