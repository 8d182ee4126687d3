"""Documents after the credit memo: adjustments, reversals and refunds.

Issued documents are never changed. An adjustment credits (or takes back) the difference
between what an RMA's inspection earns now and what its documents issued so far; a
reversal cancels what remains of a memo; a refund records money paid out against a memo.
Each writes its ledger entry and an RMA event in the caller's transaction (never commits).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import (
    CreditMemo,
    CreditMemoLine,
    LedgerEntry,
    MemoKind,
    Refund,
    RefundMethod,
    Rma,
    RmaEvent,
    RmaLine,
    Role,
    User,
)
from models.base import utcnow
from portal.credits.operations import credit_for, line_amounts
from portal.i18n.formats import amount as amount_text
from portal.rmas.numbering import next_number
from workflow_designer.engine.errors import Conflict, Refusal
from workflow_designer.policy.credit import CreditEstimate
from workflow_designer.policy.money import minor_digits, round_money
from workflow_designer.policy.vocabulary import Resolution

MEMO_SERIES = "CM"
REFUND_SERIES = "RF"
REASON_MAX = 500


class DocumentRefused(Refusal):
    """A document that may not be written; the message says why, in the user's words."""


class AlreadyReversed(DocumentRefused, Conflict):
    """Another admin reversed the memo at the same moment (the unique index said so)."""


def record_memo_event(session: Session, memo: CreditMemo, rma: Rma, actor: User | None) -> None:
    """The memo on the RMA's timeline (the state does not change)."""
    session.add(
        RmaEvent(
            rma_id=rma.id,
            actor_id=actor.id if actor is not None else None,
            trigger=f"{memo.kind.value}_issued",
            from_state=rma.state,
            to_state=rma.state,
            comment=memo.reason or "",
            data={
                "label": f"{memo.kind.label} {memo.number} issued",
                "memo": memo.number,
                "amount": str(memo.amount),
                "currency": memo.currency,
            },
        )
    )


def _require_admin(actor: User, refusal: str) -> None:
    if actor.role is not Role.ADMIN:
        raise DocumentRefused(refusal)


def _reason(reason: str | None) -> str:
    text = (reason or "").strip()
    if not text:
        raise DocumentRefused(_("Give a reason: it is printed on the document."))
    if len(text) > REASON_MAX or "\x00" in text:
        raise DocumentRefused(
            _("The reason must be plain text of at most %(max)s characters.", max=REASON_MAX)
        )
    return text


def credit_memo_of(session: Session, rma: Rma, lock: bool = False) -> CreditMemo | None:
    """The RMA's credit memo; ``lock`` holds its row until commit (PostgreSQL), so
    documents of one RMA are written one after the other."""
    query = select(CreditMemo).where(
        CreditMemo.rma_id == rma.id, CreditMemo.kind == MemoKind.CREDIT_MEMO
    )
    return session.scalar(query.with_for_update() if lock else query)


def _documents(session: Session, rma_id: int) -> list[CreditMemo]:
    return list(
        session.scalars(
            select(CreditMemo).where(CreditMemo.rma_id == rma_id).order_by(CreditMemo.id)
        )
    )


def issued_total(session: Session, rma: Rma) -> Decimal:
    """What the RMA's documents credit together (memo + adjustments + reversals)."""
    total = session.scalar(
        select(func.coalesce(func.sum(CreditMemo.amount), 0)).where(CreditMemo.rma_id == rma.id)
    )
    return Decimal(str(total))


def refunded_total(session: Session, memo: CreditMemo) -> Decimal:
    total = session.scalar(
        select(func.coalesce(func.sum(Refund.amount), 0)).where(Refund.credit_memo_id == memo.id)
    )
    return Decimal(str(total))


def remaining_effect(session: Session, memo: CreditMemo) -> Decimal:
    """What ``memo`` still credits: its amount, less its reversal; a credit memo also
    carries its adjustments that were not reversed on their own."""
    documents = _documents(session, memo.rma_id)
    reversed_ids = {d.original_memo_id for d in documents if d.kind is MemoKind.REVERSAL}
    if memo.id in reversed_ids or memo.kind is MemoKind.REVERSAL:
        return Decimal(0)
    total = memo.amount
    if memo.kind is MemoKind.CREDIT_MEMO:
        total += sum(
            (
                d.amount
                for d in documents
                if d.kind is MemoKind.ADJUSTMENT
                and d.original_memo_id == memo.id
                and d.id not in reversed_ids
            ),
            Decimal(0),
        )
    return total


