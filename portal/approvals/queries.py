"""The approval queue: RMAs waiting on the current user's decision."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from models import RetailerAccount, ReturnType, Rma, Role, User
from models.return_type import shown_text
from portal.pagination import Page, paginate
from portal.rmas.queries import load_rma
from portal.scope import account_scope


@dataclass(frozen=True)
class PendingApproval:
    number: str
    account_name: str
    account_number: str
    return_type: str
    total_value: Decimal
    currency: str
    due_at: datetime | None
    exception_justification: str | None
    overdue: bool
    failed_findings: list[dict]
    account_id: int


def approval_queue(
    session: Session, approver: User, now: datetime, page: int, per_page: int
) -> Page:
    """A page of the RMAs waiting on ``approver``, soonest due first (``PendingApproval``
    items). Admins see every waiting RMA."""
    # Columns, not entities: building each RMA with its account and return type decoded
    # the return type's JSON documents once per row.
    query = (
        select(
            Rma.number,
            RetailerAccount.name,
            RetailerAccount.number,
            ReturnType.name,
            Rma.total_value,
            Rma.currency,
            Rma.due_at,
            Rma.exception_justification,
            Rma.policy_findings,
            ReturnType.translations,
            Rma.account_id,
        )
        .join(RetailerAccount, Rma.account_id == RetailerAccount.id)
        .join(ReturnType, Rma.return_type_id == ReturnType.id)
        .where(waiting_on(approver))
        .order_by(Rma.due_at.asc().nulls_last(), Rma.id)
    )
    count = (
        select(Rma.id)
        .join(RetailerAccount, Rma.account_id == RetailerAccount.id)
        .where(waiting_on(approver))
    )
    result = paginate(session, query, page, per_page, count_query=count)
    return result.with_items(
        [
            PendingApproval(
                *row[:3],
                shown_text(row[3], row.translations, "name"),
                *row[4:8],
                overdue=row.due_at is not None and row.due_at < now,
                failed_findings=[f for f in row.policy_findings or [] if not f.get("passed")],
                account_id=row.account_id,
            )
            for row in result.items
        ]
    )


def waiting_on(approver: User) -> ColumnElement[bool]:
    """A WHERE clause for RMAs whose current approval step ``approver`` may decide."""
    if approver.role is Role.ADMIN:
        return (Rma.approver_user_id.is_not(None)) | (Rma.approver_role.is_not(None))
    # Naming the approver implies that the RMA waits. Saying both made PostgreSQL multiply
    # the two as if unrelated and expect 2 rows of 364, then pick a nested loop.
    mine = (Rma.approver_user_id == approver.id) | (Rma.approver_role == approver.role.value)
    return mine & account_scope(approver)


def waiting_rmas(session: Session, approver: User, numbers: list[str]) -> list[Rma]:
    """Those of ``numbers`` that wait on ``approver``, in the given order."""
    found = {
        rma.number: rma
        for rma in session.scalars(
            select(Rma)
            .join(RetailerAccount, Rma.account_id == RetailerAccount.id)
            .where(Rma.number.in_(numbers), waiting_on(approver))
        )
    }
    return [found[number] for number in numbers if number in found]


def load_waiting(session: Session, approver: User, number: str) -> Rma:
    """The RMA if it waits on ``approver``. Out of scope is 404; in scope but no longer
    waiting (someone decided first) is 409, so concurrent deciders get a clear answer."""
    rma = load_rma(session, approver, number)
    waiting = session.scalar(
        select(Rma.id)
        .join(RetailerAccount, Rma.account_id == RetailerAccount.id)
        .where(Rma.id == rma.id, waiting_on(approver))
    )
    if waiting is None:
        abort(
            409,
            description=_("%(number)s is no longer waiting for your decision.", number=number),
        )
    return rma
