"""The rows of the admin's RMA CSV downloads; ``portal.csv_export`` writes them safely."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from decimal import Decimal
from typing import Any

from portal.rmas.exception_record import csv_cells
from workflow_designer.policy.money import round_money

EXCEPTION_COLUMNS = (
    "exception_requested",
    "exception_justification",
    "exception_rules_broken",
    "exception_decision",
    "exception_decided_by",
    "exception_decision_comment",
)

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
    *EXCEPTION_COLUMNS,
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


def money_cell(amount: Decimal | None, currency: str) -> Decimal | None:
    """A number, not text: ``csv_export`` leaves numbers alone (a credit may be negative)."""
    return None if amount is None else round_money(Decimal(str(amount)), currency)


def time_cell(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment else ""


def rma_csv(rows: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
    yield list(RMA_COLUMNS)
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


def rma_line_csv(rows: Iterable[Sequence[Any]]) -> Iterator[list[Any]]:
    yield list(LINE_COLUMNS)
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
