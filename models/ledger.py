"""Credit memos, refunds and the account ledger. All are written once and never changed:
a correction is a new document (an adjustment or a reversal) that references the original."""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Numeric, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, CreatedAt, Currency, JsonDocument, Money, str_enum

if TYPE_CHECKING:
    from models.account import RetailerAccount
    from models.rma import Rma


class MemoKind(enum.StrEnum):
    CREDIT_MEMO = "credit_memo"
    ADJUSTMENT = "adjustment"
    REVERSAL = "reversal"

    @property
    def label(self) -> str:
        return MEMO_KIND_LABELS[self.value]


MEMO_KIND_LABELS = {
    "credit_memo": "Credit memo",
    "adjustment": "Credit adjustment",
    "reversal": "Reversal",
}

# Written once here, used by the model's indexes and by the migration's frozen copy.
ONE_CREDIT_MEMO_PER_RMA = "kind = 'credit_memo'"
ONE_REVERSAL_PER_MEMO = "kind = 'reversal'"


class CreditMemo(Base):
    """A credit document of one RMA: its credit memo (one per RMA, by a partial unique
    index), or an adjustment or reversal that references an earlier memo."""

    __tablename__ = "credit_memos"
    __table_args__ = (
        Index(
            "uq_credit_memos_rma_id_credit_memo",
            "rma_id",
            unique=True,
            postgresql_where=text(ONE_CREDIT_MEMO_PER_RMA),
            sqlite_where=text(ONE_CREDIT_MEMO_PER_RMA),
        ),
        Index(
            "uq_credit_memos_original_memo_id_reversal",
            "original_memo_id",
            unique=True,
            postgresql_where=text(ONE_REVERSAL_PER_MEMO),
            sqlite_where=text(ONE_REVERSAL_PER_MEMO),
        ),
        # A credit memo stands alone; adjustments and reversals name their original and why.
        CheckConstraint(
            "(kind = 'credit_memo' AND original_memo_id IS NULL) OR "
            "(kind <> 'credit_memo' AND original_memo_id IS NOT NULL AND reason IS NOT NULL)",
            name="original_reference",
        ),
        CheckConstraint(
            "tax_rate_percent >= 0 AND tax_rate_percent <= 100", name="tax_rate_percent_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    kind: Mapped[MemoKind] = mapped_column(
        str_enum(MemoKind, "memo_kind"),
        default=MemoKind.CREDIT_MEMO,
        server_default=MemoKind.CREDIT_MEMO.value,
    )
    rma_id: Mapped[int] = mapped_column(ForeignKey("rmas.id", ondelete="RESTRICT"), index=True)
    original_memo_id: Mapped[int | None] = mapped_column(
        ForeignKey("credit_memos.id", ondelete="RESTRICT")
    )
    reason: Mapped[str | None] = mapped_column(String(500))
    # The account's tax rate when the memo was issued: a later change never alters it.
    tax_rate_percent: Mapped[Decimal] = mapped_column(
        Numeric(5, 2), default=Decimal(0), server_default="0"
    )
    # The credit terms (the return type's policy with the approver's fee decision) the memo
    # was priced under: its adjustments price corrections under the same terms, whatever
    # the policy says later. NULL for memos issued before it was kept.
    terms: Mapped[dict[str, Any] | None] = mapped_column(JsonDocument)
    account_id: Mapped[int] = mapped_column(
        ForeignKey("retailer_accounts.id", ondelete="RESTRICT"), index=True
    )
    currency: Mapped[Currency]
    amount: Mapped[Money]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[CreatedAt]

    rma: Mapped[Rma] = relationship()
    account: Mapped[RetailerAccount] = relationship()
    original: Mapped[CreditMemo | None] = relationship(remote_side=[id])
    lines: Mapped[list[CreditMemoLine]] = relationship(
        back_populates="memo", order_by="CreditMemoLine.id"
    )

    def __repr__(self) -> str:
        return f"<CreditMemo {self.kind} {self.number} {self.amount} {self.currency}>"


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


class RefundMethod(enum.StrEnum):
    BANK_TRANSFER = "bank_transfer"
    CARD = "card"
    CHEQUE = "cheque"
    CASH = "cash"

    @property
    def label(self) -> str:
        return {"bank_transfer": "Bank transfer", "card": "Card refund"}.get(
            self.value, self.value.capitalize()
        )


class Refund(Base):
    """Money paid out to the account against a credit memo (the payout record)."""

    __tablename__ = "refunds"
    __table_args__ = (CheckConstraint("amount > 0", name="amount_positive"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)
    credit_memo_id: Mapped[int] = mapped_column(
        ForeignKey("credit_memos.id", ondelete="RESTRICT"), index=True
    )
    account_id: Mapped[int] = mapped_column(
        ForeignKey("retailer_accounts.id", ondelete="RESTRICT"), index=True
    )
    currency: Mapped[Currency]
    amount: Mapped[Money]
    method: Mapped[RefundMethod] = mapped_column(str_enum(RefundMethod, "refund_method"))
    reference: Mapped[str] = mapped_column(String(100))
    paid_on: Mapped[date] = mapped_column(Date)
    created_by_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    created_at: Mapped[CreatedAt]

    memo: Mapped[CreditMemo] = relationship()

    def __repr__(self) -> str:
        return f"<Refund {self.number} {self.amount} {self.currency}>"


class LedgerEntry(Base):
    """A signed movement on the account (credit positive, a refund negative); the balance
    is their sum."""

    __tablename__ = "ledger_entries"
    __table_args__ = (
        CheckConstraint("credit_memo_id IS NULL OR refund_id IS NULL", name="one_document"),
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
    refund_id: Mapped[int | None] = mapped_column(
        ForeignKey("refunds.id", ondelete="RESTRICT"), unique=True
    )
    currency: Mapped[Currency]
    amount: Mapped[Money]
    description: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[CreatedAt]

    def __repr__(self) -> str:
        return f"<LedgerEntry {self.account_id} {self.amount:+} {self.currency}>"
