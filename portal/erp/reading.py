"""Reading ERP CSV exports: encoding, delimiter, header names, and line numbers."""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any, TextIO

from flask_babel import gettext as _

from workflow_designer.engine.errors import Refusal

DELIMITERS = (",", ";", "\t")
_SEPARATORS = re.compile(r"[\s\-]+")


class UploadDecodeError(Refusal):
    """The uploaded bytes are not UTF-8 text; the message says what to do about it."""


class CsvFormatError(Exception):
    """The file cannot be read as CSV text at all (at ``row``)."""

    def __init__(self, row: int, message: str) -> None:
        super().__init__(message)
        self.row = row
        self.message = message


def decode_upload(upload: Any) -> TextIO:
    """Text of an uploaded file (a werkzeug ``FileStorage``, a file object, or bytes).

    Refuses anything that is not UTF-8 with a message a user can act on; a UTF-8 byte
    order mark is allowed and dropped.
    """
    data = bytes(upload) if isinstance(upload, bytes | bytearray) else upload.read()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UploadDecodeError(
            _(
                "The file is UTF-16 text (Excel's “Unicode Text”). "
                "Export it as “CSV UTF-8” and upload it again."
            )
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UploadDecodeError(
            _(
                "The file is not UTF-8 text (an invalid byte on line %(line)s). "
                "Export it as “CSV UTF-8” and upload it again.",
                line=line,
            )
        ) from None
    return io.StringIO(text, newline="")


def normalise_header(name: str) -> str:
    """``" Invoice Number"`` → ``"invoice_number"``: case, spaces and dashes don't matter."""
    name = name.strip().lower().replace("e-mail", "email")
    return _SEPARATORS.sub("_", name).strip("_")


def detect_delimiter(first_line: str) -> str:
    """The delimiter the header line uses most (comma when it uses none)."""
    counts = {delimiter: first_line.count(delimiter) for delimiter in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


class CsvTable:
    """A CSV file that can be read twice: once to validate, once to write."""

    def __init__(self, stream: TextIO) -> None:
        self._spooled = not stream.seekable()
        if self._spooled:
            stream = _spool(stream)
        self.stream = stream
        self.start = stream.tell()
        self.delimiter = detect_delimiter(self._guard(1, stream.readline))
        stream.seek(self.start)

    def header(self) -> list[str] | None:
        """The header cells, or None when the file is empty."""
        self.stream.seek(self.start)
        reader = csv.reader(self.stream, delimiter=self.delimiter)
        cells = self._guard(1, lambda: next(reader, None))
        if not cells or not any(c.strip() for c in cells):
            return None
        return [cells[0].removeprefix("\ufeff"), *cells[1:]]

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """Each data row with the line it starts on; blank lines are skipped."""
        self.stream.seek(self.start)
        reader = csv.reader(self.stream, delimiter=self.delimiter)
        self._guard(1, lambda: next(reader, None))
        last_line = reader.line_num
        while True:
            values = self._guard(last_line + 1, lambda: next(reader, None))
            if values is None:
                return
            line, last_line = last_line + 1, reader.line_num
            if any(v.strip() for v in values):
                yield line, values

    def close(self) -> None:
        """Free the temporary copy of a stream that could not be rewound."""
        if self._spooled:
            self.stream.close()

    @staticmethod
    def _guard(line: int, read):
        try:
            return read()
        except UnicodeDecodeError:
            raise CsvFormatError(
                line, _("the file is not UTF-8 text; export it as “CSV UTF-8”")
            ) from None
        except csv.Error as exc:
            raise CsvFormatError(
                line, _("not readable as CSV (%(problem)s)", problem=exc)
            ) from None


def _spool(stream: TextIO) -> TextIO:
    spool = tempfile.SpooledTemporaryFile(  # noqa: SIM115 -- closed by CsvTable.close()
        max_size=16 * 1024 * 1024, mode="w+", encoding="utf-8", newline=""
    )
    shutil.copyfileobj(stream, spool)
    spool.seek(0)
    return spool  # type: ignore[return-value]
