"""Reads of "My RMAs": the RMAs of the accounts a user may see, drafts included, with
filters, state labels from each RMA's own workflow version, and the filters' choices."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session

from models import (
    OrderLine,
    Product,
    RetailerAccount,
    ReturnType,
    Rma,
    RmaLine,
    User,
)
from models.return_type import shown_text
from portal.pagination import Page, paginate
from portal.rmas.queries import listed_rmas
from portal.scope import account_scope
from portal.search import matches_text
from workflow_designer.runtime import firing as runtime

EXPORT_BATCH = 500


@dataclass(frozen=True)
class RmaFilter:
    text: str = ""
    state: str = ""
    return_type_id: int | None = None
    account_id: int | None = None
    created_from: date | None = None
    created_to: date | None = None


@dataclass(frozen=True)
class RmaRow:
    number: str
    account_name: str
    account_number: str
    return_type: str
    state_label: str
    lines: int
    units: int
    total_value: Decimal
    currency: str
    created_at: datetime
    submitted_at: datetime | None

    @property
    def is_draft(self) -> bool:
        return self.submitted_at is None


def rma_list(
    session: Session,
    user: User,
    filters: RmaFilter,
    labels: dict[tuple[int, str], str],
    page: int,
    per_page: int,
) -> Page:
    """One page of the RMAs ``user`` may see, newest first, with line and unit counts.

    ``labels`` are the state labels from ``state_labels``."""
    query, count = _list_queries(user, filters)
    result = paginate(session, query, page, per_page, count_query=count)
    return result.with_items([_row(row, labels) for row in result.items])


def rma_export(
    session: Session, user: User, filters: RmaFilter, labels: dict[tuple[int, str], str]
) -> Iterator[RmaRow]:
    """Every RMA ``rma_list`` shows over all its pages, in its order, read in batches."""
    query, _count = _list_queries(user, filters)
    result = session.execute(query.execution_options(yield_per=EXPORT_BATCH))
    for partition in result.partitions():
        for row in partition:
            yield _row(row, labels)


def _list_queries(user: User, filters: RmaFilter):
    """The list's rows and their count, scoped and filtered."""
    # Correlated per row, not a join on lines grouped by RMA: PostgreSQL then counts the
    # lines of the page's 25 RMAs only, not of every RMA (800 ms → 3 ms at 200,000 RMAs).
    of_rma = select(RmaLine.rma_id).where(RmaLine.rma_id == Rma.id).correlate(Rma)
    lines = of_rma.with_only_columns(func.count()).scalar_subquery()
    units = of_rma.with_only_columns(func.sum(RmaLine.quantity_requested)).scalar_subquery()
    query = listed_rmas(
        lines, units, Rma.total_value, Rma.currency, Rma.created_at, Rma.submitted_at
    ).where(account_scope(user))
    count = (
        select(Rma.id)
        .join(RetailerAccount, Rma.account_id == RetailerAccount.id)
        .where(account_scope(user))
    )
    return _filtered(query, filters), _filtered(count, filters)


def _row(row, labels: dict[tuple[int, str], str]) -> RmaRow:
    # listed_rmas' seven columns (number, account name and number, return type and its
    # translations, version and state, which make the label), then the list's own.
    return RmaRow(
        *row[:3],
        shown_text(row[3], row[4], "name"),
        _label(labels, *row[5:7]),
        row[7] or 0,
        int(row[8] or 0),
        *row[9:],
    )


def _filtered(query, filters: RmaFilter):
    if filters.text:
        by_sku = exists(
            select(RmaLine.id)
            .join(OrderLine, RmaLine.order_line_id == OrderLine.id)
            .join(Product, OrderLine.product_id == Product.id)
            .where(RmaLine.rma_id == Rma.id, matches_text(filters.text, Product.sku))
        )
        query = query.where(matches_text(filters.text, Rma.number) | by_sku)
    if filters.state:
        query = query.where(Rma.state == filters.state)
    if filters.return_type_id:
        query = query.where(Rma.return_type_id == filters.return_type_id)
    if filters.account_id:
        query = query.where(Rma.account_id == filters.account_id)
    if filters.created_from:
        query = query.where(Rma.created_at >= _midnight(filters.created_from))
    if filters.created_to:
        query = query.where(Rma.created_at < _midnight(filters.created_to + timedelta(days=1)))
    return query


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def state_labels(session: Session) -> dict[tuple[int, str], str]:
    """(workflow version id, state) → label, for every version an RMA can be on.

    From the compiled workflows each process keeps: reading the configs of just the
    versions a user's RMAs are on meant visiting all their RMAs (1.3 ms for 1,000)."""
    version_ids = runtime.published_version_ids(session)
    return {
        (version_id, name): state.label
        for version_id, compiled in runtime.compiled_versions(session, version_ids).items()
        for name, state in compiled.states.items()
    }


def _label(labels: dict[tuple[int, str], str], version_id: int, state: str) -> str:
    return labels.get((version_id, state), state.replace("_", " ").capitalize())


@dataclass(frozen=True)
class ListOptions:
    states: list[tuple[str, str]]
    return_types: list[tuple[str, str]]
    accounts: list[tuple[str, str]]


def list_options(session: Session, user: User, labels: dict[tuple[int, str], str]) -> ListOptions:
    """Choices of the "My RMAs" filters: states an RMA can be in, return types, accounts."""
    states = dict(
        sorted({(name, label) for (_, name), label in labels.items()}, key=lambda s: s[1])
    )
    types = session.execute(
        select(ReturnType.id, ReturnType.name, ReturnType.translations).order_by(ReturnType.name)
    ).all()
    accounts: list[tuple[str, str]] = []
    if user.account_id is None:
        accounts = [
            (str(account_id), f"{name} ({number})")
            for account_id, name, number in session.execute(
                select(RetailerAccount.id, RetailerAccount.name, RetailerAccount.number)
                .where(account_scope(user))
                .order_by(RetailerAccount.name)
            )
        ]
    return ListOptions(
        states=list(states.items()),
        return_types=[
            (str(type_id), shown_text(name, translations, "name"))
            for type_id, name, translations in types
        ],
        accounts=accounts,
    )
