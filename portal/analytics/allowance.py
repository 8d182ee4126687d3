"""Rotation allowance used per account: what each account has used of the allowance its
return types' policies give, as of a day, computed exactly as the retailer's live policy
panel computes it.

The figures are the allowance rule's own (``workflow_designer.policy.rules.allowance``):
the account's facts are loaded for a page of accounts at once (the batched forms of
``load_facts``' queries, ``runtime.policy_facts``) and the rule is checked with a request
of nothing, so net purchases, the allowance, what is used, credited and left are the
numbers the panel shows before the retailer adds a line. The allowance is a trailing
period ending on a day, not a set of months: a page reads it as of the last day of its
period (today while the period runs).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import RetailerAccount, ReturnType, User
from portal.analytics.flow_scope import FlowFilters
from portal.analytics.units import percent_of
from portal.pagination import Page, paginate
from portal.scope import account_scope
from workflow_designer.policy import AccountFacts, PolicyRequest
from workflow_designer.policy.rules.base import RULES
from workflow_designer.policy.validation import read_policy
from workflow_designer.runtime.policy_facts import allowance_used_of, net_purchases_of

RULE = "allowance"


@dataclass(frozen=True)
class AllowanceUse:
    account_id: int
    account_number: str
    account_name: str
    return_type_id: int
    return_type: str
    currency: str
    percent: Decimal
    period_days: int
    net_purchases: Decimal
    allowance: Decimal
    used: Decimal
    credited: Decimal
    pending: Decimal
    left: Decimal

    @property
    def share_used(self) -> Decimal | None:
        """Used ÷ allowance (1 is all of it); None when there is no allowance to use."""
        return self.used / self.allowance if self.allowance > 0 else None

    @property
    def used_percent(self) -> Decimal | None:
        return percent_of(self.share_used)

    @property
    def over(self) -> bool:
        return self.left < 0


@dataclass(frozen=True)
class AllowanceType:
    return_type: ReturnType
    params: dict[str, Any]


def allowance_types(session: Session, filters: FlowFilters) -> list[AllowanceType]:
    """The return types whose policy has the allowance rule on (the filtered one only)."""
    query = select(ReturnType).where(ReturnType.is_archived.is_(False)).order_by(ReturnType.name)
    if filters.return_type_id is not None:
        query = query.where(ReturnType.id == filters.return_type_id)
    found = []
    for return_type in session.scalars(query):
        config = read_policy(return_type.policy or {}).rules.get(RULE)
        if config is not None:
            found.append(AllowanceType(return_type, config.params))
    return found


def allowance_page(
    session: Session,
    user: User,
    filters: FlowFilters,
    as_of: date,
    page: int,
    per_page: int,
) -> Page:
    """A page of the accounts ``user`` may see (by number), each with one row per return
    type that has an allowance; ``Page.items`` are ``AllowanceUse`` rows."""
    types = allowance_types(session, filters)
    query = select(RetailerAccount).where(account_scope(user)).order_by(RetailerAccount.number)
    if filters.account_id is not None:
        query = query.where(RetailerAccount.id == filters.account_id)
    if filters.region is not None:
        query = query.where(RetailerAccount.region == filters.region)
    accounts = paginate(session, query, page, per_page)
    rows = allowance_uses(session, list(accounts.items), types, as_of) if types else []
    return accounts.with_items(rows)


def allowance_uses(
    session: Session, accounts: list[RetailerAccount], types: list[AllowanceType], as_of: date
) -> list[AllowanceUse]:
    """The allowance rule's figures for every account and type, by account then type."""
    ids = [account.id for account in accounts]
    figures: dict[tuple[int, int], AllowanceUse] = {}
    purchases_by_days: dict[int, dict[int, Decimal]] = {}
    for kind in types:
        days = kind.params["period_days"].trailing_days(as_of)
        if days not in purchases_by_days:
            purchases_by_days[days] = net_purchases_of(session, ids, as_of, days)
        used = allowance_used_of(session, ids, kind.return_type.id, as_of, days)
        for account in accounts:
            facts = AccountFacts(
                currency=account.currency,
                net_purchases=purchases_by_days[days].get(account.id, Decimal(0)),
                allowance_used=used.get(account.id, (Decimal(0), Decimal(0)))[0],
                allowance_credited=used.get(account.id, (Decimal(0), Decimal(0)))[1],
                allowance_period_days=days,
            )
            figures[(account.id, kind.return_type.id)] = _use(account, kind, facts, as_of, days)
    return [figures[(a.id, k.return_type.id)] for a in accounts for k in types]


def _use(
    account: RetailerAccount, kind: AllowanceType, facts: AccountFacts, as_of: date, days: int
) -> AllowanceUse:
    outcome = RULES[RULE].check(kind.params, PolicyRequest(today=as_of, facts=facts))
    numbers = outcome.figures
    return AllowanceUse(
        account_id=account.id,
        account_number=account.number,
        account_name=account.name,
        return_type_id=kind.return_type.id,
        return_type=kind.return_type.shown_name,
        currency=account.currency,
        percent=Decimal(numbers["percent"]),
        period_days=days,
        net_purchases=Decimal(numbers["net_purchases"]),
        allowance=Decimal(numbers["allowance"]),
        used=Decimal(numbers["used"]),
        credited=Decimal(numbers["previously_credited"]),
        pending=Decimal(numbers["previously_pending"]),
        left=Decimal(numbers["left"]),
    )
