"""Issuing credit memos: the credit is computed from the inspection, once, per currency."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import CreditMemo, CreditMemoLine, LedgerEntry, MemoKind, Rma, RmaEvent, RmaLine, User
from models.base import utcnow
from portal.rmas.numbering import next_number
from workflow_designer.engine.errors import Conflict, Refusal
from workflow_designer.engine.resolutions import resolution_label
from workflow_designer.policy.credit import (
    CreditEstimate,
    CreditLine,
    estimate_credit,
    line_amounts,
)
from workflow_designer.policy.credit import LineAmounts as LineAmounts  # kept importable here
from workflow_designer.policy.questionnaire import answer_fields
from workflow_designer.policy.request import RequestLine
from workflow_designer.policy.spec import GRADE_LABELS
from workflow_designer.policy.vocabulary import Resolution
from workflow_designer.policy.words import in_sentence
from workflow_designer.runtime.firing import compiled_for, executable_resolutions, fire
from workflow_designer.runtime.policy_loading import request_line_for


def credit_for(
    rma: Rma,
    resolution: str | None = None,
    lines: Iterable[RmaLine] | None = None,
    *,
    final: bool = True,
    terms: Mapping[str, Any] | None = None,
) -> CreditEstimate:
    """The credit the RMA earns for what inspection graded, on the units that can be
    credited (requested, authorised, received: see ``estimate_credit``); ungraded units earn
    nothing. ``final=False`` gives the estimate as the RMA stands: ungraded units are priced
    at the condition the retailer reported.

    ``lines`` are the RMA's lines (inspection results loaded) when the caller has them.
    ``terms`` replaces the current terms (``policy_for``) with those a memo was issued under.
    """
    lines = list(rma.lines if lines is None else lines)
    authorized, received = _stage(rma, lines)
    request_lines = [
        request_line(line, authorized, received, graded=True)
        for line in lines
        if line.order_line is not None
    ]
    resolution = resolution or rma.resolution
    return estimate_credit(
        policy_for(rma) if terms is None else terms,
        request_lines,
        resolution,
        currency=rma.currency,
        inspected=final,
        replacement_value=replacement_order_value(rma, lines, resolution),
    )


def replacement_order_value(
    rma: Rma, lines: Iterable[RmaLine], resolution: str | None
) -> Decimal | None:
    """What an exchange's replacement order is worth, which caps its bonus: the chosen
    replacement lines at their prices, else (like for like) the accepted units at their
    invoice price. None when it is not an exchange or nothing is known to replace yet."""
    if resolution != Resolution.EXCHANGE:
        return None
    if rma.replacement_lines:
        return sum((line.amount for line in rma.replacement_lines), Decimal(0))
    value = Decimal(0)
    for line in lines:
        if line.quantity_accepted and line.order_line is not None:
            value += line.order_line.unit_net_price * line.quantity_accepted
    return value or None


def estimate_for_reported_condition(
    rma: Rma, lines: Iterable[RmaLine] | None = None
) -> CreditEstimate:
    """What the retailer could expect before anything arrived: the reported conditions on
    the authorised quantities (requested ones before authorisation)."""
    lines = list(rma.lines if lines is None else lines)
    authorized, _ = _stage(rma, lines)
    request_lines = [
        request_line(line, authorized, received=False, graded=False)
        for line in lines
        if line.order_line is not None
    ]
    return estimate_credit(
        policy_for(rma),
        request_lines,
        rma.resolution,
        currency=rma.currency,
        replacement_value=replacement_order_value(rma, lines, rma.resolution),
    )


def _stage(rma: Rma, lines: list[RmaLine]) -> tuple[bool, bool]:
    """(authorised yet, received yet). A receipt of nothing still flags the line's
    discrepancy, so it counts as received."""
    authorized = rma.label_issued_at is not None or any(li.quantity_authorized for li in lines)
    received = any(
        li.quantity_received or li.has_discrepancy or li.inspection_results for li in lines
    )
    return authorized, received


def policy_for(rma: Rma) -> dict[str, Any]:
    """The return type's policy, with the approver's restocking fee decision applied."""
    policy = dict(rma.return_type.policy or {})
    if rma.restocking_fee_percent is not None:
        policy["restocking_fee"] = {
            "enabled": True,
            "percent": str(rma.restocking_fee_percent),
        }
    return policy


def request_line(line: RmaLine, authorized: bool, received: bool, graded: bool) -> RequestLine:
    assert line.order_line is not None
    grades = tuple((r.grade.value, r.quantity) for r in line.inspection_results) if graded else ()
    return request_line_for(
        line.order_line,
        line.quantity_requested,
        condition=line.condition,
        quantity_authorized=line.quantity_authorized if authorized else None,
        quantity_received=line.quantity_received if received else None,
        grades=grades,
        rma_line_id=line.id,
        **answer_fields(line.condition_answers),
    )


def issue_credit_memo(
    session: Session, rma: Rma, actor: User, now: datetime | None = None
) -> CreditMemo:
    """Write the RMA's credit memo and its ledger entry. A second memo for the same RMA is
    refused by the database (unique ``credit_memos.rma_id``)."""
    now = now or utcnow()
    terms = policy_for(rma)
    estimate = credit_for(rma, terms=terms)
    memo = CreditMemo(
        number=next_number(session, "CM", now),
        kind=MemoKind.CREDIT_MEMO,
        rma_id=rma.id,
        account_id=rma.account_id,
        currency=rma.currency,
        amount=estimate.total_credit,
        tax_rate_percent=rma.account.tax_rate_percent,
        terms=terms,
        created_by_id=actor.id,
        created_at=now,
    )
    session.add(memo)
    session.flush()
    lines = {line.id: line for line in rma.lines}
    for priced in estimate.lines:
        if priced.quantity:  # a line nothing of which can be credited is left off the memo
            session.add(_memo_line(memo, lines[priced.rma_line_id], priced))
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


def _memo_line(memo: CreditMemo, line: RmaLine, priced: CreditLine) -> CreditMemoLine:
    amounts = line_amounts(priced, memo.currency)
    line.credit = (line.credit or Decimal(0)) + priced.credit
    product = line.order_line.product
    grade = GRADE_LABELS.get(priced.grade or "", "not graded")
    return CreditMemoLine(
        credit_memo_id=memo.id,
        rma_line_id=line.id,
        description=f"{product.sku} {product.brand} {product.model} — {grade}",
        quantity=priced.quantity,
        gross=amounts.gross,
        restocking_fee=amounts.restocking_fee,
        grade_deduction=amounts.grade_deduction,
        exchange_bonus=amounts.exchange_bonus,
        amount=amounts.credit,
    )


class ResolutionError(Refusal):
    """A resolution that cannot be chosen; ``field`` names the form field it concerns."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


