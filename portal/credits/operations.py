"""Issuing credit memos: the credit is computed from the inspection, once, per currency."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import CreditMemo, CreditMemoLine, LedgerEntry, MemoKind, Rma, RmaEvent, RmaLine, User
from models.base import utcnow
from portal.rmas.numbering import next_number
from workflow_designer.policy.credit import CreditEstimate, CreditLine, estimate_credit
from workflow_designer.policy.loading import request_line_for
from workflow_designer.policy.money import HUNDRED, round_money
from workflow_designer.policy.request import RequestLine
from workflow_designer.resolutions import resolution_label
from workflow_designer.runtime import compiled_for, executable_resolutions, fire


def credit_for(
    rma: Rma, resolution: str | None = None, lines: Iterable[RmaLine] | None = None
) -> CreditEstimate:
    """The credit the RMA earns for what inspection graded, under its return type's policy.

    ``lines`` are the RMA's lines when the caller already loaded them.
    """
    request_lines = [
        _request_line(line, result.quantity, result.grade.value)
        for line in (rma.lines if lines is None else lines)
        for result in line.inspection_results
    ]
    return estimate_credit(
        policy_for(rma), request_lines, resolution or rma.resolution, currency=rma.currency
    )


def estimate_for_reported_condition(
    rma: Rma, lines: Iterable[RmaLine] | None = None
) -> CreditEstimate:
    """What the retailer can expect from the conditions they reported (trade-in estimate)."""
    request_lines = [
        _request_line(line, line.quantity_requested, None)
        for line in (rma.lines if lines is None else lines)
    ]
    return estimate_credit(policy_for(rma), request_lines, rma.resolution, currency=rma.currency)


def policy_for(rma: Rma) -> dict[str, Any]:
    """The return type's policy, with the approver's restocking fee decision applied."""
    policy = dict(rma.return_type.policy or {})
    if rma.restocking_fee_percent is not None:
        policy["restocking_fee"] = {
            "enabled": True,
            "percent": str(rma.restocking_fee_percent),
        }
    return policy


def _request_line(line: RmaLine, quantity: int, grade: str | None) -> RequestLine:
    return request_line_for(line.order_line, quantity, condition=line.condition, grade=grade)


def issue_credit_memo(
    session: Session, rma: Rma, actor: User, now: datetime | None = None
) -> CreditMemo:
    """Write the RMA's credit memo and its ledger entry. A second memo for the same RMA is
    refused by the database (unique ``credit_memos.rma_id``)."""
    now = now or utcnow()
    estimate = credit_for(rma)
    memo = CreditMemo(
        number=next_number(session, "CM", now),
        kind=MemoKind.CREDIT_MEMO,
        rma_id=rma.id,
        account_id=rma.account_id,
        currency=rma.currency,
        amount=estimate.total_credit,
        tax_rate_percent=rma.account.tax_rate_percent,
        created_by_id=actor.id,
        created_at=now,
    )
    session.add(memo)
    session.flush()
    for line, priced in zip(_graded_lines(rma), estimate.lines, strict=True):
        session.add(_memo_line(memo, line, priced))
    session.add(
        LedgerEntry(
            account_id=rma.account_id,
            credit_memo_id=memo.id,
            currency=rma.currency,
            amount=memo.amount,
            description=f"Credit memo {memo.number} for {rma.number}",
            created_at=now,
        )
    )
    # The resolve event that ran this action is the memo's entry on the RMA's timeline.
    return memo


def _graded_lines(rma: Rma) -> list[tuple[RmaLine, Any]]:
    """(line, inspection result) pairs in the order ``credit_for`` prices them."""
    return [(line, result) for line in rma.lines for result in line.inspection_results]


@dataclass(frozen=True)
class LineAmounts:
    """A priced line in money: gross − restocking fee − grade deduction + bonus = credit."""

    gross: Decimal
    restocking_fee: Decimal
    grade_deduction: Decimal
    exchange_bonus: Decimal
    credit: Decimal


def line_amounts(priced: CreditLine, currency: str) -> LineAmounts:
    """The money figures of one priced line, as the memo writes them (and previews show)."""
    gross = round_money(priced.value, currency)
    fee = round_money(priced.value * priced.restocking_fee_percent / HUNDRED, currency)
    bonus = round_money(priced.value * priced.bonus_percent / HUNDRED, currency)
    # The deduction is what makes the line add up to its credit, which was rounded once.
    deduction = gross - fee + bonus - priced.credit
    return LineAmounts(gross, fee, deduction, bonus, priced.credit)


def _memo_line(memo: CreditMemo, graded: tuple[RmaLine, Any], priced) -> CreditMemoLine:
    line, result = graded
    amounts = line_amounts(priced, memo.currency)
    line.credit = (line.credit or Decimal(0)) + priced.credit
    product = line.order_line.product
    return CreditMemoLine(
        credit_memo_id=memo.id,
        rma_line_id=line.id,
        description=f"{product.sku} {product.brand} {product.model} — {result.grade.label}",
        quantity=priced.quantity,
        gross=amounts.gross,
        restocking_fee=amounts.restocking_fee,
        grade_deduction=amounts.grade_deduction,
        exchange_bonus=amounts.exchange_bonus,
        amount=priced.credit,
    )


class ResolutionError(ValueError):
    """A resolution that cannot be chosen; ``field`` names the form field it concerns."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class AlreadyResolved(ResolutionError):
    """The RMA was resolved already (a double click, or another admin a moment earlier)."""


