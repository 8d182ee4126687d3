"""CSV downloads that a spreadsheet can open safely, written a row at a time.

Every export writes through ``csv_text``, which defuses formula injection as OWASP
advises: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading apostrophe, so a spreadsheet shows it as text instead of running it.
Escaping happens here, on every ``str`` cell, so an export cannot forget a column.
Numbers are handed over as numbers (``int``, ``Decimal``) and written untouched: a
negative amount stays ``-12.50`` and still adds up in the spreadsheet.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from flask import Response, stream_with_context

from portal.inputs.files import content_disposition

# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """``value`` ready for a CSV cell: text that would run as a formula is quoted."""
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_text(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """``rows`` as CSV text (CRLF line ends), a row at a time so it can be streamed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def csv_document(rows: Iterable[Iterable[object]]) -> str:
    """``rows`` as one CSV string, for exports that are built before they are sent."""
    return "".join(csv_text(rows))


def csv_response(chunks: Iterable[str], filename: str) -> Response:
    """A CSV download, sent as it is produced (an export may be large), never cached."""
    response = Response(stream_with_context(iter(chunks)), mimetype="text/csv")
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response
