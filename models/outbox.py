"""The outbox: notifications written with the change that causes them, delivered later."""

from __future__ import annotations

import enum
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, CreatedAt, JsonDocument, Timestamp, str_enum, utcnow


class Channel(enum.StrEnum):
    EMAIL = "email"
    IN_APP = "in_app"


# The column keeps the width it was created with, when the migration's CHECK constraint
# also listed "webhook" (left in the database for the webhooks of the API issue).
CHANNEL_LENGTH = 7


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"
    SENT = "sent"
    PARKED = "parked"  # gave up after repeated failures; an admin may retry it


class OutboxMessage(Base):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "channel", length=CHANNEL_LENGTH))
    template: Mapped[str] = mapped_column(String(64))
    recipient_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    recipient_address: Mapped[str] = mapped_column(String(254), default="")
    rma_id: Mapped[int | None] = mapped_column(
        ForeignKey("rmas.id", ondelete="SET NULL"), index=True
    )
    payload: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)
    status: Mapped[OutboxStatus] = mapped_column(
        str_enum(OutboxStatus, "outbox_status"), default=OutboxStatus.PENDING
    )
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[Timestamp] = mapped_column(default=utcnow)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[CreatedAt]
    sent_at: Mapped[Timestamp | None]
    read_at: Mapped[Timestamp | None]

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.channel.value} {self.template} {self.status.value}>"