def unpaid(session: Session, memo: CreditMemo) -> Decimal:
    """What a credit memo (with its adjustments and reversals) still owes the account in
    money: its remaining effect less the refunds recorded against it."""
    return remaining_effect(session, memo) - refunded_total(session, memo)


def is_reversed(session: Session, memo: CreditMemo) -> bool:
    return (
        session.scalar(
            select(CreditMemo.id).where(
                CreditMemo.original_memo_id == memo.id, CreditMemo.kind == MemoKind.REVERSAL
            )
        )
        is not None
    )


def _write_memo(
    session: Session,
    rma: Rma,
    actor: User,
    kind: MemoKind,
    original: CreditMemo,
    reason: str,
    lines: list[CreditMemoLine],
    now: datetime,
) -> CreditMemo:
    amount = sum((line.amount for line in lines), Decimal(0))
    memo = CreditMemo(
        number=next_number(session, MEMO_SERIES, now),
        kind=kind,
        rma_id=rma.id,
        original_memo_id=original.id,
        reason=reason,
        tax_rate_percent=original.tax_rate_percent,
        terms=original.terms,
        account_id=rma.account_id,
        currency=original.currency,
        amount=amount,
        created_by_id=actor.id,
        created_at=now,
    )
    session.add(memo)
    session.flush()
    for line in lines:
        line.credit_memo_id = memo.id
        session.add(line)
    verb = "Credit adjustment" if kind is MemoKind.ADJUSTMENT else "Reversal"
    session.add(
        LedgerEntry(
            account_id=rma.account_id,
            credit_memo_id=memo.id,
            currency=memo.currency,
            amount=amount,
            description=f"{verb} {memo.number} of {original.number} for {rma.number}",
            created_at=now,
        )
    )
    record_memo_event(session, memo, rma, actor)
    session.flush()
    return memo


@dataclass
class _Sums:
    description: str = ""
    quantity: int = 0
    gross: Decimal = Decimal(0)
    restocking_fee: Decimal = Decimal(0)
    grade_deduction: Decimal = Decimal(0)
    exchange_bonus: Decimal = Decimal(0)
    amount: Decimal = Decimal(0)

    def add(self, sign: int, quantity, gross, fee, deduction, bonus, amount) -> None:
        self.quantity += sign * quantity
        self.gross += sign * gross
        self.restocking_fee += sign * fee
        self.grade_deduction += sign * deduction
        self.exchange_bonus += sign * bonus
        self.amount += sign * amount


def _line_differences(session: Session, rma: Rma, estimate: CreditEstimate) -> list[CreditMemoLine]:
    """Per returned line: what inspection earns now (``estimate``) less what documents
    issued so far."""
    sums: dict[int | None, _Sums] = defaultdict(_Sums)
    lines = {line.id: line for line in rma.lines}
    for priced in estimate.lines:
        if not priced.quantity:  # as on the memo: a line nothing of which is credited
            continue
        line = lines[priced.rma_line_id]
        amounts = line_amounts(priced, estimate.currency)
        sums[line.id].description = _describe(line)
        sums[line.id].add(
            1,
            priced.quantity,
            amounts.gross,
            amounts.restocking_fee,
            amounts.grade_deduction,
            amounts.exchange_bonus,
            amounts.credit,
        )
    issued = session.scalars(
        select(CreditMemoLine)
        .join(CreditMemo, CreditMemoLine.credit_memo_id == CreditMemo.id)
        .where(CreditMemo.rma_id == rma.id)
    )
    for old in issued:
        sums[old.rma_line_id].add(
            -1,
            old.quantity,
            old.gross,
            old.restocking_fee,
            old.grade_deduction,
            old.exchange_bonus,
            old.amount,
        )
        sums[old.rma_line_id].description = sums[old.rma_line_id].description or old.description
    return [
        CreditMemoLine(
            rma_line_id=rma_line_id,
            description=s.description,
            quantity=s.quantity,
            gross=s.gross,
            restocking_fee=s.restocking_fee,
            grade_deduction=s.grade_deduction,
            exchange_bonus=s.exchange_bonus,
            amount=s.amount,
        )
        for rma_line_id, s in sums.items()
        if s.amount or s.quantity
    ]


