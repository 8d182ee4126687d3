"""Users and their roles."""

from __future__ import annotations

import enum
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, CreatedAt, str_enum

if TYPE_CHECKING:
    from models.account import RetailerAccount


class Role(enum.StrEnum):
    ADMIN = "admin"
    SALES_REP = "sales_rep"
    WAREHOUSE = "warehouse"
    RETAILER = "retailer"

    @property
    def label(self) -> str:
        return {"sales_rep": "Sales rep"}.get(self.value, self.value.capitalize())


class User(Base):
    __tablename__ = "users"
    __table_args__ = (
        # A retailer user always belongs to exactly one account; staff never do.
        CheckConstraint(
            "(role = 'retailer') = (account_id IS NOT NULL)", name="retailer_has_account"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stored lower-case (see portal.auth.operations) so uniqueness is case-insensitive.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"))
    account_id: Mapped[int | None] = mapped_column(
        ForeignKey("retailer_accounts.id", ondelete="RESTRICT"), index=True
    )
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Copied into the session at login; bumping it (logout, new password) ends every
    # session made before, including copies of the cookie (see portal.auth.access).
    session_epoch: Mapped[int] = mapped_column(default=0, server_default="0")
    created_at: Mapped[CreatedAt]

    account: Mapped[RetailerAccount | None] = relationship(
        back_populates="users", foreign_keys=[account_id]
    )

    # Flask-Login protocol, kept here so the model needs no mixin from the web layer.
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        return str(self.id)

    def __repr__(self) -> str:
        return f"<User {self.email} {self.role.value}>"