class AlreadyResolved(ResolutionError, Conflict):
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
        names = ", ".join(resolution_label(r) for r in offered) or _("none")
        raise ResolutionError(_("This return type offers: %(names)s.", names=names))
    if resolution not in executable_resolutions(session, rma, actor):
        raise ResolutionError(_not_executable(session, rma, actor, resolution))
    requested = rma.requested_resolution
    if requested and resolution != requested and not comment.strip():
        raise ResolutionError(
            _(
                "The retailer asked for %(requested)s: say why you chose %(chosen)s instead.",
                requested=resolution_label(requested),
                chosen=resolution_label(resolution),
            ),
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
    if event.actor is not None:
        return _(
            "%(number)s was already resolved (%(chosen)s) by %(name)s; nothing more was done.",
            number=rma.number,
            chosen=chosen,
            name=event.actor.name,
        )
    return _(
        "%(number)s was already resolved (%(chosen)s); nothing more was done.",
        number=rma.number,
        chosen=chosen,
    )


def _not_executable(session: Session, rma: Rma, actor: User, resolution: str) -> str:
    state = compiled_for(session, rma).state(rma.state).label
    executable = executable_resolutions(session, rma, actor)
    if not executable:
        return _(
            "%(number)s is %(state)s now, so it cannot be resolved.",
            number=rma.number,
            state=in_sentence(state),
        )
    others = ", ".join(resolution_label(r) for r in executable)
    return _(
        "%(resolution)s cannot be carried out for %(number)s: its workflow has no Resolve step "
        "for it from %(state)s. Choose one of: %(others)s.",
        resolution=resolution_label(resolution),
        number=rma.number,
        state=state,
        others=others,
    )
