"""Exchange first: when a draft's reasons call for it, the draft offers an exchange before a
credit, with the bonus the return type grants for it.

Which reasons offer an exchange is a setting of the return type (``exchange_reasons``, a
subset of its reasons, edited in the designer): reasons are free text typed per return type,
so no word list could recognise "size", "colour" or "fit" in every language. The default
return types set it for their size and colour reasons and for every rotation reason. The
exchange is offered only when the return type also offers the exchange resolution.

What the exchange is: the products on the draft's replacement order (other sizes and colours
of the returned models, or the suggested best sellers, chosen from live new-grade stock), or
— with none chosen — the returned frames like for like. At submit every chosen product must
still be orderable; one that is not is refused with the reason, never silently changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _

from models import Lifecycle, ReturnType
from portal.requests.contents import DraftContents
from portal.requests.errors import RequestError
from portal.requests.evaluation import DraftEvaluation, replacement_enabled
from workflow_designer.policy import estimate_credit
from workflow_designer.policy.vocabulary import Resolution


def exchange_reasons(return_type: ReturnType) -> set[str]:
    """The return type's reasons that offer an exchange (a stale entry counts for nothing)."""
    offered = set(return_type.reasons or [])
    return {reason for reason in return_type.exchange_reasons or [] if reason in offered}


def may_offer_exchange(return_type: ReturnType) -> bool:
    """Whether some draft of this return type can be offered an exchange."""
    resolutions = return_type.resolutions or []
    return Resolution.EXCHANGE in resolutions and bool(exchange_reasons(return_type))


def takes_replacements(return_type: ReturnType) -> bool:
    """Whether a draft may hold a replacement order: a rotation's, or an exchange's."""
    return replacement_enabled(return_type) or may_offer_exchange(return_type)


@dataclass(frozen=True)
class ExchangeOffer:
    """The exchange offered on a draft: why, and what it adds towards the new stock."""

    reasons: tuple[str, ...]  # that call for it, in the reader's language
    bonus: Decimal  # granted by the return type for this draft, in its currency
    unused: Decimal  # the part the chosen replacement order would leave unpaid
    credit: Decimal  # the estimated credit with the exchange (bonus included)


def exchange_offer(checked: DraftEvaluation) -> ExchangeOffer | None:
    """The exchange to offer first on this draft, or None when its reasons do not call
    for one. The bonus is priced by the one credit function on the reported conditions."""
    rma = checked.rma
    if not may_offer_exchange(rma.return_type):
        return None
    wanted = exchange_reasons(rma.return_type)
    reasons = tuple(
        dict.fromkeys(d.line.reason for d in checked.contents.lines if d.line.reason in wanted)
    )
    if not reasons:
        return None
    replacement_value = (
        checked.contents.replacement_value if checked.contents.replacements else None
    )
    estimate = estimate_credit(
        rma.return_type.policy or {},
        checked.request.lines,
        Resolution.EXCHANGE,
        currency=rma.currency,
        replacement_value=replacement_value,
    )
    return ExchangeOffer(
        tuple(rma.return_type.shown_reason(reason) for reason in reasons),
        estimate.bonus_granted,
        estimate.bonus_unused,
        estimate.total_credit,
    )


def resolution_order(offered: list[str], exchange_first: bool) -> list[str]:
    """The return type's resolutions as the draft lists them: exchange first when offered."""
    if exchange_first and Resolution.EXCHANGE in offered:
        return [Resolution.EXCHANGE.value, *(r for r in offered if r != Resolution.EXCHANGE)]
    return list(offered)


def check_exchange(contents: DraftContents, resolution: str) -> None:
    """Refuse an exchange whose chosen products can no longer be ordered (inactive, or
    not enough new stock), naming each; nothing on the draft is changed."""
    if resolution != Resolution.EXCHANGE:
        return
    problems = []
    for r in contents.replacements:
        if r.product.lifecycle != Lifecycle.ACTIVE:
            problems.append(_("%(sku)s is no longer sold", sku=r.product.sku))
        elif r.line.quantity > r.available:
            problems.append(
                _(
                    "only %(available)s of %(sku)s are in stock, not %(wanted)s",
                    available=r.available,
                    sku=r.product.sku,
                    wanted=r.line.quantity,
                )
            )
    if problems:
        raise RequestError(
            _(
                "The exchange cannot be submitted as chosen: %(problems)s. Change the "
                "replacement order or choose a credit instead.",
                problems="; ".join(problems),
            )
        )
