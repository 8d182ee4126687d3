"""Credit memos and the account ledger. Both are written once and never changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, CreatedAt, Currency, Money

if TYPE_CHECKING:
    from models.account import RetailerAccount
    from models.rma import Rma


class CreditMemo(Base):
    """The credit granted for one RMA. ``rma_id`` is unique: a second memo is impossible."""

    __tablename__ = "credit_memos"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    rma_id: Mapped[int] = mapped_column(ForeignKey("rmas.id", ondelete="RESTRICT"), unique=True)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("retailer_accounts.id", ondelete="RESTRICT"), index=True
    )
    currency: Mapped[Currency]
    amount: Mapped[Money]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[CreatedAt]

    rma: Mapped[Rma] = relationship()
    account: Mapped[RetailerAccount] = relationship()
    lines: Mapped[list[CreditMemoLine]] = relationship(
        back_populates="memo", order_by="CreditMemoLine.id"
    )

    def __repr__(self) -> str:
        return f"<CreditMemo {self.number} {self.amount} {self.currency}>"


class CreditMemoLine(Base):
    """One priced line of a memo: gross, less fee and grade deduction, plus bonus."""

    __tablename__ = "credit_memo_lines"

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_memo_id: Mapped[int] = mapped_column(
        ForeignKey("credit_memos.id", ondelete="RESTRICT"), index=True
    )
    rma_line_id: Mapped[int | None] = mapped_column(ForeignKey("rma_lines.id", ondelete="RESTRICT"))
    description: Mapped[str] = mapped_column(String(255))
    quantity: Mapped[int]
    gross: Mapped[Money]
    restocking_fee: Mapped[Money]
    grade_deduction: Mapped[Money]
    exchange_bonus: Mapped[Money]
    amount: Mapped[Money]

    memo: Mapped[CreditMemo] = relationship(back_populates="lines")


class LedgerEntry(Base):
    """A signed movement on the account (credit positive); the balance is their sum."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        Index("ix_ledger_entries_account_id_created_at", "account_id", "created_at"),
        # Balances summed from the index alone.
        Index(
            "ix_ledger_entries_account_id_currency",
            "account_id",
            "currency",
            postgresql_include=["amount"],
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("retailer_accounts.id", ondelete="RESTRICT"))
    credit_memo_id: Mapped[int | None] = mapped_column(
        ForeignKey("credit_memos.id", ondelete="RESTRICT"), unique=True
    )
    currency: Mapped[Currency]
    amount: Mapped[Money]
    description: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[CreatedAt]

    def __repr__(self) -> str:
        return f"<LedgerEntry {self.account_id} {self.amount:+} {self.currency}>"
