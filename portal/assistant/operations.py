"""Building a rotation draft from the assistant's choices. Never commits.

The draft is made by the request flow's own operations (``create_draft``, ``add_lines``,
``set_replacement_quantities``), so every check they make applies: lines must be the
account's and still returnable, replacement products active and in stock at catalog
prices. The policy itself is checked where it always is: live on the draft page, and
again at submit, which refuses what became invalid meanwhile with its reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Grade, RetailerAccount, ReturnType, Rma, Role, User
from portal.assistant.ranking import Offer, replacement_quantities
from portal.notifications.emails import SUGGESTED_TEMPLATE
from portal.notifications.operations import queue_notifications
from portal.requests import operations as drafts
from portal.requests import replacements
from portal.requests.errors import RequestError
from portal.requests.evaluation import evaluate_draft, replacement_enabled
from workflow_designer.runtime.firing import compiled_for

REASON_HINTS = ("rotation", "slow", "overstock")


def rotation_reason(return_type: ReturnType) -> str:
    """The return type's reason that names a rotation (or a slow seller), else its first."""
    reasons = return_type.reasons or []
    for reason in reasons:
        if any(hint in reason.lower() for hint in REASON_HINTS):
            return reason
    return reasons[0] if reasons else ""


def build_rotation_draft(
    session: Session,
    actor: User,
    account: RetailerAccount,
    return_type: ReturnType,
    order_line_ids: Iterable[int],
    product_ids: Iterable[int],
    today: date,
    now: datetime,
) -> Rma:
    """A draft of ``return_type`` returning all that is returnable of the chosen lines, with
    a replacement order of the chosen products sized to the policy's minimum."""
    picks: dict[int, int | None] = dict.fromkeys(sorted(set(order_line_ids)))
    if not picks:
        raise RequestError(_("Tick at least one frame to rotate out."))
    rma = drafts.create_draft(session, actor, account, return_type, now)
    drafts.add_lines(
        session, actor, rma, picks, reason=rotation_reason(return_type), condition=Grade.NEW
    )
    chosen = sorted(set(product_ids))
    if chosen:
        if not replacement_enabled(return_type):
            raise RequestError(
                _("%(name)s does not take a replacement order.", name=return_type.shown_name)
            )
        drafts.set_replacement_quantities(session, actor, rma, _order(session, rma, chosen, today))
    return rma


def _order(session: Session, rma: Rma, product_ids: list[int], today: date) -> dict[int, int]:
    """Units per chosen product: the smallest order that meets the policy's minimum. A
    product no longer orderable is kept at one unit, for the operation to refuse by name."""
    offers = replacements.orderable(session, product_ids)
    available = [
        Offer(
            o.product.id,
            o.product.sku,
            o.product.brand,
            o.product.model,
            o.product.colour,
            o.product.list_price,
            o.available,
            0,
        )
        for o in offers.values()
    ]
    quantities = replacement_quantities(available, required_replacement(session, rma, today))
    return {product_id: quantities.get(product_id, 1) for product_id in product_ids}


def required_replacement(session: Session, rma: Rma, today: date) -> Decimal:
    """What the policy's replacement order rule requires of this draft (0 without one),
    as the rule itself computes it."""
    for finding in evaluate_draft(session, rma, today).findings:
        if finding.rule == "replacement_order":
            return Decimal(finding.figures.get("required") or 0)
    return Decimal(0)


def send_to_retailer(session: Session, actor: User, rma: Rma) -> int:
    """Tell the account's active retailer users that a rotation was drafted for them (an
    e-mail in each one's language and an in-app notification); returns how many."""
    recipients = list(
        session.scalars(
            select(User).where(
                User.account_id == rma.account_id,
                User.role == Role.RETAILER,
                User.is_active.is_(True),
            )
        )
    )
    if not recipients:
        raise RequestError(_("This account has no active retailer user to send it to."))
    state_label = compiled_for(session, rma).state(rma.state).label
    queue_notifications(session, rma, actor, recipients, SUGGESTED_TEMPLATE, state_label)
    session.flush()
    return len(recipients)
