"""What every kind of import provides, and the shared create-or-update bookkeeping."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from sqlalchemy import Row
from sqlalchemy.orm import Session

from portal.erp.fields import Column
from portal.erp.results import ErrorLog, ImportResult

Record = dict[str, Any]


class Importer:
    """One kind of ERP file. Validation sees every row before ``write`` sees any.

    ``check`` gets chunks of ``(line, record)`` for the rows whose cells parsed, and logs
    cross-row and reference problems; ``write`` gets the same records again, in chunks, only
    when the whole file is valid.
    """

    kind: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]

    def __init__(self, session: Session, present: frozenset[str]) -> None:
        self.session = session
        self.present = present

    def check(self, chunk: list[tuple[int, Record]], errors: ErrorLog) -> None:
        raise NotImplementedError

    def write(self, records: list[Record], result: ImportResult) -> None:
        raise NotImplementedError


def classify(
    rows: list[Record], existing: dict[Any, Row], key: str, compare: Sequence[str]
) -> tuple[list[Record], list[Record], int]:
    """Split rows into (new, changed) lists and a count of rows identical to what is stored."""
    new: list[Record] = []
    changed: list[Record] = []
    unchanged = 0
    for row in rows:
        stored = existing.get(row[key])
        if stored is None:
            new.append(row)
        elif any(row[name] != stored._mapping[name] for name in compare):
            changed.append(row)
        else:
            unchanged += 1
    return new, changed, unchanged


def duplicate_of(seen: dict[Any, int], key: Any, line: int) -> int | None:
    """The line ``key`` was first seen on, when this is a repeat; otherwise remember it."""
    first = seen.setdefault(key, line)
    return first if first != line else None
