"""The ledger as CSV rows: the columns the ledger page shows, amounts as numbers.

Only the header row is for people (``portal.csv_headers``). The cells stay machine-readable
whatever the reader's language, because spreadsheets and scripts read them: dates in ISO
8601, amounts and balances as numbers with a "." decimal point, currencies as ISO codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from flask_babel import lazy_gettext as _l

from portal.credits.queries import LedgerRow
from portal.csv_headers import Columns, HeaderStyle, header_row

# Each column's code (the header with ``?headers=codes``, for scripts and imports) and its
# label (the header people read, in their language): the one place that orders them.
LEDGER_COLUMNS: Columns = {
    "date": _l("Date"),
    "kind": _l("Kind"),
    "document": _l("Document"),
    "rma": _l("RMA"),
    "description": _l("Description"),
    "currency": _l("Currency"),
    "amount": _l("Amount"),
    "balance": _l("Balance"),
}


def ledger_csv(rows: Iterable[LedgerRow], headers: HeaderStyle) -> Iterator[Sequence[object]]:
    yield header_row(LEDGER_COLUMNS, headers)
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
