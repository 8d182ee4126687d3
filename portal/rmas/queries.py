"""Loading RMAs scoped to what the user may see: out of scope is 404, never 403."""

from __future__ import annotations

from flask import abort
from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import Session, joinedload

from models import RetailerAccount, Rma, Role, User
from portal.scope import account_scope


def rma_scope(user: User) -> ColumnElement[bool]:
    """A WHERE clause on Rma (joined to its account) for the RMAs ``user`` may see.

    Warehouse staff see every RMA: they open whatever arrives at the dock.
    """
    if user.role in (Role.ADMIN, Role.WAREHOUSE):
        return true()
    return account_scope(user)


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
