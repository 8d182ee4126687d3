"""RMA reads for warehouse staff: scans, the work queues, one RMA's lines and findings.

Warehouse staff and admins see every RMA (``rma_scope``); each list is a fixed number of
queries however many rows it shows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from flask import abort
from sqlalchemy import and_, false, func, or_, select
from sqlalchemy.orm import Session, joinedload, selectinload

from models import (
    OrderLine,
    Product,
    RetailerAccount,
    Rma,
    RmaAttachment,
    RmaLine,
    UnexpectedItem,
    User,
)
from models.return_type import shown_text
from portal.pagination import Page, paginate
from portal.rmas.queries import listed_rmas, rma_scope, visible_rma_ids
from portal.warehouse.scanning import Reading
from workflow_designer.runtime import firing as runtime

# Where an RMA waits, by the triggers the warehouse fires from there.
AWAITING_RECEIPT = ("receive",)
IN_INSPECTION = ("start_inspection", "finish_inspection")


@dataclass(frozen=True)
class QueueRow:
    number: str
    account_name: str
    account_number: str
    return_type: str
    state_label: str
    units: int
    created_at: datetime


def waiting_states(
    session: Session, triggers: Iterable[str], version_ids: list[int] | None = None
) -> dict[tuple[int, str], str]:
    """(version id, state) → state label, for every state some trigger of ``triggers``
    leaves from. Workflows name their states freely; the triggers are what is fixed.
    ``version_ids``: ``runtime.published_version_ids``, if the caller has read them."""
    wanted = set(triggers)
    if version_ids is None:
        version_ids = runtime.published_version_ids(session)
    states: dict[tuple[int, str], str] = {}
    for version_id, compiled in runtime.compiled_versions(session, version_ids).items():
        for name, outgoing in compiled.outgoing.items():
            if any(t.trigger in wanted for t in outgoing):
                states[version_id, name] = compiled.states[name].label
    return states


def rma_queue(
    session: Session,
    user: User,
    triggers: Iterable[str],
    page: int,
    per_page: int,
    version_ids: list[int] | None = None,
) -> Page:
    """A page of the RMAs waiting for one kind of warehouse work, newest first
    (``QueueRow`` items)."""
    labels = waiting_states(session, triggers, version_ids)
    by_version: dict[int, list[str]] = {}
    for version_id, state in labels:
        by_version.setdefault(version_id, []).append(state)
    waiting = or_(
        false(),
        *(
            and_(Rma.workflow_version_id == version_id, Rma.state.in_(states))
            for version_id, states in by_version.items()
        ),
    )
    units = (
        select(func.coalesce(func.sum(RmaLine.quantity_authorized), 0))
        .where(RmaLine.rma_id == Rma.id)
        .correlate(Rma)
        .scalar_subquery()
    )
    query = listed_rmas(units, Rma.created_at).where(waiting, rma_scope(user))
    count = visible_rma_ids(user).where(waiting)
    found = paginate(session, query, page, per_page, count_query=count)
    return found.with_items(
        [
            QueueRow(
                number,
                name,
                account,
                shown_text(type_name, translations, "name"),
                labels[version, state],
                int(n),
                created,
            )
            for number, name, account, type_name, translations, version, state, n, created in (
                found.items
            )
        ]
    )


def find_scanned(session: Session, user: User, reading: Reading) -> list[Rma]:
    """The RMAs a scan names: exact numbers first, else those ending in its running number."""
    base = select(Rma).join(RetailerAccount, Rma.account_id == RetailerAccount.id)
    found = session.scalars(
        base.where(Rma.number.in_(reading.numbers), rma_scope(user)).order_by(Rma.number)
    ).all()
    if found or reading.suffix is None:
        return list(found)
    # Few enough to choose from; more would mean the number was not meant as a suffix.
    return list(
        session.scalars(
            base.where(Rma.number.endswith(reading.suffix, autoescape=True), rma_scope(user))
            .order_by(Rma.created_at.desc())
            .limit(10)
        )
    )


def receiving_lines(session: Session, rma: Rma) -> list[RmaLine]:
    """The RMA's lines with product, invoice and grading, in a fixed number of queries."""
    return list(
        session.scalars(
            select(RmaLine)
            .where(RmaLine.rma_id == rma.id)
            .options(
                joinedload(RmaLine.order_line).joinedload(OrderLine.order),
                joinedload(RmaLine.order_line).joinedload(OrderLine.product),
                selectinload(RmaLine.inspection_results),
            )
            .order_by(RmaLine.id)
        )
    )


def rma_line(rma: Rma, line_id: int) -> RmaLine:
    """One line of ``rma`` (already loaded in scope); another RMA's line is not found."""
    line = next((li for li in rma.lines if li.id == line_id), None)
    if line is None:
        abort(404)
    return line


def unexpected_items(session: Session, rma: Rma) -> list[UnexpectedItem]:
    return list(
        session.scalars(
            select(UnexpectedItem)
            .where(UnexpectedItem.rma_id == rma.id)
            .options(joinedload(UnexpectedItem.product))
            .order_by(UnexpectedItem.id)
        )
    )


def attachments_by_id(
    session: Session, rma: Rma, ids: Iterable[int | None]
) -> dict[int, RmaAttachment]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.scalars(
        select(RmaAttachment).where(RmaAttachment.rma_id == rma.id, RmaAttachment.id.in_(wanted))
    )
    return {a.id: a for a in rows}


def products_by_sku(session: Session, skus: Iterable[str]) -> dict[str, Product]:
    """Products by upper-case SKU, for the SKUs that exist."""
    wanted = {s.strip().upper() for s in skus if s and s.strip()}
    if not wanted:
        return {}
    rows = session.scalars(select(Product).where(func.upper(Product.sku).in_(wanted)))
    return {p.sku.upper(): p for p in rows}
