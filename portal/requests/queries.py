"""Scoped reads of the request flow: what may be started, for which account, and the
purchase history to pick lines from. Accounts are scoped through ``portal.scope``; out of
scope is 404. "My RMAs" reads are in ``portal.requests.listing``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from models import (
    Order,
    OrderLine,
    Product,
    RetailerAccount,
    ReturnType,
    Rma,
    RmaAttachment,
    RmaLine,
    User,
    VersionStatus,
    WorkflowVersion,
)
from portal.pagination import Page, paginate
from portal.requests.evaluation import returnable_for
from portal.rmas.queries import load_rma
from portal.scope import account_scope
from portal.search import matches_text
from workflow_designer.policy import LineIssue, RequestLine, line_issues
from workflow_designer.runtime.policy_loading import request_line


def load_request(session: Session, user: User, number: str) -> Rma:
    """The RMA ``number`` if ``user`` may see it (any state); 404 otherwise."""
    return load_rma(session, user, number)


def load_draft(session: Session, user: User, number: str) -> Rma:
    """The draft ``number`` for editing: 404 out of scope, 409 once submitted."""
    rma = load_rma(session, user, number)
    if rma.submitted_at is not None:
        abort(
            409,
            description=_(
                "%(number)s has been submitted; it can no longer be changed.", number=rma.number
            ),
        )
    return rma


def load_line(session: Session, rma: Rma, line_id: int) -> RmaLine:
    """A line of ``rma``; a line of any other RMA is 404."""
    line = session.get(RmaLine, line_id)
    if line is None or line.rma_id != rma.id:
        abort(404)
    return line


def load_photo(session: Session, rma: Rma, attachment_id: int) -> RmaAttachment:
    """A photo of one of ``rma``'s lines; any other attachment is 404."""
    attachment = session.get(RmaAttachment, attachment_id)
    if attachment is None or attachment.rma_id != rma.id or attachment.rma_line_id is None:
        abort(404)
    return attachment


def startable_return_types(session: Session) -> list[ReturnType]:
    """Return types a request can be started for: not archived, with a published workflow."""
    published = select(WorkflowVersion.workflow_id).where(
        WorkflowVersion.status == VersionStatus.PUBLISHED
    )
    return list(
        session.scalars(
            select(ReturnType)
            .where(ReturnType.is_archived.is_(False), ReturnType.workflow_id.in_(published))
            .order_by(ReturnType.name)
        )
    )


def load_startable_type(session: Session, return_type_id: int) -> ReturnType:
    return_type = session.get(ReturnType, return_type_id)
    if return_type is None or return_type.is_archived:
        abort(404)
    return return_type


def accounts_page(session: Session, user: User, text: str, page: int, per_page: int) -> Page:
    """The accounts ``user`` may request returns for, by name."""
    query = select(RetailerAccount).where(account_scope(user)).order_by(RetailerAccount.name)
    if text:
        query = query.where(matches_text(text, RetailerAccount.number, RetailerAccount.name))
    return paginate(session, query, page, per_page)


def account_order_lines(
    session: Session, account: RetailerAccount, order_line_ids: list[int]
) -> dict[int, OrderLine]:
    """Those of ``order_line_ids`` that the account bought; others are simply absent."""
    if not order_line_ids:
        return {}
    rows = session.execute(
        select(OrderLine, Order, Product)
        .join(Order, OrderLine.order_id == Order.id)
        .join(Product, OrderLine.product_id == Product.id)
        .where(OrderLine.id.in_(order_line_ids), Order.account_id == account.id)
    )
    return {line.id: line for line, _, _ in rows}


def photo_count(session: Session, line: RmaLine) -> int:
    return session.scalar(select(func.count()).where(RmaAttachment.rma_line_id == line.id)) or 0


# --- picking lines from the purchase history ------------------------------------------


@dataclass
class Pickable:
    """An invoiced line as offered for picking: what is left of it, and why (not) eligible."""

    order_line: OrderLine
    order: Order
    product: Product
    returnable: int
    on_draft: int
    issues: list[LineIssue]


def purchase_history(
    session: Session, rma: Rma, text: str, show: str, today: date, page: int, per_page: int
) -> Page:
    """The account's invoiced lines matching ``text``, newest first, each with its
    returnable quantity and the policy's per-line verdict (window, eligibility, age).

    ``show``: "eligible" (returnable and no rule against it), "returnable" (units left) or
    "all". Filtering by the policy happens here, with the policy's own per-line checks, so
    the list never disagrees with the panel. The whole history is judged from plain rows;
    only the page shown is loaded as objects: four queries whatever the history's size.
    """
    rows = session.execute(_history_rows(rma, text)).all()
    returnable = returnable_for(session, rma, [row.id for row in rows])
    verdicts = line_issues(rma.return_type.policy or {}, [_judged(row) for row in rows], today)
    kept = [
        (row.id, issues)
        for row, issues in zip(rows, verdicts, strict=True)
        if show == "all" or (returnable[row.id] > 0 and (show == "returnable" or not issues))
    ]
    shown = _page_of(kept, page, per_page)
    objects = _order_lines(session, [line_id for line_id, _ in shown.items])
    on_draft = dict(
        session.execute(
            select(RmaLine.order_line_id, RmaLine.quantity_requested).where(
                RmaLine.rma_id == rma.id
            )
        ).all()
    )
    items = [
        Pickable(*objects[line_id], returnable[line_id], on_draft.get(line_id, 0), issues)
        for line_id, issues in shown.items
    ]
    return Page(items=items, page=shown.page, per_page=per_page, total=shown.total)


def _history_rows(rma: Rma, text: str):
    query = (
        select(
            OrderLine.id,
            OrderLine.unit_net_price,
            Order.invoice_number,
            Order.invoice_date,
            Order.delivery_date,
            Product.sku,
            Product.lifecycle,
            Product.brand,
            Product.category,
        )
        .join(Order, OrderLine.order_id == Order.id)
        .join(Product, OrderLine.product_id == Product.id)
        .where(Order.account_id == rma.account_id)
        .order_by(Order.invoice_date.desc(), Order.invoice_number.desc(), OrderLine.line_number)
    )
    if text:
        query = query.where(
            matches_text(text, Product.sku, Product.brand, Product.model, Order.invoice_number)
        )
    return query


def _judged(row: Row) -> RequestLine:
    """One unit of the line, as the policy's per-line rules read it: the row holds the
    columns of the order and of the product alike."""
    return request_line(row.id, row.unit_net_price, row, row, 1)


def _order_lines(session: Session, ids: list[int]) -> dict[int, tuple]:
    if not ids:
        return {}
    rows = session.execute(
        select(OrderLine, Order, Product)
        .join(Order, OrderLine.order_id == Order.id)
        .join(Product, OrderLine.product_id == Product.id)
        .where(OrderLine.id.in_(ids))
    )
    return {line.id: (line, order, product) for line, order, product in rows}


def _page_of(items: list[Any], page: int, per_page: int) -> Page:
    pages = max(1, -(-len(items) // per_page))
    page = max(1, min(page, pages))
    start = (page - 1) * per_page
    return Page(
        items=items[start : start + per_page], page=page, per_page=per_page, total=len(items)
    )
