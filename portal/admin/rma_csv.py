"""The rows of the admin's RMA CSV downloads; ``portal.csv_export`` writes them safely.

Only the header row is for people (``portal.csv_headers``). The cells stay machine-readable
whatever the reader's language, because spreadsheets and scripts read them: amounts and
quantities as numbers with a "." decimal point, times in ISO 8601 (UTC), states, grades,
dispositions and resolutions as their codes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.csv_headers import Columns, HeaderStyle, header_row
from portal.rmas.exception_record import csv_cells
from workflow_designer.policy.money import round_money

# Each column's code (the header with ``?headers=codes``, for scripts and imports) and its
# label (the header people read, in their language): the one place that orders them.
EXCEPTION_COLUMNS: Columns = {
    "exception_requested": _l("Exception requested"),
    "exception_justification": _l("Exception justification"),
    "exception_rules_broken": _l("Rules not met"),
    "exception_decision": _l("Exception decision"),
    "exception_decided_by": _l("Exception decided by"),
    "exception_decision_comment": _l("Exception decision comment"),
}

RMA_COLUMNS: Columns = {
    "number": _l("RMA number"),
    "account_number": _l("Account number"),
    "account_name": _l("Account name"),
    "return_type": _l("Return type"),
    "state": _l("State"),
    "submitted_at": _l("Submitted at (UTC)"),
    "total_value": _l("Total value"),
    "currency": _l("Currency"),
    "resolution": _l("Resolution"),
    "credit": _l("Credited amount"),
    **EXCEPTION_COLUMNS,
}
LINE_COLUMNS: Columns = {
    "rma_number": _l("RMA number"),
    "invoice": _l("Invoice number"),
    "sku": _l("SKU"),
    "quantity_requested": _l("Quantity requested"),
    "quantity_authorized": _l("Quantity authorized"),
    "quantity_received": _l("Quantity received"),
    "grade": _l("Grade"),
    "disposition": _l("Disposition"),
    "credit": _l("Credited amount"),
    "currency": _l("Currency"),
}


def money_cell(amount: Decimal | None, currency: str) -> Decimal | None:
    """A number, not text: ``csv_export`` leaves numbers alone (a credit may be negative)."""
    return None if amount is None else round_money(Decimal(str(amount)), currency)


def time_cell(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


def rma_csv(rows: Iterable[Sequence[Any]], headers: HeaderStyle) -> Iterator[list[Any]]:
    yield header_row(RMA_COLUMNS, headers)
    for row in rows:
        number, acc_number, acc_name, rtype, state, submitted, value, cur, res, credit = row[:10]
        exception = row[10] if len(row) > 10 else None
        yield [
            number,
            acc_number,
            acc_name,
            rtype,
            state,
            time_cell(submitted),
            money_cell(value, cur),
            cur,
            res,
            money_cell(credit, cur),
            *csv_cells(exception),
        ]


def rma_line_csv(rows: Iterable[Sequence[Any]], headers: HeaderStyle) -> Iterator[list[Any]]:
    yield header_row(LINE_COLUMNS, headers)
    for number, invoice, sku, requested, authorized, received, grade, disp, credit, cur in rows:
        yield [
            number,
            invoice,
            sku,
            requested,
            authorized,
            received,
            grade,
            disp,
            money_cell(credit, cur),
            cur,
        ]
