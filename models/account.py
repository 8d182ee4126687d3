"""Retailer accounts (the distributor's customers) and the users who sign in.

One module: a retailer user belongs to an account and an account names its sales rep, so
each refers to the other."""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, CreatedAt, Currency, str_enum
from workflow_designer.policy.words import lazy_gettext as _l


class AccountStatus(enum.StrEnum):
    ACTIVE = "active"
    ON_HOLD = "on_hold"

    @property
    def label(self) -> str:
        return str(_STATUS_LABELS[self])

    @property
    def lazy_label(self) -> Any:
        return _STATUS_LABELS[self]


# Read in the reader's language when shown (the models never import Flask).
_STATUS_LABELS = {AccountStatus.ACTIVE: _l("Active"), AccountStatus.ON_HOLD: _l("On hold")}


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
    # The language its users read unless they chose their own; None: their browser's.
    locale: Mapped[str | None] = mapped_column(String(8))
    created_at: Mapped[CreatedAt]

    sales_rep: Mapped[User | None] = relationship(foreign_keys=[sales_rep_id])
    users: Mapped[list[User]] = relationship(
        back_populates="account", foreign_keys="User.account_id"
    )

    def __repr__(self) -> str:
        return f"<RetailerAccount {self.number}>"


class Role(enum.StrEnum):
    ADMIN = "admin"
    SALES_REP = "sales_rep"
    WAREHOUSE = "warehouse"
    RETAILER = "retailer"

    @property
    def label(self) -> str:
        return str(_ROLE_LABELS[self])

    @property
    def lazy_label(self) -> Any:
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    Role.ADMIN: _l("Admin"),
    Role.SALES_REP: _l("Sales rep"),
    Role.WAREHOUSE: _l("Warehouse"),
    Role.RETAILER: _l("Retailer"),
}


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
    # The user's own language and time zone; None follows their account or the
    # distributor (see portal.i18n). Unknown values are ignored when read, never used.
    locale: Mapped[str | None] = mapped_column(String(8))
    time_zone: Mapped[str | None] = mapped_column(String(64))
    # Reps and admins get the weekly digest unless they turn it off on their profile.
    weekly_digest: Mapped[bool] = mapped_column(default=True, server_default=true())
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
