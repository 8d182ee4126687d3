"""Items nobody announced: found in a parcel, held apart until someone decides.

What was found of the announced lines (``InspectionResult``) belongs to the RMA, in
``models.rma``."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, CreatedAt, Timestamp
from workflow_designer.policy.words import lazy_gettext as _l

if TYPE_CHECKING:
    from models.catalog import Product
    from models.rma import Rma


class HeldDecision(enum.StrEnum):
    """What happens to units held apart (over-received, or not on the RMA at all)."""

    RETURN_TO_SENDER = "return_to_sender"
    DISPOSE = "dispose"

    @property
    def label(self) -> str:
        return str(_DECISION_LABELS[self])

    @property
    def lazy_label(self) -> Any:
        return _DECISION_LABELS[self]


# Read in the reader's language when shown (the models never import Flask).
_DECISION_LABELS = {
    HeldDecision.RETURN_TO_SENDER: _l("Return to sender"),
    HeldDecision.DISPOSE: _l("Dispose"),
}


class UnexpectedItem(Base):
    """Something in the parcel that is not on the RMA: recorded, never silently accepted."""

    __tablename__ = "unexpected_items"
    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("decision IN ('return_to_sender', 'dispose')", name="decision_known"),
        CheckConstraint(
            "shipped_at IS NULL OR decision = 'return_to_sender'",
            name="shipped_only_when_returned",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    rma_id: Mapped[int] = mapped_column(ForeignKey("rmas.id", ondelete="CASCADE"), index=True)
    product_id: Mapped[int | None] = mapped_column(ForeignKey("products.id", ondelete="RESTRICT"))
    description: Mapped[str] = mapped_column(String(255))
    quantity: Mapped[int]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[CreatedAt]
    # Never stocked nor credited: held apart until a sales rep or an admin decides.
    decision: Mapped[str | None] = mapped_column(String(20))
    shipped_at: Mapped[Timestamp | None]

    rma: Mapped[Rma] = relationship()
    product: Mapped[Product | None] = relationship()

    def __repr__(self) -> str:
        return f"<UnexpectedItem rma {self.rma_id} {self.quantity}x {self.description}>"
