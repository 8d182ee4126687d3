"""The ledger as CSV rows: the columns the ledger page shows, amounts as numbers."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from portal.credits.queries import LedgerRow

LEDGER_COLUMNS = (
    "date",
    "kind",
    "document",
    "rma",
    "description",
    "currency",
    "amount",
    "balance",
)


def ledger_csv(rows: Iterable[LedgerRow]) -> Iterator[list[object]]:
    yield list(LEDGER_COLUMNS)
    for row in rows:
        yield [
            row.created_at.date().isoformat(),
            row.kind_label,
            row.document or "",
            row.rma_number or "",
            row.description,
            row.currency,
            row.amount,
            row.balance,
        ]