def _describe(line: RmaLine) -> str:
    product = line.order_line.product
    return f"{product.sku} {product.brand} {product.model}"


def issue_adjustment(
    session: Session, rma: Rma, actor: User, reason: str, now: datetime | None = None
) -> CreditMemo | None:
    """Credit (or take back) the difference between what the RMA's inspection earns now
    and what its documents issued so far, as an adjustment of its credit memo. Writes
    nothing and returns None when there is no difference."""
    reason = _reason(reason)
    memo = credit_memo_of(session, rma, lock=True)
    if memo is None:
        raise DocumentRefused(_("%(number)s has no credit memo to adjust.", number=rma.number))
    if is_reversed(session, memo):
        raise DocumentRefused(
            _("Credit memo %(number)s was reversed: it cannot be adjusted.", number=memo.number)
        )
    # Priced under the terms the memo was issued under: a policy edited since then must not
    # reprice lines nobody corrected.
    estimate = credit_for(rma, terms=memo.terms)
    lines = _line_differences(session, rma, estimate)
    difference = estimate.total_credit - issued_total(session, rma)
    if difference == 0 and not any(line.amount for line in lines):
        return None
    balance = difference - sum((line.amount for line in lines), Decimal(0))
    # Documents' lines add up to their amounts; a memo written before they had to (older
    # data) may not: the rest is shown as a line of its own, never hidden.
    if balance:
        lines.append(
            CreditMemoLine(
                rma_line_id=None,
                description="Difference of the total",
                quantity=0,
                gross=Decimal(0),
                restocking_fee=Decimal(0),
                grade_deduction=-balance,
                exchange_bonus=Decimal(0),
                amount=balance,
            )
        )
    _credit_rma_lines(session, lines)
    adjustment = _write_memo(
        session, rma, actor, MemoKind.ADJUSTMENT, memo, reason, lines, now or utcnow()
    )
    return adjustment


def _credit_rma_lines(session: Session, lines: list[CreditMemoLine]) -> None:
    """Keep each RMA line's credited figure equal to what its documents credit."""
    for line in lines:
        if line.rma_line_id is not None:
            rma_line = session.get(RmaLine, line.rma_line_id)
            rma_line.credit = (rma_line.credit or Decimal(0)) + line.amount


def reverse_memo(
    session: Session, memo: CreditMemo, actor: User, reason: str, now: datetime | None = None
) -> CreditMemo:
    """A reversal cancelling what ``memo`` still credits (an admin's act, with a reason,
    once per memo: a second is refused here and by a unique index)."""
    number = memo.number
    try:
        return _reverse(session, memo, actor, reason, now)
    except IntegrityError:  # another admin reversed it at the same moment
        raise AlreadyReversed(_("%(number)s has already been reversed.", number=number)) from None


def _reverse(
    session: Session, memo: CreditMemo, actor: User, reason: str, now: datetime | None
) -> CreditMemo:
    _require_admin(actor, _("Only an admin may reverse a credit memo."))
    reason = _reason(reason)
    rma = memo.rma
    anchor = credit_memo_of(session, rma, lock=True)  # one writer per RMA at a time
    if memo.kind is MemoKind.REVERSAL:
        raise DocumentRefused(
            _("%(number)s is itself a reversal: it cannot be reversed.", number=memo.number)
        )
    if is_reversed(session, memo):
        raise DocumentRefused(_("%(number)s has already been reversed.", number=memo.number))
    if memo.kind is MemoKind.ADJUSTMENT and anchor is not None and is_reversed(session, anchor):
        raise DocumentRefused(
            _(
                "%(number)s was cancelled with the reversal of %(anchor)s.",
                number=memo.number,
                anchor=anchor.number,
            )
        )
    remaining = remaining_effect(session, memo)
    if remaining == 0:
        raise DocumentRefused(
            _("%(number)s credits nothing that could be reversed.", number=memo.number)
        )
    lines = [_negated(line) for line in _lines_cancelled(session, memo)]
    _credit_rma_lines(session, lines)
    return _write_memo(session, rma, actor, MemoKind.REVERSAL, memo, reason, lines, now or utcnow())


