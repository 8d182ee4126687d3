"""Helpers of the security tests: the identities, the world they act in (the common cast
plus one object of every kind for account A), table snapshots."""

from __future__ import annotations

from sqlalchemy import select

from models import (
    CreditMemo,
    DeliveryState,
    OutboxMessage,
    RmaAttachment,
    WebhookDelivery,
    WebhookEvent,
)
from models.outbox import Channel
from portal.api.operations import create_token
from portal.api.scopes import scopes_for
from portal.webhooks.operations import create_subscription
from tests.portal.admin.flows import resolve
from tests.shop import AURORA, POLICY, VELO, as_shop
from tests.world import World, WorldBuilder


def table_rows(session, models) -> dict[str, dict[int, tuple]]:
    """Every row of ``models``, read afresh: table → id → all its column values."""
    session.expire_all()
    return {
        model.__tablename__: {
            row.id: tuple(getattr(row, column.key) for column in model.__table__.columns)
            for row in session.scalars(select(model))
        }
        for model in models
    }


ACCOUNT_A_NAME = "Optik Alphazeta"


IDENTITIES = (
    "anonymous",
    "retailer_a",
    "retailer_b",
    "rep_a",
    "rep_other",
    "warehouse",
    "admin",
)


def build_world(session, upload_folder) -> World:
    build = WorldBuilder(session).accounts(ACCOUNT_A_NAME, "Brillen Nordlicht", region="DE")
    build.warehouse("DE", code="CEN", name="Central").products(aurora=AURORA, velo=VELO)
    build.order([("aurora", 20, "40.00"), ("velo", 20, "33.33")])
    world = build.world
    build.order([("velo", 5, "33.33")], world.other_account)
    build.workflow().return_type(policy=POLICY)
    build.retailer().other_retailer().warehouse_user().admin()
    lines = ((0, 4), (1, 3))
    draft = build.rma("draft", "draft", lines)
    approval = build.rma("approval", "rep_review", lines)
    approval.approval_step, approval.approver_user_id = 1, world.rep.id
    awaiting = build.rma("awaiting", "awaiting_receipt", lines)
    awaiting.label_issued_at = awaiting.created_at
    credited = resolve(session, build.rma("credited", "awaiting_receipt", lines), as_shop(world))
    memo = session.query(CreditMemo).filter_by(rma_id=credited.id).one()
    (upload_folder / "photo-a.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    attachment = RmaAttachment(
        rma_id=draft.id,
        rma_line_id=draft.lines[0].id,
        stored_name="photo-a.png",
        original_name=f"{ACCOUNT_A_NAME}.png",
        content_type="image/png",
        size_bytes=24,
        uploaded_by_id=world.retailer.id,
    )
    notification = OutboxMessage(
        channel=Channel.IN_APP,
        template="rma_authorized",
        recipient_user_id=world.retailer.id,
        rma_id=awaiting.id,
        payload={"number": awaiting.number},
    )
    outbox = OutboxMessage(
        channel=Channel.EMAIL,
        template="rma_authorized",
        recipient_user_id=world.retailer.id,
        recipient_address="a@example.test",
        rma_id=awaiting.id,
    )
    session.add_all([attachment, notification, outbox])
    session.flush()
    session.commit()
    world.memo_number = memo.number
    world.attachment_id = attachment.id
    world.notification_id = notification.id
    world.outbox_id = outbox.id
    _api_tokens(session, world)
    _webhook(session, world)
    return world


def _webhook(session, world: World) -> None:
    """A subscription with one parked delivery, for the webhooks pages' routes."""
    subscription = create_subscription(
        session, world.admin, "https://erp.example.test/hooks", ["rma.submitted"]
    )
    delivery = WebhookDelivery(
        subscription_id=subscription.id,
        event_id="msg_security_world",
        event_type=WebhookEvent.RMA_SUBMITTED,
        payload={"type": "rma.submitted"},
        attempts=6,
        state=DeliveryState.PARKED,
    )
    session.add(delivery)
    session.commit()
    world.webhook_id = subscription.id
    world.webhook_delivery_id = delivery.id
    # Another, for the API's DELETE: the admin pages' delete removes the first.
    other = create_subscription(
        session, world.admin, "https://shop.example.test/hooks", ["rma.credited"]
    )
    session.commit()
    world.api_webhook_id = other.id


def _api_tokens(session, world: World) -> None:
    """A token of every identity holding every scope its role may: the API's routes are
    asked with it (the matrix, the fuzzer), as the pages are asked with a session."""
    for identity, user in world.users.items():
        if user is not None:
            made = create_token(session, user, f"{identity} token", scopes_for(user.role))
            world.api_tokens[identity] = made.secret
            world.api_token_ids[identity] = made.token.id
    session.commit()
