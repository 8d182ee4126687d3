"""CSV downloads of the admin's RMA screens, streamed row by row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from flask import Response, stream_with_context

from workflow_designer.policy.money import round_money

RMA_COLUMNS = (
    "number",
    "account_number",
    "account_name",
    "return_type",
    "state",
    "submitted_at",
    "total_value",
    "currency",
    "resolution",
    "credit",
)
LINE_COLUMNS = (
    "rma_number",
    "invoice",
    "sku",
    "quantity_requested",
    "quantity_authorized",
    "quantity_received",
    "grade",
    "disposition",
    "credit",
    "currency",
)
# A spreadsheet runs a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def text_cell(value: str | None) -> str:
    """Free text (names typed by people or imported) made safe to open in a spreadsheet."""
    value = value or ""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def money_cell(amount: Decimal | None, currency: str) -> str:
    return "" if amount is None else str(round_money(Decimal(str(amount)), currency))


def time_cell(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


def rma_csv(rows: Iterable[Sequence[Any]]) -> Iterator[list[str]]:
    yield list(RMA_COLUMNS)
    for number, acc_number, acc_name, rtype, state, submitted, value, cur, res, credit in rows:
        yield [
            number,
            text_cell(acc_number),
            text_cell(acc_name),
            text_cell(rtype),
            state,
            time_cell(submitted),
            money_cell(value, cur),
            cur,
            res or "",
            money_cell(credit, cur),
        ]


def rma_line_csv(rows: Iterable[Sequence[Any]]) -> Iterator[list[str]]:
    yield list(LINE_COLUMNS)
    for number, invoice, sku, requested, authorized, received, grade, disp, credit, cur in rows:
        yield [
            number,
            text_cell(invoice),
            text_cell(sku),
            str(requested),
            str(authorized),
            str(received),
            grade or "",
            disp or "",
            money_cell(credit, cur),
            cur,
        ]


def csv_text(rows: Iterable[Sequence[str]]) -> Iterator[str]:
    """``rows`` as CSV text, a row at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def csv_response(chunks: Iterable[str], filename: str) -> Response:
    """A CSV download, sent as it is produced (an export may be large)."""
    response = Response(stream_with_context(iter(chunks)), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response
