"""Loading RMAs scoped to what the user may see: out of scope is 404, never 403."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, Select, select, true
from sqlalchemy.orm import Session, joinedload
from sqlalchemy.orm.attributes import set_committed_value

from models import (
    CreditMemo,
    InspectionResult,
    OrderLine,
    ReplacementLine,
    RetailerAccount,
    ReturnAddress,
    ReturnType,
    Rma,
    RmaAttachment,
    RmaEvent,
    RmaLine,
    RmaMessage,
    Role,
    User,
)
from portal.scope import account_scope
from workflow_designer.engine.errors import Refusal

# Warehouse staff see every RMA: they open whatever arrives at the dock.
SEE_EVERY_RMA = (Role.ADMIN, Role.WAREHOUSE)


def rma_scope(user: User) -> ColumnElement[bool]:
    """A WHERE clause on Rma (joined to its account) for the RMAs ``user`` may see."""
    if user.role in SEE_EVERY_RMA:
        return true()
    return account_scope(user)


def listed_rmas(*columns: Any) -> Select:
    """RMAs as a list shows them, newest first: number, account name and number, return
    type name and its translations (for ``shown_text``), and what names the state
    (workflow version, state), then ``columns``.

    Columns, not entities: building each RMA with its account and return type (their
    JSON documents decoded) cost more than the query."""
    return (
        select(
            Rma.number,
            RetailerAccount.name,
            RetailerAccount.number,
            ReturnType.name,
            ReturnType.translations,
            Rma.workflow_version_id,
            Rma.state,
            *columns,
        )
        .join(RetailerAccount, Rma.account_id == RetailerAccount.id)
        .join(ReturnType, Rma.return_type_id == ReturnType.id)
        .order_by(Rma.created_at.desc(), Rma.id.desc())
    )


def visible_rma_ids(user: User) -> Select:
    """The ids of the RMAs ``user`` may see, joined to their account only when the scope
    reads it: a count of the RMAs in a queue then comes from an index of ``rmas`` alone."""
    query = select(Rma.id)
    if user.role in SEE_EVERY_RMA:
        return query
    return query.join(RetailerAccount, Rma.account_id == RetailerAccount.id).where(rma_scope(user))


def load_rma(session: Session, user: User, number: str) -> Rma:
    rma = session.scalar(
        select(Rma)
        .join(RetailerAccount, Rma.account_id == RetailerAccount.id)
        .options(joinedload(Rma.account), joinedload(Rma.return_type))
        .where(Rma.number == number, rma_scope(user))
    )
    if rma is None:
        abort(404)
    return rma


def rma_lines(session: Session, rma: Rma) -> list[RmaLine]:
    """The RMA's lines with what was bought: order line, invoice and product in one query."""
    return list(
        session.scalars(
            select(RmaLine)
            .where(RmaLine.rma_id == rma.id)
            .options(
                joinedload(RmaLine.order_line).joinedload(OrderLine.order),
                joinedload(RmaLine.order_line).joinedload(OrderLine.product),
            )
            .order_by(RmaLine.id)
        )
    )


def load_inspection_results(session: Session, lines: list[RmaLine]) -> None:
    """Load the lines' inspection results in one query (the credit reads them per line);
    none when nothing was received, as only received units are graded."""
    found: dict[int, list[InspectionResult]] = {line.id: [] for line in lines}
    received = [line.id for line in lines if line.quantity_received]
    if received:
        for result in session.scalars(
            select(InspectionResult)
            .where(InspectionResult.rma_line_id.in_(received))
            .order_by(InspectionResult.id)
        ):
            found[result.rma_line_id].append(result)
    for line in lines:
        set_committed_value(line, "inspection_results", found[line.id])


def replacement_lines(session: Session, rma: Rma) -> list[ReplacementLine]:
    return list(
        session.scalars(
            select(ReplacementLine)
            .where(ReplacementLine.rma_id == rma.id)
            .options(joinedload(ReplacementLine.product))
            .order_by(ReplacementLine.id)
        )
    )


def rma_events(session: Session, rma: Rma) -> list[RmaEvent]:
    """The event log, oldest first, with the actors."""
    return list(
        session.scalars(
            select(RmaEvent)
            .where(RmaEvent.rma_id == rma.id)
            .options(joinedload(RmaEvent.actor))
            .order_by(RmaEvent.id)
        )
    )


def rma_messages(session: Session, rma: Rma) -> list[RmaMessage]:
    return list(
        session.scalars(
            select(RmaMessage)
            .where(RmaMessage.rma_id == rma.id)
            .options(joinedload(RmaMessage.author))
            .order_by(RmaMessage.id)
        )
    )


def rma_attachments(session: Session, rma: Rma) -> list[RmaAttachment]:
    return list(
        session.scalars(
            select(RmaAttachment).where(RmaAttachment.rma_id == rma.id).order_by(RmaAttachment.id)
        )
    )


def load_attachment(session: Session, rma: Rma, attachment_id: int) -> RmaAttachment:
    """An attachment of ``rma`` (already loaded in the user's scope); 404 otherwise."""
    attachment = session.scalar(
        select(RmaAttachment).where(
            RmaAttachment.id == attachment_id, RmaAttachment.rma_id == rma.id
        )
    )
    if attachment is None:
        abort(404)
    return attachment


def return_address(session: Session, account: RetailerAccount) -> ReturnAddress | None:
    """Where the account's region sends its returns, if the distributor set it up."""
    return session.scalar(
        select(ReturnAddress)
        .where(ReturnAddress.region == account.region)
        .options(joinedload(ReturnAddress.warehouse))
    )


class NoReturnAddress(Refusal):
    status = 409


def label_address(session: Session, rma: Rma) -> ReturnAddress:
    """The address the RMA's label sends the parcel to; without one the label cannot be
    printed (409) until the distributor adds it."""
    address = return_address(session, rma.account)
    if address is None:
        raise NoReturnAddress(
            _(
                "No return address is set up for region %(region)s, so the label "
                "cannot be printed yet. Your distributor has to add one; try again later.",
                region=rma.account.region,
            )
        )
    return address


def users_by_id(session: Session, ids: Iterable[int | None]) -> dict[int, User]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    return {u.id: u for u in session.scalars(select(User).where(User.id.in_(wanted)))}


def credit_documents(session: Session, rma: Rma) -> list[CreditMemo]:
    """The RMA's credit memo and the adjustments and reversals issued since, oldest first,
    with their lines, in one query; empty before a memo is issued."""
    return list(
        session.scalars(
            select(CreditMemo)
            .where(CreditMemo.rma_id == rma.id)
            .order_by(CreditMemo.id)
            .options(joinedload(CreditMemo.lines))
        ).unique()
    )
