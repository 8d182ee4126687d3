"""Corrections of a receipt or a grading: appended as events, never silent overwrites.

Warehouse staff and admins correct a line until the RMA is resolved (``is_resolved``);
after that only admins, and the correction issues a credit adjustment for the difference
it makes to the credit (issued memos never change). Each correction is one event (who,
when, the line, old → new, why) and, when the inspection already put stock away, moves
the stock by the difference. Takes the session and the actor, never commits.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from models import CreditMemo, Grade, HeldDecision, Rma, RmaEvent, RmaLine, Role, User
from portal.credits.documents import DocumentRefused, credit_memo_of, issue_adjustment
from portal.rmas import event_words
from portal.warehouse.operations import (
    ReceivingError,
    add_stock,
    check_grades,
    check_units,
    line_sku,
    remove_stock,
    replace_grades,
    stocked_by_grade,
    warehouse_for,
)
from workflow_designer.policy.words import in_sentence
from workflow_designer.runtime.firing import record_event

RESOLVE_TRIGGER = "resolve"
RECEIVE_TRIGGER = "receive"
CORRECT_RECEIPT = "correct_receipt"
CORRECT_GRADING = "correct_grading"
CORRECTORS = frozenset({Role.WAREHOUSE, Role.ADMIN})
MAX_REASON = 2000


class CorrectionRefused(ReceivingError):
    """The correction cannot be made (resolved RMA, nothing received, no reason, …)."""


def is_resolved(session: Session, rma: Rma) -> bool:
    """Resolved: a credit memo was issued for the RMA, or it went through ``resolve``.
    From then on the money is settled; a change needs a credit adjustment, not an edit."""
    memo = exists().where(CreditMemo.rma_id == rma.id)
    resolved = exists().where(RmaEvent.rma_id == rma.id, RmaEvent.trigger == RESOLVE_TRIGGER)
    return bool(session.scalar(select(memo | resolved)))


def is_received(session: Session, rma: Rma) -> bool:
    return bool(
        session.scalar(
            select(exists().where(RmaEvent.rma_id == rma.id, RmaEvent.trigger == RECEIVE_TRIGGER))
        )
    )


def stock_moved(session: Session, rma: Rma) -> bool:
    """Whether the workflow's ``restock`` action already put the graded units away."""
    events = session.scalars(select(RmaEvent.data).where(RmaEvent.rma_id == rma.id))
    return any("restock" in (data or {}).get("actions", ()) for data in events)


def can_correct(
    session: Session,
    user: User,
    rma: Rma,
    received: bool | None = None,
    resolved: bool | None = None,
) -> bool:
    """Whether ``user`` may correct the RMA's receipt and grades now (``received`` and
    ``resolved``: when the caller already knows). Once resolved, admins only."""
    if user.role not in CORRECTORS:
        return False
    received = is_received(session, rma) if received is None else received
    if not received or user.role is Role.ADMIN:
        return received
    return not (is_resolved(session, rma) if resolved is None else resolved)


@dataclass
class Correction:
    """What a correction changed: the line, old → new, and the stock it moved."""

    line_id: int
    sku: str
    received: tuple[int, int] | None = None
    grades: tuple[dict[str, int], dict[str, int]] | None = None
    stock: dict[str, int] = field(default_factory=dict)
    stock_short: dict[str, int] = field(default_factory=dict)
    # After resolution: the adjustment memo the correction issued (None: no difference).
    adjustment: CreditMemo | None = None

    def as_data(self) -> dict:
        data: dict = {"line": self.line_id, "sku": self.sku}
        if self.received:
            data["received"] = {"from": self.received[0], "to": self.received[1]}
        if self.grades:
            data["grades"] = {"from": self.grades[0], "to": self.grades[1]}
        if self.stock:
            data["stock"] = self.stock
        if self.stock_short:
            data["stock_not_found"] = self.stock_short
        return data


