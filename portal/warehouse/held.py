"""Units held apart: received beyond the authorised quantity, or not on the RMA at all.

They are never stocked nor credited. A sales rep of the account or an admin decides:
return to sender (the warehouse then ships them back and marks them shipped) or dispose
(the retailer agreed). Each decision and each shipment is an event on the RMA. Takes the
session and the actor, never commits.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select
from sqlalchemy.orm import Session, joinedload

from models import (
    HeldDecision,
    OrderLine,
    RetailerAccount,
    Rma,
    RmaLine,
    Role,
    UnexpectedItem,
    User,
)
from models.base import utcnow
from portal.i18n.formats import format_day
from portal.rmas.event_words import stored_label
from portal.rmas.queries import rma_scope
from portal.warehouse.operations import ReceivingError, line_sku
from workflow_designer.runtime.firing import record_event

DECIDE_HELD = "decide_held"
SHIP_HELD = "ship_held"
MAX_COMMENT = 2000
SHIPPERS = frozenset({Role.WAREHOUSE, Role.ADMIN})
# A whole sentence per decision, rather than a decision's name glued into one.
DECIDED_ALREADY = {
    HeldDecision.RETURN_TO_SENDER: _l("%(sku)s: decided already (return to sender)."),
    HeldDecision.DISPOSE: _l("%(sku)s: decided already (dispose)."),
}


class HeldRefused(ReceivingError):
    """The decision or the shipment cannot be recorded; the message says why."""


@dataclass(frozen=True)
class HeldUnits:
    """One line's excess units or one unexpected item, as the queues and pages list them."""

    rma: Rma
    kind: str  # "lines" or "items", as in the URLs
    id: int
    sku: str
    description: str
    quantity: int
    decision: HeldDecision | None
    shipped_at: datetime | None

    @property
    def waiting_for(self) -> str:
        if self.decision is None:
            return "decision"
        if self.decision is HeldDecision.RETURN_TO_SENDER and self.shipped_at is None:
            return "shipment"
        return ""

    @property
    def status_words(self) -> str:
        if self.decision is None:
            return _("Awaiting a decision")
        if self.decision is HeldDecision.DISPOSE:
            return _("Dispose")
        if self.shipped_at is None:
            return _("Return to sender: to ship back")
        return _("Returned to sender (%(day)s)", day=format_day(self.shipped_at))


def _from_line(line: RmaLine) -> HeldUnits:
    product = line.order_line.product if line.order_line else None
    return HeldUnits(
        rma=line.rma,
        kind="lines",
        id=line.id,
        sku=line_sku(line),
        description=_(
            "%(brand)s %(model)s, over-received", brand=product.brand, model=product.model
        )
        if product
        else "",
        quantity=line.quantity_excess,
        decision=HeldDecision(line.excess_decision) if line.excess_decision else None,
        shipped_at=line.excess_shipped_at,
    )


def _from_item(item: UnexpectedItem) -> HeldUnits:
    return HeldUnits(
        rma=item.rma,
        kind="items",
        id=item.id,
        sku=item.product.sku if item.product else "—",
        description=_("%(description)s, not on the RMA", description=item.description),
        quantity=item.quantity,
        decision=HeldDecision(item.decision) if item.decision else None,
        shipped_at=item.shipped_at,
    )


def held_on(lines: list[RmaLine], items: list[UnexpectedItem]) -> list[HeldUnits]:
    """Everything one RMA holds apart (its lines and items already loaded)."""
    return [_from_line(line) for line in lines if line.quantity_excess] + [
        _from_item(item) for item in items
    ]


def open_held(session: Session, user: User, limit: int = 200) -> list[HeldUnits]:
    """What waits on someone, over the RMAs ``user`` may see: a decision (reps, admins)
    or a shipment back to the sender (warehouse, admins)."""
    deciding = user.role in (Role.SALES_REP, Role.ADMIN)
    shipping = user.role in SHIPPERS
    line_waits, item_waits = [], []
    if deciding:
        line_waits.append(RmaLine.excess_decision.is_(None))
        item_waits.append(UnexpectedItem.decision.is_(None))
    if shipping:
        returned = HeldDecision.RETURN_TO_SENDER.value
        line_waits.append(
            (RmaLine.excess_decision == returned) & RmaLine.excess_shipped_at.is_(None)
        )
        item_waits.append(
            (UnexpectedItem.decision == returned) & UnexpectedItem.shipped_at.is_(None)
        )
    if not line_waits:
        return []
    scope = rma_scope(user)
    lines = session.scalars(
        select(RmaLine)
        .join(Rma, RmaLine.rma_id == Rma.id)
        .join(RetailerAccount, Rma.account_id == RetailerAccount.id)
        .where(RmaLine.quantity_excess > 0, or_(*line_waits), scope)
        .options(
            joinedload(RmaLine.rma).joinedload(Rma.account),
            joinedload(RmaLine.order_line).joinedload(OrderLine.product),
        )
        .order_by(RmaLine.id)
        .limit(limit)
    )
    items = session.scalars(
        select(UnexpectedItem)
        .join(Rma, UnexpectedItem.rma_id == Rma.id)
        .join(RetailerAccount, Rma.account_id == RetailerAccount.id)
        .where(or_(*item_waits), scope)
        .options(joinedload(UnexpectedItem.rma).joinedload(Rma.account))
        .options(joinedload(UnexpectedItem.product))
        .order_by(UnexpectedItem.id)
        .limit(limit)
    )
    return [_from_line(line) for line in lines] + [_from_item(item) for item in items]