def _lines_cancelled(session: Session, memo: CreditMemo) -> list[CreditMemoLine]:
    """The lines a reversal of ``memo`` takes back: its own, and for a credit memo those
    of its adjustments that were not reversed on their own."""
    memos = [memo]
    if memo.kind is MemoKind.CREDIT_MEMO:
        documents = _documents(session, memo.rma_id)
        reversed_ids = {d.original_memo_id for d in documents if d.kind is MemoKind.REVERSAL}
        memos += [
            d
            for d in documents
            if d.kind is MemoKind.ADJUSTMENT
            and d.original_memo_id == memo.id
            and d.id not in reversed_ids
        ]
    return [line for m in memos for line in m.lines]


def _negated(line: CreditMemoLine) -> CreditMemoLine:
    return CreditMemoLine(
        rma_line_id=line.rma_line_id,
        description=line.description,
        quantity=-line.quantity,
        gross=-line.gross,
        restocking_fee=-line.restocking_fee,
        grade_deduction=-line.grade_deduction,
        exchange_bonus=-line.exchange_bonus,
        amount=-line.amount,
    )


@dataclass(frozen=True)
class Payout:
    """What the admin typed about a refund already paid."""

    method: RefundMethod
    reference: str
    paid_on: date
    amount: Decimal | None = None  # None: the memo's unpaid amount


def record_refund(
    session: Session, memo: CreditMemo, actor: User, payout: Payout, now: datetime | None = None
) -> Refund:
    """Record money paid out to the account for a credit memo of an RMA resolved as a
    refund. The amount defaults to, and may never exceed, what the memo leaves unpaid."""
    _require_admin(actor, _("Only an admin may record a refund."))
    now = now or utcnow()
    rma = memo.rma
    if memo.kind is not MemoKind.CREDIT_MEMO:
        raise DocumentRefused(_("Refunds are recorded against the credit memo itself."))
    if rma.resolution != Resolution.REFUND:
        raise DocumentRefused(_("%(number)s was not resolved as a refund.", number=rma.number))
    credit_memo_of(session, rma, lock=True)
    owed = unpaid(session, memo)
    amount = owed if payout.amount is None else payout.amount
    if owed <= 0:
        raise DocumentRefused(
            _("Credit memo %(number)s has nothing left to refund.", number=memo.number)
        )
    if amount <= 0:
        raise DocumentRefused(_("The amount must be more than zero."))
    if amount != round_money(amount, memo.currency):
        raise DocumentRefused(
            _(
                "%(currency)s amounts have at most %(digits)s decimals.",
                currency=memo.currency,
                digits=minor_digits(memo.currency),
            )
        )
    if amount > owed:
        raise DocumentRefused(
            _(
                "The amount is more than the %(owed)s %(currency)s left unpaid on %(number)s.",
                owed=amount_text(owed, memo.currency),
                currency=memo.currency,
                number=memo.number,
            )
        )
    reference = payout.reference.strip()
    if not reference:
        raise DocumentRefused(_("Give the payment's reference."))
    refund = Refund(
        number=next_number(session, REFUND_SERIES, now),
        credit_memo_id=memo.id,
        account_id=memo.account_id,
        currency=memo.currency,
        amount=amount,
        method=payout.method,
        reference=reference,
        paid_on=payout.paid_on,
        created_by_id=actor.id,
        created_at=now,
    )
    session.add(refund)
    session.flush()
    session.add(
        LedgerEntry(
            account_id=memo.account_id,
            refund_id=refund.id,
            currency=memo.currency,
            amount=-amount,
            description=f"Refund {refund.number} of {memo.number} ({payout.method.label})",
            created_at=now,
        )
    )
    session.add(
        RmaEvent(
            rma_id=rma.id,
            actor_id=actor.id,
            trigger="refund_recorded",
            from_state=rma.state,
            to_state=rma.state,
            comment=f"{payout.method.label}, reference {reference}, paid on {payout.paid_on}",
            data={
                "label": f"Refund {refund.number} recorded",
                "refund": refund.number,
                # The comment's facts, so the timeline says it in its reader's language.
                "method": payout.method.value,
                "reference": reference,
                "paid_on": payout.paid_on.isoformat(),
                "memo": memo.number,
                "amount": str(amount),
                "currency": memo.currency,
            },
        )
    )
    session.flush()
    return refund