def correct_receipt(
    session: Session,
    rma: Rma,
    line: RmaLine,
    actor: User,
    quantity: int,
    reason: str,
    grades: Mapping[Grade, int] | None = None,
    now: datetime | None = None,
) -> Correction:
    """Correct how many units of ``line`` arrived. On a graded line the accepted units must
    be graded again (``grades``). Raises CorrectionRefused/ReceivingError or
    TransitionConflict (someone changed the RMA at the same time)."""
    reason = _check(session, rma, line, actor, reason)
    quantity = check_units(quantity)
    if quantity == line.quantity_received:
        raise CorrectionRefused(
            _(
                "%(sku)s: %(quantity)s received is already recorded.",
                sku=line_sku(line),
                quantity=quantity,
            )
        )
    resolved = is_resolved(session, rma)
    correction = apply_receipt(session, rma, line, actor, quantity, grades)
    _record(session, rma, actor, CORRECT_RECEIPT, correction, reason, now)
    if resolved:
        correction.adjustment = _adjust_credit(session, rma, actor, reason, now)
    return correction


def correct_line(
    session: Session,
    rma: Rma,
    line: RmaLine,
    actor: User,
    quantity: int,
    grades: Mapping[Grade, int],
    reason: str,
) -> Correction:
    """Correct ``line`` as the correction form posts it: a changed received quantity (or no
    grades at all) corrects the receipt, with the grades of the new accepted quantity when
    some are given; the same quantity with other grades corrects the grading."""
    graded = any(grades.values())
    if quantity != line.quantity_received or not graded:
        counts = grades if graded else None
        return correct_receipt(session, rma, line, actor, quantity, reason, counts)
    return correct_grading(session, rma, line, actor, grades, reason)


def correct_grading(
    session: Session,
    rma: Rma,
    line: RmaLine,
    actor: User,
    grades: Mapping[Grade, int],
    reason: str,
    now: datetime | None = None,
) -> Correction:
    """Correct the grades of ``line``'s accepted units (they must add up to them)."""
    reason = _check(session, rma, line, actor, reason)
    resolved = is_resolved(session, rma)
    correction = apply_grading(session, rma, line, actor, grades)
    _record(session, rma, actor, CORRECT_GRADING, correction, reason, now)
    if resolved:
        correction.adjustment = _adjust_credit(session, rma, actor, reason, now)
    return correction


def _adjust_credit(
    session: Session, rma: Rma, actor: User, reason: str, now: datetime | None
) -> CreditMemo | None:
    """The credit adjustment a correction of a resolved RMA makes (None: the credit did
    not change, or the resolution issued no credit memo to adjust)."""
    if credit_memo_of(session, rma) is None:
        return None
    try:
        return issue_adjustment(session, rma, actor, reason, now=now)
    except DocumentRefused as refused:
        raise CorrectionRefused(str(refused)) from None


def apply_receipt(
    session: Session,
    rma: Rma,
    line: RmaLine,
    actor: User,
    quantity: int,
    grades: Mapping[Grade, int] | None,
) -> Correction:
    """Set the received quantity (and grades), moving stock by the difference."""
    old_excess = line.quantity_excess
    new_accepted = min(quantity, line.quantity_authorized)
    new_excess = max(quantity - line.quantity_authorized, 0)
    if line.excess_decision and new_excess != old_excess:
        raise CorrectionRefused(
            _(
                "%(sku)s: the %(count)s units held apart were already decided on (%(decision)s); "
                "their number cannot change now.",
                sku=line_sku(line),
                count=old_excess,
                decision=in_sentence(HeldDecision(line.excess_decision).label),
            )
        )
    counts = None
    regrade = line.inspection_results and new_accepted != line.quantity_accepted
    if grades is not None and any(grades.values()):
        counts = _grades_for(line, grades, new_accepted)
    elif regrade and new_accepted:
        raise CorrectionRefused(
            _(
                "%(sku)s is graded: grade the %(count)s accepted units again.",
                sku=line_sku(line),
                count=new_accepted,
            )
        )
    elif regrade:
        counts = {}
    correction = Correction(line.id, line_sku(line), received=(line.quantity_received, quantity))
    if counts is not None:
        _regrade(session, rma, line, actor, counts, correction)
    line.quantity_received = quantity
    line.has_discrepancy = quantity != line.quantity_authorized
    session.flush()
    return correction


