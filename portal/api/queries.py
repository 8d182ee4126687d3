"""The API's reads, scoped like the pages: through ``portal.scope`` and the areas'
own loaders, so a token sees exactly what its user sees."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from models import (
    PolicyVersion,
    Product,
    RetailerAccount,
    ReturnType,
    Rma,
    RmaEvent,
    RmaLine,
    User,
    WebhookDelivery,
    WebhookSubscription,
)
from portal.api.cursor import Slice, keyset_page
from portal.api.schemas import LedgerQuery, RmaQuery
from portal.credits.queries import LedgerFilter, filtered_ledger
from portal.rmas import queries as rma_queries
from portal.rmas.breakdown import CreditBreakdown
from portal.rmas.page import credit_figures, was_inspected
from portal.scope import account_scope, load_account


def rmas(session: Session, user: User, query: RmaQuery) -> Slice:
    """The RMAs ``user`` may see, newest first, filtered (the lists' scope)."""
    statement = rma_queries.listed_rmas(
        Rma.account_id,
        ReturnType.code,
        Rma.currency,
        Rma.total_value,
        Rma.created_at,
        Rma.submitted_at,
        Rma.updated_at,
        Rma.id,
    ).where(rma_queries.rma_scope(user), *_rma_conditions(query))
    return keyset_page(session, statement, Rma.id, query.limit, query.cursor, newest_first=True)


def _rma_conditions(query: RmaQuery) -> list[ColumnElement[bool]]:
    conditions = []
    if query.state:
        conditions.append(Rma.state == query.state)
    if query.account:
        conditions.append(Rma.account_id == query.account)
    if query.return_type:
        conditions.append(ReturnType.code == query.return_type)
    if query.submitted_from:
        conditions.append(Rma.submitted_at >= _midnight(query.submitted_from))
    if query.submitted_to:
        conditions.append(Rma.submitted_at < _midnight(query.submitted_to + timedelta(days=1)))
    return conditions


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def rma_detail(
    session: Session, user: User, number: str
) -> tuple[Rma, list[RmaLine], list[RmaEvent], CreditBreakdown | None]:
    """The RMA (404 out of scope) with what its page shows of lines, events and credit."""
    rma = rma_queries.load_rma(session, user, number)
    lines = rma_queries.rma_lines(session, rma)
    events = rma_queries.rma_events(session, rma)
    rma_queries.load_inspection_results(session, lines)  # what the credit is priced from
    return rma, lines, events, credit_figures(session, rma, lines, was_inspected(events))


def accounts(session: Session, user: User, limit: int, cursor: str | None) -> Slice:
    statement: Any = select(RetailerAccount, RetailerAccount.id).where(account_scope(user))
    return keyset_page(session, statement, RetailerAccount.id, limit, cursor)


def account(session: Session, user: User, account_id: int) -> RetailerAccount:
    return load_account(session, user, account_id)


def products(session: Session, limit: int, cursor: str | None) -> Slice:
    """The catalog: no account's data, the same for every token with the scope."""
    statement: Any = select(Product, Product.id)
    return keyset_page(session, statement, Product.id, limit, cursor)


def return_types(session: Session) -> list[tuple[ReturnType, int | None]]:
    """Return types on offer (not archived), with their policy's latest version number."""
    latest = (
        select(PolicyVersion.return_type_id, func.max(PolicyVersion.number).label("number"))
        .group_by(PolicyVersion.return_type_id)
        .subquery()
    )
    rows = session.execute(
        select(ReturnType, latest.c.number)
        .outerjoin(latest, latest.c.return_type_id == ReturnType.id)
        .where(ReturnType.is_archived.is_(False))
        .order_by(ReturnType.id)
    ).all()
    return [(return_type, number) for return_type, number in rows]


def ledger(session: Session, user: User, query: LedgerQuery) -> Slice:
    """The account's ledger (404 when the user may not see the account), newest first."""
    scoped = load_account(session, user, query.account)
    rows, statement = filtered_ledger(scoped, LedgerFilter())
    keyed: Any = statement.add_columns(rows.c.id.label("cursor_key"))
    return keyset_page(session, keyed, rows.c.id, query.limit, query.cursor, newest_first=True)


def webhooks(session: Session, limit: int, cursor: str | None) -> Slice:
    """The distributor's subscriptions, by id (the scope holders are admins only)."""
    statement: Any = select(WebhookSubscription, WebhookSubscription.id)
    return keyset_page(session, statement, WebhookSubscription.id, limit, cursor)


def webhook_deliveries(
    session: Session, subscription: WebhookSubscription, limit: int, cursor: str | None
) -> Slice:
    """The subscription's delivery log, newest first, as its page shows it."""
    statement: Any = select(WebhookDelivery, WebhookDelivery.id).where(
        WebhookDelivery.subscription_id == subscription.id
    )
    return keyset_page(session, statement, WebhookDelivery.id, limit, cursor, newest_first=True)
