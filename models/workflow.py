"""Workflows and their versions: the state-machine configs RMAs run on."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, CreatedAt, JsonDocument, Timestamp, str_enum

if TYPE_CHECKING:
    from models.account import User


class VersionStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class Workflow(Base):
    __tablename__ = "workflows"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[CreatedAt]

    versions: Mapped[list[WorkflowVersion]] = relationship(
        back_populates="workflow", order_by="WorkflowVersion.number"
    )

    def __repr__(self) -> str:
        return f"<Workflow {self.code}>"


class WorkflowVersion(Base):
    """One version of a workflow's config. Once published it never changes (a trigger
    in the database refuses it, on SQLite and PostgreSQL alike)."""

    __tablename__ = "workflow_versions"
    __table_args__ = (
        UniqueConstraint("workflow_id", "number"),
        # At most one draft per workflow: the designer edits that one.
        Index(
            "uq_workflow_versions_one_draft",
            "workflow_id",
            unique=True,
            sqlite_where=text("status = 'draft'"),
            postgresql_where=text("status = 'draft'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workflow_id: Mapped[int] = mapped_column(ForeignKey("workflows.id", ondelete="RESTRICT"))
    number: Mapped[int]
    status: Mapped[VersionStatus] = mapped_column(
        str_enum(VersionStatus, "version_status"), default=VersionStatus.DRAFT
    )
    config: Mapped[dict[str, Any]] = mapped_column(JsonDocument)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[CreatedAt]
    published_at: Mapped[Timestamp | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    workflow: Mapped[Workflow] = relationship(back_populates="versions")
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    published_by: Mapped[User | None] = relationship(foreign_keys=[published_by_id])

    @property
    def is_editable(self) -> bool:
        return self.status is VersionStatus.DRAFT

    def __repr__(self) -> str:
        return f"<WorkflowVersion {self.workflow_id} v{self.number} {self.status.value}>"
