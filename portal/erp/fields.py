"""Column definitions and the parsers that turn one CSV cell into a typed value.

A parser gets the stripped, non-empty cell text and either returns the value or raises
``FieldError`` with a message that tells the user what is wrong and what is expected.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from flask_babel import gettext as _
from sqlalchemy.orm import InstrumentedAttribute

from models.catalog import parse_size
from portal.erp.codes import COUNTRIES, CURRENCIES
from portal.erp.results import ErrorLog
from portal.inputs.text import column_length, unstorable

# ASCII digits, bounded: "\d" admits other scripts' digits, and int() refuses 4,300+ digits.
_DECIMAL = re.compile(r"-?[0-9]{1,20}(\.[0-9]{1,20})?")
_WHOLE = re.compile(r"[+-]?[0-9]{1,20}")
_EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+")
MAX_INT = 2**31 - 1

Parser = Callable[[str], Any]


class FieldError(ValueError):
    pass


@dataclass(frozen=True)
class Column:
    name: str
    parse: Parser
    # Required: the header must name it and no cell may be empty. An optional column may
    # be left out (stored values are then kept) or left empty (its default applies).
    required: bool = True
    aliases: tuple[str, ...] = ()


def parse_cells(
    columns: list[Column | None], values: list[str], line: int, errors: ErrorLog
) -> dict[str, Any] | None:
    """One row as ``{column name: value}``; None (with errors logged) when any cell is bad."""
    if len(values) != len(columns):
        if len(values) > len(columns):
            message = _(
                "has %(values_count)s values but the header names %(columns_count)s columns "
                "(is a value containing the delimiter not quoted?)",
                values_count=len(values),
                columns_count=len(columns),
            )
        else:
            message = _(
                "has %(values_count)s values but the header names %(columns_count)s columns",
                values_count=len(values),
                columns_count=len(columns),
            )
        errors.add(line, None, message)
        return None
    record: dict[str, Any] = {}
    valid = True
    for column, raw in zip(columns, values, strict=True):
        if column is None:
            continue
        cell = raw.strip()
        if not cell:
            if column.required:
                errors.add(line, column.name, _("is required but empty"))
                valid = False
            record[column.name] = None
            continue
        if "\x00" in cell:  # PostgreSQL refuses NUL in text: refuse the cell, not the file
            errors.add(line, column.name, _("contains a NUL character"))
            valid = False
            continue
        try:
            record[column.name] = column.parse(cell)
        except FieldError as exc:
            errors.add(line, column.name, str(exc))
            valid = False
    return record if valid else None


def text(column: InstrumentedAttribute[Any] | int) -> Parser:
    """One line of text that fits ``column`` (a model's ``String(n)`` column, or n).

    NUL is never stored (PostgreSQL refuses it); no other control character belongs in a
    name, number or code either: line breaks, tabs and the rest are refused too.
    """
    max_length = column if isinstance(column, int) else column_length(column)

    def parse(cell: str) -> str:
        if len(cell) > max_length:
            raise FieldError(
                _(
                    "is %(length)s characters long; at most %(max_length)s fit",
                    length=len(cell),
                    max_length=max_length,
                )
            )
        if "\x00" in cell:
            raise FieldError(_("contains a NUL character"))
        if unstorable(cell):
            raise FieldError(_("must be one line, without line breaks, tabs or control characters"))
        return cell

    return parse


def email(cell: str) -> str:
    if not _EMAIL.fullmatch(cell) or len(cell) > 254:
        raise FieldError(_("%(cell)r is not an e-mail address", cell=cell))
    return cell.lower()


def iso_date(cell: str) -> date:
    # Slicing beats a regex here, and this runs for every date cell of a million-row file.
    if not (
        len(cell) == 10
        and cell[4] == cell[7] == "-"
        and cell[:4].isdigit()
        and cell[5:7].isdigit()
        and cell[8:].isdigit()
    ):
        raise FieldError(_("%(cell)r is not a date written YYYY-MM-DD, e.g. 2026-03-31", cell=cell))
    try:
        return date.fromisoformat(cell)
    except ValueError:
        raise FieldError(_("%(cell)r is not a calendar date", cell=cell)) from None


def decimal(places: int, whole_digits: int) -> Parser:
    """A non-negative amount with at most ``places`` decimals, written with a '.'."""
    limit = Decimal(10) ** whole_digits

    def parse(cell: str) -> Decimal:
        if not _DECIMAL.fullmatch(cell):
            if "," in cell:
                raise FieldError(
                    _("%(cell)r: write amounts with '.' as decimal point, e.g. 89.50", cell=cell)
                )
            raise FieldError(_("%(cell)r is not a number like 89.50", cell=cell))
        value = Decimal(cell)
        if value < 0:
            raise FieldError(_("%(cell)s is negative; amounts must be 0 or more", cell=cell))
        if value >= limit:
            raise FieldError(
                _(
                    "%(cell)s is too large (at most %(whole_digits)s digits before '.')",
                    cell=cell,
                    whole_digits=whole_digits,
                )
            )
        if -value.as_tuple().exponent > places:
            if value != round(value, places):
                raise FieldError(
                    _("%(cell)s has more than %(places)s decimal places", cell=cell, places=places)
                )
            return round(value, places)
        return value

    return parse


def whole_number(minimum: int = 1) -> Parser:
    def parse(cell: str) -> int:
        if not _WHOLE.fullmatch(cell):
            raise FieldError(_("%(cell)r is not a whole number", cell=cell))
        value = int(cell)
        if value < minimum:
            raise FieldError(
                _("must be at least %(minimum)s, not %(value)s", minimum=minimum, value=value)
            )
        if value > MAX_INT:
            raise FieldError(_("%(value)s is too large", value=value))
        return value

    return parse


def country(cell: str) -> str:
    code = cell.upper()
    if code not in COUNTRIES:
        raise FieldError(
            _("%(cell)r is not an ISO 3166 two-letter country code, e.g. DE", cell=cell)
        )
    return code


def currency(cell: str) -> str:
    code = cell.upper()
    if code not in CURRENCIES:
        raise FieldError(_("%(cell)r is not an ISO 4217 currency code, e.g. EUR", cell=cell))
    return code


def frame_size(cell: str) -> tuple[int, int, int]:
    try:
        sizes = parse_size(cell)
    except ValueError:
        raise FieldError(
            _("%(cell)r is not a frame size eye-bridge-temple, e.g. 52-18-140", cell=cell)
        ) from None
    if max(sizes) > 999:
        raise FieldError(_("%(cell)r: size numbers are millimetres, at most 999", cell=cell))
    return sizes


def choice(enum_cls: type[enum.StrEnum]) -> Parser:
    """A value of ``enum_cls``, case-insensitive, with spaces or dashes for underscores."""
    allowed = ", ".join(member.value for member in enum_cls)

    def parse(cell: str) -> enum.StrEnum:
        try:
            return enum_cls(re.sub(r"[\s\-]+", "_", cell.lower()))
        except ValueError:
            raise FieldError(
                _("%(cell)r is not one of: %(allowed)s", cell=cell, allowed=allowed)
            ) from None

    return parse
