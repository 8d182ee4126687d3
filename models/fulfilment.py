"""Replacement orders created from rotation RMAs, for the ERP to fulfil."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, CreatedAt, Timestamp, str_enum
from workflow_designer.policy.words import lazy_gettext as _l

if TYPE_CHECKING:
    from models.account import RetailerAccount
    from models.rma import Rma


class ReplacementOrderStatus(enum.StrEnum):
    TO_FULFIL = "to_fulfil"
    EXPORTED = "exported"

    @property
    def label(self) -> str:
        return str(_STATUS_LABELS[self])

    @property
    def lazy_label(self) -> Any:
        return _STATUS_LABELS[self]


# Read in the reader's language when shown (the models never import Flask).
_STATUS_LABELS = {
    ReplacementOrderStatus.TO_FULFIL: _l("To fulfil"),
    ReplacementOrderStatus.EXPORTED: _l("Exported to ERP"),
}


class ReplacementOrder(Base):
    """The RMA's replacement lines as an order; one per RMA."""

    __tablename__ = "replacement_orders"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    rma_id: Mapped[int] = mapped_column(ForeignKey("rmas.id", ondelete="RESTRICT"), unique=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("retailer_accounts.id", ondelete="RESTRICT"), index=True
    )
    status: Mapped[ReplacementOrderStatus] = mapped_column(
        str_enum(ReplacementOrderStatus, "replacement_order_status"),
        default=ReplacementOrderStatus.TO_FULFIL,
    )
    created_at: Mapped[CreatedAt]
    exported_at: Mapped[Timestamp | None]

    rma: Mapped[Rma] = relationship()
    account: Mapped[RetailerAccount] = relationship()

    def __repr__(self) -> str:
        return f"<ReplacementOrder {self.number} {self.status.value}>"
