"""The API's exports: every row a list endpoint would show over all its pages, as CSV or
as JSON, each item exactly as the list shows it (``portal.api.shapes``).

Rows are read in batches and written out a row at a time through ``portal.csv_export``
(its cells defused against formula injection, the download spooled to disk past a
megabyte), so a long period costs neither the memory of all its rows nor a transaction
held open while the client downloads.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from flask import Response

from portal.api import schemas, shapes
from portal.csv_export import csv_text, download_response

JSON = "application/json"

RMA_COLUMNS = (
    "number",
    "account_id",
    "account_number",
    "account_name",
    "return_type",
    "state",
    "total_value",
    "currency",
    "created_at",
    "submitted_at",
    "updated_at",
)
LEDGER_COLUMNS = (
    "id",
    "at",
    "kind",
    "document",
    "rma_number",
    "description",
    "amount",
    "currency",
    "balance",
)


def rma_cells(item: schemas.RmaSummary) -> Sequence[object]:
    data = item.model_dump(mode="json")  # times as the JSON export writes them
    return (
        data["number"],
        data["account"]["id"],
        data["account"]["number"],
        data["account"]["name"],
        data["return_type"],
        data["state"],
        Decimal(data["total_value"]["amount"]),  # a number: csv_export leaves numbers alone
        data["total_value"]["currency"],
        data["created_at"],
        data["submitted_at"],
        data["updated_at"],
    )


def ledger_cells(item: schemas.LedgerEntryOut) -> Sequence[object]:
    data = item.model_dump(mode="json")
    return (
        data["id"],
        data["at"],
        data["kind"],
        data["document"],
        data["rma_number"],
        data["description"],
        Decimal(data["amount"]["amount"]),
        data["amount"]["currency"],
        Decimal(data["balance"]["amount"]),
    )


def rma_export(rows: Iterable[Any], file_format: str) -> Response:
    items = (shapes.rma_summary(row) for row in rows)
    return _export(items, file_format, RMA_COLUMNS, rma_cells, "rmas")


def ledger_export(rows: Iterable[Any], file_format: str, account_id: int) -> Response:
    items = (shapes.ledger_entry(row) for row in rows)
    return _export(items, file_format, LEDGER_COLUMNS, ledger_cells, f"ledger-{account_id}")


def _export(
    items: Iterator[Any],
    file_format: str,
    columns: Sequence[str],
    cells: Callable[[Any], Sequence[object]],
    name: str,
) -> Response:
    if file_format == "json":
        return download_response(json_items(items), f"{name}.json", JSON)
    rows = (cells(item) for item in items)
    return download_response(csv_text(_with_header(columns, rows)), f"{name}.csv", "text/csv")


def _with_header(columns: Sequence[str], rows: Iterable[Sequence[object]]):
    yield columns
    yield from rows


def json_items(items: Iterable[Any]) -> Iterator[str]:
    """``{"items": [...]}``, as the list endpoints answer, one item at a time."""
    yield '{"items":['
    for index, item in enumerate(items):
        yield ("," if index else "") + item.model_dump_json()
    yield "]}\n"
