"""Return types: what a retailer can ask for, under which policy and workflow."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, CreatedAt, JsonDocument

if TYPE_CHECKING:
    from models.workflow import Workflow


class ReturnType(Base):
    __tablename__ = "return_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    workflow_id: Mapped[int] = mapped_column(
        ForeignKey("workflows.id", ondelete="RESTRICT"), index=True
    )
    # Reasons, resolutions and the policy rules are designer-edited documents.
    reasons: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    resolutions: Mapped[list[str]] = mapped_column(JsonDocument, default=list)
    policy: Mapped[dict[str, Any]] = mapped_column(JsonDocument, default=dict)
    requires_photos: Mapped[bool] = mapped_column(default=False)
    requires_description: Mapped[bool] = mapped_column(default=False)
    is_archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[CreatedAt]

    workflow: Mapped[Workflow] = relationship()

    def __repr__(self) -> str:
        return f"<ReturnType {self.code}>"