def apply_grading(
    session: Session, rma: Rma, line: RmaLine, actor: User, grades: Mapping[Grade, int]
) -> Correction:
    counts = _grades_for(line, grades, line.quantity_accepted)
    correction = Correction(line.id, line_sku(line))
    _regrade(session, rma, line, actor, counts, correction)
    if correction.grades[0] == correction.grades[1]:
        raise CorrectionRefused(_("%(sku)s already has these grades.", sku=line_sku(line)))
    return correction


def _check(session: Session, rma: Rma, line: RmaLine, actor: User, reason: str) -> str:
    if line.rma_id != rma.id:
        raise CorrectionRefused(_("This line belongs to another RMA."))
    if actor.role not in CORRECTORS:
        raise CorrectionRefused(_("Only warehouse staff and admins correct receipts and grades."))
    reason = (reason or "").strip()
    if not reason:
        raise CorrectionRefused(_("Say why: a correction needs a reason."))
    if len(reason) > MAX_REASON or "\x00" in reason:
        raise CorrectionRefused(
            _("Keep the reason to %(max)s characters of plain text.", max=MAX_REASON)
        )
    if not is_received(session, rma):
        raise CorrectionRefused(
            _("%(number)s has not been received yet: nothing to correct.", number=rma.number)
        )
    if actor.role is not Role.ADMIN and is_resolved(session, rma):
        raise CorrectionRefused(
            _(
                "%(number)s is resolved: only an admin can correct its receipt and grades now, "
                "and the correction issues a credit adjustment.",
                number=rma.number,
            )
        )
    return reason


def _grades_for(line: RmaLine, grades: Mapping[Grade, int], accepted: int) -> dict[Grade, int]:
    counts = check_grades(grades)
    if sum(counts.values()) != accepted:
        raise CorrectionRefused(
            _(
                "%(sku)s: grade all %(accepted)s accepted units: %(graded)s are graded.",
                sku=line_sku(line),
                accepted=accepted,
                graded=sum(counts.values()),
            )
        )
    return counts


def _regrade(
    session: Session,
    rma: Rma,
    line: RmaLine,
    actor: User,
    counts: Mapping[Grade, int],
    correction: Correction,
) -> None:
    before = {r.grade.value: r.quantity for r in line.inspection_results}
    stocked_before = stocked_by_grade(line.inspection_results)
    note = next((r.note for r in line.inspection_results if r.note), "")
    photo = next((r.attachment_id for r in line.inspection_results if r.attachment_id), None)
    results = replace_grades(session, rma, line, actor, counts, note)
    for result in results:
        result.attachment_id = photo
    correction.grades = (before, {r.grade.value: r.quantity for r in results})
    if stock_moved(session, rma):
        _move_stock(session, rma, line, stocked_before, stocked_by_grade(results), correction)


def _move_stock(
    session: Session,
    rma: Rma,
    line: RmaLine,
    before: dict[Grade, int],
    after: dict[Grade, int],
    correction: Correction,
) -> None:
    """Put the difference into (or take it out of) stock; never below zero."""
    warehouse_id = warehouse_for(session, rma)
    product_id = line.order_line.product_id
    for grade in Grade:
        delta = after.get(grade, 0) - before.get(grade, 0)
        if delta > 0:
            add_stock(session, product_id, warehouse_id, grade, delta)
            correction.stock[grade.value] = delta
        elif delta < 0:
            taken = remove_stock(session, product_id, warehouse_id, grade, -delta)
            if taken:
                correction.stock[grade.value] = -taken
            if taken < -delta:
                correction.stock_short[grade.value] = -delta - taken


def _record(
    session: Session,
    rma: Rma,
    actor: User,
    trigger: str,
    correction: Correction,
    reason: str,
    now: datetime | None,
) -> RmaEvent:
    facts = correction.as_data()
    return record_event(
        session,
        rma,
        actor,
        trigger,
        comment=reason,
        data={**facts, "label": event_words.stored_label(trigger, facts)},
        now=now,
    )


def correction_words(correction: Correction) -> str:
    """The correction's line in the timeline, in the reader's language: what changed,
    old → new."""
    return event_words.correction_words(correction.as_data())
