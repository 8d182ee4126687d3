"""Return types: what a retailer can ask for, under which policy and workflow; and the
numbered versions of each return type's policy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, CreatedAt, JsonDocument

if TYPE_CHECKING:
    from models.account import User
    from models.workflow import Workflow

POLICY_NOTE_LENGTH = 500


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


class PolicyVersion(Base):
    """One saved state of a return type's policy document (``ReturnType.policy``).

    Every save that changes the policy adds the next number; earlier versions are kept as
    they were (``workflow_designer.runtime.policy_versions`` refuses any change to one).
    The highest number is the current policy, and ``ReturnType.policy`` holds its params.
    """

    __tablename__ = "policy_versions"
    __table_args__ = (
        # Two admins saving at once can never both get the same number.
        UniqueConstraint("return_type_id", "number"),
        CheckConstraint("number >= 1", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    return_type_id: Mapped[int] = mapped_column(ForeignKey("return_types.id", ondelete="RESTRICT"))
    number: Mapped[int]
    params: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    note: Mapped[str] = mapped_column(String(POLICY_NOTE_LENGTH), default="")
    # The version whose params a restore copied; None for an edit.
    restored_from: Mapped[int | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[CreatedAt]

    return_type: Mapped[ReturnType] = relationship()
    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<PolicyVersion {self.return_type_id} v{self.number}>"
