"""Reads of the credit ledger (scoped like every account read), and what resolving an RMA
would credit and order (the resolution page's previews)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from flask import abort
from flask_babel import lazy_gettext as _l
from sqlalchemy import String, case, func, literal, select, type_coerce
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from models import (
    CreditMemo,
    DistributorProfile,
    LedgerEntry,
    OrderLine,
    Product,
    Refund,
    ReplacementLine,
    RetailerAccount,
    Rma,
    RmaLine,
    User,
)
from models.distributor import PROFILE_ID
from portal.credits.operations import LineAmounts, credit_for, line_amounts
from portal.pagination import Page, paginate
from portal.scope import account_scope
from workflow_designer.engine.resolutions import resolution_label
from workflow_designer.policy.credit import CreditEstimate, CreditLine
from workflow_designer.policy.money import round_money
from workflow_designer.policy.spec import GRADE_LABELS
from workflow_designer.policy.vocabulary import Resolution

CSV_BATCH = 500
# CM-2026-000001: anything else is no memo (and never reaches the database).
MEMO_NUMBER = re.compile(r"[A-Z]{2,3}-\d{4}-\d{6,9}")


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
class LedgerFilter:
    kind: str = ""
    date_from: date | None = None
    date_to: date | None = None
    q: str = ""


@dataclass(frozen=True)
class LedgerRow:
    id: int
    created_at: datetime
    kind: str
    document: str | None
    memo_number: str | None
    rma_number: str | None
    resolution: str | None
    description: str
    currency: str
    amount: Decimal
    balance: Decimal

    @property
    def kind_label(self) -> str:
        return str(LEDGER_KIND_LABELS.get(self.kind, LEDGER_KIND_LABELS["entry"]))


# The kinds of ledger entry as people read them (models.ledger.MEMO_KIND_LABELS in English).
LEDGER_KIND_LABELS = {
    "credit_memo": _l("Credit memo"),
    "adjustment": _l("Credit adjustment"),
    "reversal": _l("Reversal"),
    "refund": _l("Refund"),
    "entry": _l("Entry"),
}


def _ledger_rows(account_id: int):
    """Every entry of the account with its kind, document, RMA and the running balance of
    its currency up to and including it: computed over the whole ledger, before any filter
    or page, so a filtered or later page shows the same balance as the full ledger."""
    refunded = aliased(CreditMemo)
    kind = case(
        (LedgerEntry.credit_memo_id.is_not(None), type_coerce(CreditMemo.kind, String())),
        (LedgerEntry.refund_id.is_not(None), literal("refund")),
        else_=literal("entry"),
    )
    running = func.sum(LedgerEntry.amount).over(
        partition_by=LedgerEntry.currency, order_by=(LedgerEntry.created_at, LedgerEntry.id)
    )
    return (
        select(
            LedgerEntry.id.label("id"),
            LedgerEntry.created_at.label("created_at"),
            kind.label("kind"),
            func.coalesce(CreditMemo.number, Refund.number).label("document"),
            func.coalesce(CreditMemo.number, refunded.number).label("memo_number"),
            Rma.number.label("rma_number"),
            Rma.resolution.label("resolution"),
            LedgerEntry.description.label("description"),
            LedgerEntry.currency.label("currency"),
            LedgerEntry.amount.label("amount"),
            running.label("balance"),
        )
        .outerjoin(CreditMemo, LedgerEntry.credit_memo_id == CreditMemo.id)
        .outerjoin(Refund, LedgerEntry.refund_id == Refund.id)
        .outerjoin(refunded, Refund.credit_memo_id == refunded.id)
        .outerjoin(Rma, Rma.id == func.coalesce(CreditMemo.rma_id, refunded.rma_id))
        .where(LedgerEntry.account_id == account_id)
        .subquery("ledger")
    )


def filtered_ledger(account: RetailerAccount, filters: LedgerFilter):
    rows = _ledger_rows(account.id)
    query = select(rows)
    if filters.kind:
        query = query.where(rows.c.kind == filters.kind)
    if filters.date_from:
        start = datetime.combine(filters.date_from, time.min, tzinfo=UTC)
        query = query.where(rows.c.created_at >= start)
    if filters.date_to:
        end = datetime.combine(filters.date_to + timedelta(days=1), time.min, tzinfo=UTC)
        query = query.where(rows.c.created_at < end)
    if filters.q:
        text = filters.q.strip().lower()
        query = query.where(
            func.lower(rows.c.document).contains(text, autoescape=True)
            | func.lower(rows.c.rma_number).contains(text, autoescape=True)
        )
    return rows, query


def _row(mapping) -> LedgerRow:
    currency = mapping["currency"]
    return LedgerRow(
        **{**mapping, "balance": round_money(Decimal(str(mapping["balance"])), currency)}
    )


def ledger_page(
    session: Session,
    account: RetailerAccount,
    page: int,
    per_page: int,
    filters: LedgerFilter | None = None,
) -> Page:
    """The account's ledger entries, newest first, with kind, document and RMA numbers and
    the running balance; filtered by ``filters``."""
    rows, query = filtered_ledger(account, filters or LedgerFilter())
    query = query.order_by(rows.c.created_at.desc(), rows.c.id.desc())
    result = paginate(session, query, page, per_page)
    return result.with_items([_row(item._mapping) for item in result.items])


def ledger_csv_rows(
    session: Session, account: RetailerAccount, filters: LedgerFilter
) -> Iterator[LedgerRow]:
    """The filtered ledger, oldest first, streamed in batches."""
    rows, query = filtered_ledger(account, filters)
    query = query.order_by(rows.c.created_at, rows.c.id)
    result = session.execute(query.execution_options(yield_per=CSV_BATCH))
    for partition in result.partitions():
        for item in partition:
            yield _row(item._mapping)


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
    if not MEMO_NUMBER.fullmatch(number):
        abort(404)
    memo = session.scalar(
        select(CreditMemo)
        .join(RetailerAccount, CreditMemo.account_id == RetailerAccount.id)
        .where(CreditMemo.number == number, account_scope(user))
        .options(
            joinedload(CreditMemo.account),
            joinedload(CreditMemo.rma),
            joinedload(CreditMemo.original),
            selectinload(CreditMemo.lines),
        )
    )
    if memo is None:
        abort(404)
    return memo


def distributor(session: Session) -> DistributorProfile | None:
    """The distributor's profile (the documents' letterhead), if one was entered."""
    return session.get(DistributorProfile, PROFILE_ID)


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
        label=resolution_label(resolution),
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


def resolution_previews(rma: Rma, resolutions: Iterable[str] | None = None) -> list[CreditPreview]:
    """For each of ``resolutions`` (by default, those the RMA's return type offers), the
    credit it would earn now."""
    offered = (rma.return_type.resolutions or []) if resolutions is None else resolutions
    return [priced(credit_for(rma, r), r) for r in offered]


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
    if Resolution.EXCHANGE in (rma.return_type.resolutions or []):
        # What create_replacement_order replaces: the received units that were authorised.
        received = [
            (_product_name(line.order_line.product), line.quantity_accepted, None)
            for line in rma.lines
            if line.quantity_accepted and line.order_line is not None
        ]
        return ReplacementPreview(received, like_for_like=True) if received else None
    return None


def _product_name(product: Product) -> str:
    return f"{product.sku} · {product.brand} {product.model}"
