"""The designer's own records: simulation scenarios an admin saved to try again later."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, CreatedAt, JsonDocument

if TYPE_CHECKING:
    from models.account import RetailerAccount
    from models.return_type import ReturnType


class SimulationScenario(Base):
    """A return to try in the designer's simulation: account, return type, lines and extras.

    ``settings`` holds what the simulation form posts (quantities by order line id,
    evidence, replacement value, which version); nothing in it is ever evaluated as code.
    """

    __tablename__ = "simulation_scenarios"
    __table_args__ = (UniqueConstraint("name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    return_type_id: Mapped[int] = mapped_column(
        ForeignKey("return_types.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("retailer_accounts.id", ondelete="CASCADE"), index=True
    )
    settings: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[CreatedAt]

    return_type: Mapped[ReturnType] = relationship()
    account: Mapped[RetailerAccount] = relationship()

    def __repr__(self) -> str:
        return f"<SimulationScenario {self.name}>"
