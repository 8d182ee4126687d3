"""Import an ERP CSV export: validate every row, then write all of it or nothing.

The file is read twice: a first pass parses and checks every row (cell formats, repeats
within the file, references to what is stored), a second pass, only when the first found
nothing wrong, upserts the rows in batches. Memory stays bounded by the file's keys, not
its rows. The caller owns the transaction: ``import_csv`` never commits, and when it
reports errors it has written nothing.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import TextIO

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from portal.erp.accounts import AccountImporter
from portal.erp.base import Importer, Record
from portal.erp.fields import Column, parse_cells
from portal.erp.orders import OrderImporter
from portal.erp.products import ProductImporter
from portal.erp.reading import (
    CsvFormatError,
    CsvTable,
    UploadDecodeError,
    decode_upload,
    normalise_header,
)
from portal.erp.results import ErrorLog, ImportResult, RowError
from portal.erp.upsert import batched

__all__ = [
    "KINDS",
    "ImportResult",
    "RowError",
    "UploadDecodeError",
    "decode_upload",
    "import_csv",
    "import_rows",
]

KINDS: dict[str, type[Importer]] = {
    importer.kind: importer for importer in (AccountImporter, ProductImporter, OrderImporter)
}
CHUNK = 5000


def import_csv(session: Session, kind: str, stream: TextIO) -> ImportResult:
    """Import ``stream`` (CSV text) as ``kind``: one of ``KINDS``.

    Rows are upserted by their natural key, so importing the same file again changes
    nothing. On any error nothing is written and ``result.errors`` lists the problems.
    """
    try:
        importer_class = KINDS[kind]
    except KeyError:
        raise ValueError(f"unknown import kind {kind!r}; one of {', '.join(KINDS)}") from None
    result = ImportResult(kind)
    errors = ErrorLog()
    table = None
    try:
        table = CsvTable(stream)
        columns = map_header(table.header(), importer_class.columns, errors)
        if not errors:
            _run(session, importer_class, table, columns, errors, result)
    except CsvFormatError as exc:
        errors.add(exc.row, None, exc.message)
    finally:
        if table is not None:
            table.close()
    result.errors = errors.kept
    result.errors_omitted = errors.total - len(errors.kept)
    return result


# The first data row is the CSV's second line: the header is the first.
FIRST_DATA_LINE = 2


def import_rows(session: Session, kind: str, rows: Sequence[Mapping[str, object]]) -> ImportResult:
    """Import ``rows`` (values by column name, from JSON, say) as ``kind``, through the CSV
    import itself: each row is written as a CSV line under a header of the kind's columns,
    so every rule of the CSV import applies unchanged, all or nothing. An error's ``row``
    is then the row's index in ``rows`` (from 0); the header, the kind's own columns, has
    none."""
    importer_class = KINDS[kind]
    names = [column.name for column in importer_class.columns]
    text = io.StringIO(newline="")
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow([_cell(row.get(name)) for name in names])
    text.seek(0)
    result = import_csv(session, kind, text)
    result.errors = [
        RowError(error.row - FIRST_DATA_LINE, error.column, error.message)
        for error in result.errors
    ]
    return result


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _run(
    session: Session,
    importer_class: type[Importer],
    table: CsvTable,
    columns: list[Column | None],
    errors: ErrorLog,
    result: ImportResult,
) -> None:
    present = frozenset(column.name for column in columns if column is not None)
    importer = importer_class(session, present)
    session.flush()  # lookups must see what the caller added but has not flushed
    for chunk in batched(_records(table, columns, errors, result), CHUNK):
        importer.check(chunk, errors)
    if errors:
        return
    for chunk in batched(_records(table, columns, errors), CHUNK):
        importer.write([record for _line, record in chunk], result)
    if result.created or result.updated:
        session.expire_all()  # rows changed behind the identity map's back


def _records(
    table: CsvTable,
    columns: list[Column | None],
    errors: ErrorLog,
    result: ImportResult | None = None,
) -> Iterator[tuple[int, Record]]:
    for line, values in table.rows():
        if result is not None:
            result.rows += 1
        record = parse_cells(columns, values, line, errors)
        if record is not None:
            yield line, record


def map_header(
    header: list[str] | None, columns: tuple[Column, ...], errors: ErrorLog
) -> list[Column | None]:
    """The column of each header cell (None for a blank cell), logging what doesn't fit."""
    expected = ", ".join(column.name for column in columns)
    if header is None:
        errors.add(
            1,
            None,
            _(
                "the file is empty; its first line must name the columns: %(expected)s",
                expected=expected,
            ),
        )
        return []
    by_name = {name: column for column in columns for name in (column.name, *column.aliases)}
    mapped: list[Column | None] = []
    for cell in header:
        name = normalise_header(cell)
        column = by_name.get(name)
        if name and column is None:
            errors.add(
                1,
                cell.strip(),
                _("unknown column; the columns are: %(expected)s", expected=expected),
            )
        elif column is not None and column in mapped:
            errors.add(1, column.name, _("is named twice in the header"))
        mapped.append(column)
    for column in columns:
        if column.required and column not in mapped:
            errors.add(1, column.name, _("required column is missing from the header"))
    return mapped
