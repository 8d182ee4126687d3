"""My RMAs as CSV rows: the columns the list shows, amounts and counts as numbers.

Only the header row is for people (``portal.csv_headers``); the cells stay
machine-readable: times in ISO 8601 (UTC), amounts with a "." decimal point, currencies
as ISO codes. The state is its label, as the list shows it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence

from flask_babel import lazy_gettext as _l

from portal.admin.rma_csv import money_cell, time_cell
from portal.csv_headers import Columns, HeaderStyle, header_row
from portal.requests.listing import RmaRow

LIST_COLUMNS: Columns = {
    "number": _l("RMA number"),
    "account_number": _l("Account number"),
    "account_name": _l("Account name"),
    "return_type": _l("Return type"),
    "state": _l("State"),
    "lines": _l("Lines"),
    "units": _l("Units"),
    "total_value": _l("Total value"),
    "currency": _l("Currency"),
    "created_at": _l("Created at (UTC)"),
    "submitted_at": _l("Submitted at (UTC)"),
}


def rma_list_csv(rows: Iterable[RmaRow], headers: HeaderStyle) -> Iterator[Sequence[object]]:
    yield header_row(LIST_COLUMNS, headers)
    for row in rows:
        yield [
            row.number,
            row.account_number,
            row.account_name,
            row.return_type,
            str(row.state_label),
            row.lines,
            row.units,
            money_cell(row.total_value, row.currency),
            row.currency,
            time_cell(row.created_at),
            time_cell(row.submitted_at),
        ]