def resolve_rma(
    session: Session, rma: Rma, actor: User, resolution: str, comment: str = ""
) -> None:
    """Settle an inspected RMA: record the resolution and fire ``resolve``, whose on-enter
    actions write the credit memo and/or the replacement order.

    Only a resolution the workflow can carry out from the RMA's state is accepted, and one
    other than the retailer asked for needs a comment. The RMA row is locked first, so a
    second resolve waits for the first and then finds it resolved (AlreadyResolved)."""
    _lock(session, rma)
    earlier = _resolve_event(session, rma)
    if earlier is not None:
        raise AlreadyResolved(_resolved_words(rma, earlier))
    offered = rma.return_type.resolutions or []
    if resolution not in offered:
        names = ", ".join(resolution_label(r) for r in offered) or "none"
        raise ResolutionError(f"This return type offers: {names}.")
    if resolution not in executable_resolutions(session, rma, actor):
        raise ResolutionError(_not_executable(session, rma, actor, resolution))
    requested = rma.requested_resolution
    if requested and resolution != requested and not comment.strip():
        raise ResolutionError(
            f"The retailer asked for {resolution_label(requested)}: say why you chose "
            f"{resolution_label(resolution)} instead.",
            "comment",
        )
    rma.resolution = resolution
    data = {"resolution": resolution, "requested_resolution": requested}
    fire(session, rma, "resolve", actor, comment=comment, data=data)


def _lock(session: Session, rma: Rma) -> None:
    """Wait for any other resolve of ``rma`` to finish, then read the RMA as it left it
    (PostgreSQL; SQLite's writers queue anyway)."""
    session.execute(select(Rma.id).where(Rma.id == rma.id).with_for_update())
    session.refresh(rma)


def _resolve_event(session: Session, rma: Rma) -> RmaEvent | None:
    """The event of the RMA's resolution, if it has been resolved."""
    return session.scalar(
        select(RmaEvent)
        .where(RmaEvent.rma_id == rma.id, RmaEvent.trigger == "resolve")
        .order_by(RmaEvent.id.desc())
        .limit(1)
    )


def _resolved_words(rma: Rma, event: RmaEvent) -> str:
    chosen = resolution_label(event.data.get("resolution") or rma.resolution or "")
    who = f" by {event.actor.name}" if event.actor is not None else ""
    return f"{rma.number} was already resolved ({chosen}){who}; nothing more was done."


def _not_executable(session: Session, rma: Rma, actor: User, resolution: str) -> str:
    state = compiled_for(session, rma).state(rma.state).label
    executable = executable_resolutions(session, rma, actor)
    if not executable:
        return f"{rma.number} is {state.lower()} now, so it cannot be resolved."
    others = ", ".join(resolution_label(r) for r in executable)
    return (
        f"{resolution_label(resolution)} cannot be carried out for {rma.number}: its workflow "
        f"has no Resolve step for it from {state}. Choose one of: {others}."
    )
