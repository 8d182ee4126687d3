"""What the assistant's page shows for one account: its rotate-out candidates and the
replacements it could take in, under the rotation policy as it stands today."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date

from sqlalchemy.orm import Session

from models import RetailerAccount, ReturnType
from portal.assistant import queries
from portal.assistant.ranking import (
    Candidate,
    PriceBand,
    RotationLimits,
    Suggestion,
    refusal_judge,
    request_blockers,
    suggest_replacements,
    top_candidates,
)
from portal.requests import replacements

CANDIDATE_LIMIT = 40
SUGGESTION_LIMIT = 8


@dataclass(frozen=True)
class AssistantPage:
    account: RetailerAccount
    return_type: ReturnType | None
    limits: RotationLimits
    candidates: list[Candidate]
    suggestions: list[Suggestion]
    band: PriceBand | None
    blockers: list[str] = field(default_factory=list)


def assistant_page(session: Session, account: RetailerAccount, today: date) -> AssistantPage:
    """The candidates (best first, at most ``CANDIDATE_LIMIT``) and the suggestions."""
    return_type = queries.rotation_type(session)
    if return_type is None:
        return AssistantPage(account, None, RotationLimits(), [], [], None)
    policy = return_type.policy or {}
    facts = queries.rotation_facts(session, account, return_type, today)
    limits = queries.rotation_limits(return_type, facts, account.currency, today)
    shelf = queries.shelf(session, account, today, limits)
    figures = queries.sell_through(
        session, [line.product_id for line in shelf], account.region, today
    )
    ranked = top_candidates(
        shelf,
        figures.network,
        figures.region,
        limits,
        today,
        account.currency,
        refusal_judge(policy, today),
        CANDIDATE_LIMIT,
    )
    band, carried = queries.account_band(session, account, today)
    carried |= {line.product_id for line in shelf}
    suggestions = _suggestions(session, band, carried, account.currency, today)
    blockers = request_blockers(policy, facts, today)
    return AssistantPage(account, return_type, limits, ranked, suggestions, band, blockers)


def _suggestions(
    session: Session, band: PriceBand | None, carried: set[int], currency: str, today: date
) -> list[Suggestion]:
    """From the network's best sellers (kept a few minutes), a few more than shown, whose
    stock is then read now: a product sold out meanwhile is not suggested."""
    offers = queries.network_best_sellers(session, today)
    pool = suggest_replacements(offers, band, carried, currency, SUGGESTION_LIMIT * 3)
    stock = replacements.new_stock(session, [s.offer.product_id for s in pool])
    fresh = [replace(s.offer, available=stock.get(s.offer.product_id, 0)) for s in pool]
    return suggest_replacements(fresh, band, carried, currency, SUGGESTION_LIMIT)
