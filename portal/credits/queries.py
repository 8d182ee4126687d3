"""Reads of the credit ledger (scoped like every account read), and what resolving an RMA
would credit and order (the resolution page's previews)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask import abort
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from models import (
    CreditMemo,
    LedgerEntry,
    OrderLine,
    Product,
    ReplacementLine,
    RetailerAccount,
    Rma,
    RmaLine,
    User,
)
from portal.credits.operations import RESOLUTION_LABELS, LineAmounts, credit_for, line_amounts
from portal.pagination import Page, paginate
from portal.scope import account_scope
from workflow_designer.policy.credit import CreditEstimate, CreditLine
from workflow_designer.policy.money import round_money
from workflow_designer.policy.spec import GRADE_LABELS


@dataclass(frozen=True)
class Balance:
    currency: str
    amount: Decimal


def account_with_balances(
    session: Session, user: User, account_id: int | None
) -> tuple[RetailerAccount, list[Balance]]:
    """The account (scoped: 404 when ``user`` may not see it) and its balances, read in one
    statement, for pages that show the balance beside something else."""
    rows = session.execute(
        select(RetailerAccount, LedgerEntry.currency, func.sum(LedgerEntry.amount))
        .outerjoin(LedgerEntry, LedgerEntry.account_id == RetailerAccount.id)
        .where(RetailerAccount.id == account_id, account_scope(user))
        .group_by(RetailerAccount.id, LedgerEntry.currency)
        .order_by(LedgerEntry.currency)
    ).all()
    if not rows:
        abort(404)
    found = [Balance(c, round_money(Decimal(str(a)), c)) for _, c, a in rows if c is not None]
    return rows[0][0], found


@dataclass(frozen=True)
class LedgerRow:
    entry: LedgerEntry
    memo_number: str | None
    rma_number: str | None


def ledger_page(session: Session, account: RetailerAccount, page: int, per_page: int) -> Page:
    """The account's ledger entries, newest first, with their memo and RMA numbers."""
    query = (
        select(LedgerEntry, CreditMemo.number, Rma.number)
        .outerjoin(CreditMemo, LedgerEntry.credit_memo_id == CreditMemo.id)
        .outerjoin(Rma, CreditMemo.rma_id == Rma.id)
        .where(LedgerEntry.account_id == account.id)
        .order_by(LedgerEntry.created_at.desc(), LedgerEntry.id.desc())
    )
    result = paginate(session, query, page, per_page)
    items = [LedgerRow(entry, memo, rma) for entry, memo, rma in result.items]
    return result.with_items(items)


@dataclass(frozen=True)
class AccountBalanceRow:
    account: RetailerAccount
    currency: str
    amount: Decimal
    entries: int


def account_balances_page(session: Session, user: User, page: int, per_page: int) -> Page:
    """Balances of the accounts ``user`` may see that have ledger entries, per currency."""
    query = (
        select(
            RetailerAccount,
            LedgerEntry.currency,
            func.sum(LedgerEntry.amount),
            func.count(LedgerEntry.id),
        )
        .join(LedgerEntry, LedgerEntry.account_id == RetailerAccount.id)
        .where(account_scope(user))
        .group_by(RetailerAccount.id, LedgerEntry.currency)
        .order_by(RetailerAccount.number, LedgerEntry.currency)
    )
    result = paginate(session, query, page, per_page)
    items = [
        AccountBalanceRow(account, cur, round_money(Decimal(str(amount)), cur), entries)
        for account, cur, amount, entries in result.items
    ]
    return result.with_items(items)


def load_memo(session: Session, user: User, number: str) -> CreditMemo:
    """A credit memo of an account ``user`` may see, with its lines, RMA and account; 404
    otherwise (never reveal that it exists)."""
    memo = session.scalar(
        select(CreditMemo)
        .join(RetailerAccount, CreditMemo.account_id == RetailerAccount.id)
        .where(CreditMemo.number == number, account_scope(user))
        .options(
            joinedload(CreditMemo.account),
            joinedload(CreditMemo.rma),
            selectinload(CreditMemo.lines),
        )
    )
    if memo is None:
        abort(404)
    return memo


def memo_for_rma(session: Session, rma: Rma) -> CreditMemo | None:
    return session.scalar(select(CreditMemo).where(CreditMemo.rma_id == rma.id))


def load_pricing(session: Session, rma: Rma) -> None:
    """Load what pricing ``rma`` reads (lines, inspection, invoice, product, replacement
    lines) in a few statements instead of one per line."""
    session.scalars(
        select(Rma)
        .where(Rma.id == rma.id)
        .options(
            selectinload(Rma.lines).selectinload(RmaLine.inspection_results),
            selectinload(Rma.lines).joinedload(RmaLine.order_line).joinedload(OrderLine.order),
            selectinload(Rma.lines).joinedload(RmaLine.order_line).joinedload(OrderLine.product),
            selectinload(Rma.replacement_lines).joinedload(ReplacementLine.product),
        )
    ).all()


@dataclass(frozen=True)
class PricedLine:
    line: CreditLine
    amounts: LineAmounts

    @property
    def grade_label(self) -> str:
        grade = self.line.grade
        return GRADE_LABELS.get(grade, grade) if grade else "—"


@dataclass(frozen=True)
class CreditPreview:
    """What one resolution would credit: the priced lines and their totals."""

    resolution: str
    label: str
    estimate: CreditEstimate
    lines: list[PricedLine]
    total: LineAmounts


def priced(estimate: CreditEstimate, resolution: str = "") -> CreditPreview:
    lines = [PricedLine(line, line_amounts(line, estimate.currency)) for line in estimate.lines]

    def total(name: str) -> Decimal:
        return sum((getattr(p.amounts, name) for p in lines), Decimal(0))

    return CreditPreview(
        resolution=resolution,
        label=RESOLUTION_LABELS.get(resolution, resolution),
        estimate=estimate,
        lines=lines,
        total=LineAmounts(
            total("gross"),
            total("restocking_fee"),
            total("grade_deduction"),
            total("exchange_bonus"),
            estimate.total_credit,
        ),
    )


def resolution_previews(rma: Rma) -> list[CreditPreview]:
    """For each resolution the RMA's return type offers, the credit it would earn now."""
    return [priced(credit_for(rma, r), r) for r in rma.return_type.resolutions or []]


@dataclass(frozen=True)
class ReplacementPreview:
    """The order resolving would create: the chosen replacement lines, or — for an exchange
    without any — what was received, like for like."""

    lines: list[tuple[str, int, Decimal | None]]  # (SKU and product, quantity, unit price)
    like_for_like: bool

    @property
    def total(self) -> Decimal | None:
        if self.like_for_like:
            return None
        return sum((price * qty for _, qty, price in self.lines if price is not None), Decimal(0))


def replacement_preview(rma: Rma) -> ReplacementPreview | None:
    if rma.replacement_lines:
        lines = [
            (_product_name(line.product), line.quantity, line.unit_price)
            for line in rma.replacement_lines
        ]
        return ReplacementPreview(lines, like_for_like=False)
    if "exchange" in (rma.return_type.resolutions or []):
        # What create_replacement_order replaces: the received units that were authorised.
        received = [
            (_product_name(line.order_line.product), quantity, None)
            for line in rma.lines
            if (quantity := min(line.quantity_received, line.quantity_authorized))
            and line.order_line is not None
        ]
        return ReplacementPreview(received, like_for_like=True) if received else None
    return None


def _product_name(product: Product) -> str:
    return f"{product.sku} · {product.brand} {product.model}"
