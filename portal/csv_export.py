"""CSV downloads that a spreadsheet can open safely, written a row at a time, and the
same rows as JSON records.

Every export writes through ``csv_text``, which defuses formula injection as OWASP
advises: a text cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return gets a leading apostrophe, so a spreadsheet shows it as text instead of running it.
Escaping happens here, on every ``str`` cell, so an export cannot forget a column.
Numbers are handed over as numbers (``int``, ``Decimal``) and written untouched: a
negative amount stays ``-12.50`` and still adds up in the spreadsheet.

A download is written out completely while the view runs, then sent from a spooled file
once the request's transaction has ended (``csv_response``).
"""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import IO

from flask import Response, request
from werkzeug.wsgi import wrap_file

from portal.inputs.files import content_disposition

# Up to this much of an export stays in memory; a larger one goes on to a temporary file.
SPOOL_IN_MEMORY = 1024 * 1024

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
    """A CSV download; see ``download_response``."""
    return download_response(chunks, filename, "text/csv")


def download_response(chunks: Iterable[str], filename: str, mimetype: str) -> Response:
    """A download (CSV, JSON), never cached, written in full before it is sent.

    Streaming rows straight from the query would hold the request's transaction open for
    as long as the client takes to download, and on SQLite that transaction holds the
    write lock: every other request that writes would wait, then fail. So the rows are
    read and written out now, inside the view (the transaction lasts as long as the
    database takes to read them, not as long as the network takes to send them), in
    memory up to ``SPOOL_IN_MEMORY`` and in a temporary file beyond. The transaction ends
    when the view returns; only the written file is sent after that. The price: the first
    byte leaves once the last row is read, and a large export briefly takes its size in
    temporary disk space instead of memory.
    """
    body = _written_out(chunks)
    if isinstance(body, bytes):
        response = Response(body, mimetype=mimetype)
    else:
        size = body.tell()
        body.seek(0)
        response = Response(
            wrap_file(request.environ, body), mimetype=mimetype, direct_passthrough=True
        )
        response.content_length = size
    response.headers["Content-Disposition"] = content_disposition(filename)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _written_out(chunks: Iterable[str]) -> bytes | IO[bytes]:
    """``chunks`` encoded: as bytes while small, in a temporary file once larger than
    ``SPOOL_IN_MEMORY`` (the response closes it when sent)."""
    memory = io.BytesIO()
    pending = iter(chunks)  # one iterator: the file continues where memory stopped
    for chunk in pending:
        memory.write(chunk.encode())
        if memory.tell() > SPOOL_IN_MEMORY:
            return _spilled(memory, pending)
    return memory.getvalue()


def _spilled(memory: io.BytesIO, rest: Iterable[str]) -> IO[bytes]:
    file = tempfile.TemporaryFile()  # noqa: SIM115 — the response closes it once sent
    try:
        file.write(memory.getbuffer())
        for chunk in rest:
            file.write(chunk.encode())
    except BaseException:
        file.close()
        raise
    return file


def json_records(rows: Iterable[Sequence[object]]) -> Iterator[str]:
    """An export's rows as a JSON array of objects, a record at a time: the first row is
    the header of column codes (``HeaderStyle.CODES``), each later row one record keyed
    by them. Numbers (``Decimal``) become decimal strings, so no amount loses a cent to a
    float; the JSON needs no formula quoting (no spreadsheet runs it)."""
    pending = iter(rows)
    codes = [str(code) for code in next(pending, [])]
    yield "["
    for index, row in enumerate(pending):
        record = dict(zip(codes, (_json_value(value) for value in row), strict=True))
        yield ("," if index else "") + json.dumps(record, ensure_ascii=False)
    yield "]\n"


def _json_value(value: object) -> object:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value