def can_decide(user: User, rma: Rma) -> bool:
    """An admin, or the sales rep the RMA's account is assigned to."""
    if user.role is Role.ADMIN:
        return True
    return user.role is Role.SALES_REP and rma.account.sales_rep_id == user.id


def can_ship(user: User) -> bool:
    return user.role in SHIPPERS


def find_held(session: Session, rma: Rma, kind: str, target_id: int) -> RmaLine | UnexpectedItem:
    """The RMA's line or unexpected item; HeldRefused when it is not this RMA's."""
    model = RmaLine if kind == "lines" else UnexpectedItem
    # Ids beyond a 32-bit key exist nowhere (and overflow the drivers): not this RMA's.
    target = session.get(model, target_id) if 0 < target_id < 2**31 else None
    if target is None or target.rma_id != rma.id:
        raise HeldRefused(_("That is not held apart on this RMA."))
    if isinstance(target, RmaLine) and not target.quantity_excess:
        raise HeldRefused(_("%(sku)s has no units held apart.", sku=line_sku(target)))
    return target


def decide_held(
    session: Session,
    rma: Rma,
    target: RmaLine | UnexpectedItem,
    actor: User,
    decision: HeldDecision,
    comment: str,
    now: datetime | None = None,
) -> HeldUnits:
    """Record the rep's or admin's decision on units held apart, with its reason."""
    if not can_decide(actor, rma):
        raise HeldRefused(_("Only the account's sales rep or an admin decides on held units."))
    comment = _comment(comment)
    held = _held(target)
    if held.decision is not None:
        raise HeldRefused(str(DECIDED_ALREADY[held.decision]) % {"sku": held.sku})
    if isinstance(target, RmaLine):
        target.excess_decision = decision.value
    else:
        target.decision = decision.value
    data = {**_data(held), "decision": decision.value}
    record_event(
        session,
        rma,
        actor,
        DECIDE_HELD,
        comment=comment,
        data={**data, "label": stored_label(DECIDE_HELD, data)},
        now=now,
    )
    return _held(target)


def mark_held_shipped(
    session: Session,
    rma: Rma,
    target: RmaLine | UnexpectedItem,
    actor: User,
    now: datetime | None = None,
) -> HeldUnits:
    """The warehouse shipped units decided "return to sender" back to the retailer."""
    if not can_ship(actor):
        raise HeldRefused(_("Only warehouse staff and admins mark held units shipped."))
    held = _held(target)
    if held.decision is not HeldDecision.RETURN_TO_SENDER:
        raise HeldRefused(_("%(sku)s: not decided to be returned to the sender.", sku=held.sku))
    if held.shipped_at is not None:
        raise HeldRefused(_("%(sku)s: already shipped back.", sku=held.sku))
    when = now or utcnow()
    if isinstance(target, RmaLine):
        target.excess_shipped_at = when
    else:
        target.shipped_at = when
    data = {**_data(held), "label": stored_label(SHIP_HELD, _data(held))}
    record_event(session, rma, actor, SHIP_HELD, data=data, now=now)
    return _held(target)


def _held(target: RmaLine | UnexpectedItem) -> HeldUnits:
    return _from_line(target) if isinstance(target, RmaLine) else _from_item(target)


def _data(held: HeldUnits) -> dict:
    key = "line" if held.kind == "lines" else "unexpected_item"
    return {key: held.id, "sku": held.sku, "quantity": held.quantity}


def _comment(comment: str) -> str:
    comment = (comment or "").strip()
    if not comment:
        raise HeldRefused(_("Say why: a decision needs a comment."))
    if len(comment) > MAX_COMMENT or "\x00" in comment:
        raise HeldRefused(
            _("Keep the comment to %(max)s characters of plain text.", max=MAX_COMMENT)
        )
    return comment
