"""Webhooks: the distributor's subscriptions and the deliveries the worker makes for them.

A delivery is the webhook part of the outbox: written in the same transaction as the
change it reports, delivered after the commit by the outbox worker, retried with backoff
and parked after repeated failures (``portal/webhooks/``).
"""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, CreatedAt, JsonDocument, Timestamp, str_enum, utcnow


class WebhookEvent(enum.StrEnum):
    """The events a subscription may ask for: the one vocabulary."""

    RMA_SUBMITTED = "rma.submitted"
    RMA_APPROVED = "rma.approved"
    RMA_REJECTED = "rma.rejected"
    RMA_RECEIVED = "rma.received"
    RMA_CREDITED = "rma.credited"
    CREDIT_MEMO_ISSUED = "credit_memo.issued"


class DeliveryState(enum.StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    PARKED = "parked"  # gave up after repeated failures; an admin may redeliver it


URL_LENGTH = 500
REASON_LENGTH = 300
RESPONSE_EXCERPT_LENGTH = 500


class WebhookSubscription(Base):
    __tablename__ = "webhook_subscriptions"
    __table_args__ = (CheckConstraint("length(url) > 0", name="url_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(URL_LENGTH))
    # WebhookEvent values; a list rather than a row per event: it is read whole.
    event_types: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    # The Standard Webhooks secret ("whsec_" + base64). Kept, not hashed: it signs.
    secret: Mapped[str] = mapped_column(String(100))
    active: Mapped[bool] = mapped_column(default=True)
    disabled_reason: Mapped[str] = mapped_column(String(REASON_LENGTH), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[CreatedAt]

    deliveries: Mapped[list[WebhookDelivery]] = relationship(
        back_populates="subscription", cascade="all, delete-orphan", passive_deletes=True
    )

    def __repr__(self) -> str:
        return f"<WebhookSubscription {self.id} {self.url}>"


class WebhookDelivery(Base):
    """One event for one subscription, with its series of attempts."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        Index("ix_webhook_deliveries_state_next_attempt_at", "state", "next_attempt_at"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_subscriptions.id", ondelete="CASCADE"), index=True
    )
    # The Standard Webhooks message id ("msg_…"): the same on every attempt and redelivery,
    # so a receiver can tell a repeat from a new event.
    event_id: Mapped[str] = mapped_column(String(40), unique=True)
    event_type: Mapped[WebhookEvent] = mapped_column(str_enum(WebhookEvent, "event_type"))
    payload: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)
    state: Mapped[DeliveryState] = mapped_column(
        str_enum(DeliveryState, "delivery_state"), default=DeliveryState.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    last_attempt_at: Mapped[Timestamp | None]
    last_status_code: Mapped[int | None]
    # The start of the receiver's answer, or what went wrong: bounded.
    last_response: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[CreatedAt]
    delivered_at: Mapped[Timestamp | None]

    subscription: Mapped[WebhookSubscription] = relationship(back_populates="deliveries")

    def __repr__(self) -> str:
        return f"<WebhookDelivery {self.id} {self.event_type.value} {self.state.value}>"
