"""What every process figure is limited to: the viewer's accounts (``portal.scope``) and
the page's filters. Rollup rows carry their account and return type, so each figure is a
read of its rollup with these conditions."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVarTuple

from sqlalchemy import Select, select

from models import RetailerAccount, Role, User
from portal.scope import account_scope

Columns = TypeVarTuple("Columns")


@dataclass(frozen=True)
class FlowFilters:
    """The filters a process page offers; None is "all"."""

    return_type_id: int | None = None
    account_id: int | None = None
    region: str | None = None

    @classmethod
    def of(cls, filters: Any) -> FlowFilters:
        """The process figures' part of an analytics page's filters (brand is not one)."""
        return cls(filters.return_type_id, filters.account_id, filters.region)


def scoped(
    query: Select[*Columns],
    account_column: Any,
    return_type_column: Any,
    user: User,
    filters: FlowFilters,
) -> Select[*Columns]:
    """``query`` limited to rows of accounts ``user`` may see, and to the filters."""
    if user.role is not Role.ADMIN:
        # Out of scope rows never count: a rep's figures are their accounts' alone.
        query = query.where(account_column.in_(scoped_account_ids(user)))
    if filters.account_id is not None:
        query = query.where(account_column == filters.account_id)
    if filters.region is not None:
        in_region = select(RetailerAccount.id).where(RetailerAccount.region == filters.region)
        query = query.where(account_column.in_(in_region))
    if filters.return_type_id is not None:
        query = query.where(return_type_column == filters.return_type_id)
    return query


def scoped_account_ids(user: User) -> Select[Any]:
    """The ids of the accounts ``user`` may see, as a subquery."""
    return select(RetailerAccount.id).where(account_scope(user))
