"""Retailer accounts: the distributor's customers."""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, CreatedAt, Currency, str_enum

if TYPE_CHECKING:
    from models.order import Order
    from models.user import User


class AccountStatus(enum.StrEnum):
    ACTIVE = "active"
    ON_HOLD = "on_hold"

    @property
    def label(self) -> str:
        return {"on_hold": "On hold"}.get(self.value, self.value.capitalize())


class RetailerAccount(Base):
    __tablename__ = "retailer_accounts"
    __table_args__ = (
        CheckConstraint(
            "tax_rate_percent >= 0 AND tax_rate_percent <= 100", name="tax_rate_percent_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    country: Mapped[str] = mapped_column(String(2))
    currency: Mapped[Currency]
    sales_rep_id: Mapped[int | None] = mapped_column(
        # users.account_id points back here; ALTER breaks the cycle on PostgreSQL.
        ForeignKey("users.id", ondelete="SET NULL", use_alter=True),
        index=True,
    )
    region: Mapped[str] = mapped_column(String(32))
    # The sender address printed on return labels; empty until the admin or the ERP sets it.
    street: Mapped[str] = mapped_column(String(200), default="", server_default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="", server_default="")
    city: Mapped[str] = mapped_column(String(100), default="", server_default="")
    status: Mapped[AccountStatus] = mapped_column(
        str_enum(AccountStatus, "account_status"), default=AccountStatus.ACTIVE
    )
    vat_number: Mapped[str | None] = mapped_column(String(32))
    # The VAT rate its credit memos are taxed at (0 for reverse charge or export).
    tax_rate_percent: Mapped[Decimal] = mapped_column(
        Numeric(5, 2), default=Decimal(0), server_default="0"
    )
    created_at: Mapped[CreatedAt]

    sales_rep: Mapped[User | None] = relationship(foreign_keys=[sales_rep_id])
    users: Mapped[list[User]] = relationship(
        back_populates="account", foreign_keys="User.account_id"
    )
    orders: Mapped[list[Order]] = relationship(back_populates="account")

    def __repr__(self) -> str:
        return f"<RetailerAccount {self.number}>"
