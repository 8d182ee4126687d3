"""Which rollup a read uses: the coarsest grain holding every column it groups and filters
by. An admin's page without an account or region filter reads the whole distributor's
rollup (a few thousand rows a year); a rep's page, or one filtered by account, reads the
account grain, and only a ranking of products reads rows per product."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Table

from models import (
    AccountPurchaseRollup,
    AccountReturnRollup,
    Base,
    BrandPurchaseRollup,
    BrandReturnRollup,
    PurchaseRollup,
    ReturnRollup,
    TotalPurchaseRollup,
    TotalReturnRollup,
)

# Smallest first.
PURCHASE_GRAINS = (TotalPurchaseRollup, AccountPurchaseRollup, BrandPurchaseRollup, PurchaseRollup)
RETURN_GRAINS = (TotalReturnRollup, AccountReturnRollup, BrandReturnRollup, ReturnRollup)


def grain(grains: Iterable[type[Base]], columns: set[str]) -> Table:
    """The first (smallest) rollup table holding ``columns``."""
    for model in grains:
        table = model.__table__
        if columns <= set(table.c.keys()):
            return table
    raise LookupError(f"no rollup holds {sorted(columns)}")
