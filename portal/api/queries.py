"""The API's reads, scoped like the pages: through ``portal.scope`` and the areas'
own loaders, so a token sees exactly what its user sees."""

from __future__ import annotations

from collections.abc import Iterator
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
from portal.api.schemas import LedgerFilters, LedgerQuery, RmaFilters, RmaQuery
from portal.credits.queries import LedgerFilter, filtered_ledger
from portal.rmas import queries as rma_queries
from portal.rmas.breakdown import CreditBreakdown
from portal.rmas.page import credit_figures, was_inspected
from portal.scope import account_scope, load_account

EXPORT_BATCH = 500


def rmas(session: Session, user: User, query: RmaQuery) -> Slice:
    """The RMAs ``user`` may see, newest first, filtered (the lists' scope)."""
    return keyset_page(
        session, _rma_rows(user, query), Rma.id, query.limit, query.cursor, newest_first=True
    )


def rma_export_rows(session: Session, user: User, filters: RmaFilters) -> Iterator[Any]:
    """Every row ``rmas`` would list over all its pages, in its order, read in batches."""
    statement = _rma_rows(user, filters).order_by(None).order_by(Rma.id.desc())
    yield from _batched(session, statement)


def _batched(session: Session, statement: Any) -> Iterator[Any]:
    result = session.execute(statement.execution_options(yield_per=EXPORT_BATCH))
    for partition in result.partitions():
        yield from partition


def _rma_rows(user: User, query: RmaFilters) -> Any:
    return rma_queries.listed_rmas(
        Rma.account_id,
        ReturnType.code,
        Rma.currency,
        Rma.total_value,
        Rma.created_at,
        Rma.submitted_at,
        Rma.updated_at,
        Rma.id,
    ).where(rma_queries.rma_scope(user), *_rma_conditions(query))


def _rma_conditions(query: RmaFilters) -> list[ColumnElement[bool]]:
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
    rows, statement = _ledger_rows(session, user, query)
    keyed: Any = statement.add_columns(rows.c.id.label("cursor_key"))
    return keyset_page(session, keyed, rows.c.id, query.limit, query.cursor, newest_first=True)


def ledger_export_rows(session: Session, user: User, filters: LedgerFilters) -> Iterator[Any]:
    """Every row ``ledger`` would list over all its pages, in its order, read in batches.
    The account is loaded (404 out of scope) before the first row is asked for."""
    rows, statement = _ledger_rows(session, user, filters)
    return _batched(session, statement.order_by(rows.c.id.desc()))


def _ledger_rows(session: Session, user: User, filters: LedgerFilters) -> Any:
    scoped = load_account(session, user, filters.account)
    kept = LedgerFilter(
        kind=filters.kind or "", date_from=filters.date_from, date_to=filters.date_to
    )
    return filtered_ledger(scoped, kept)


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
