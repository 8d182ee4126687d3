"""What an import reports back: counts, and every problem found with its row and column."""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

MAX_ERRORS = 1000
# What each kind of import holds, as people read it.
KIND_LABELS = {"accounts": _l("Accounts"), "products": _l("Products"), "orders": _l("Orders")}


@dataclass(frozen=True)
class RowError:
    """One problem in the file. ``row`` is the line number in the file (the header is 1)."""

    row: int
    column: str | None
    message: str

    def __str__(self) -> str:
        if self.column is None:
            return _("row %(row)s: %(message)s", row=self.row, message=self.message)
        return _(
            "row %(row)s, column %(column)s: %(message)s",
            row=self.row,
            column=self.column,
            message=self.message,
        )


class ErrorLog:
    """Collects errors, keeping the first ``limit`` and counting the rest."""

    def __init__(self, limit: int = MAX_ERRORS) -> None:
        self.limit = limit
        self.kept: list[RowError] = []
        self.total = 0

    def add(self, row: int, column: str | None, message: str) -> None:
        self.total += 1
        if len(self.kept) < self.limit:
            self.kept.append(RowError(row, column, message))

    def __bool__(self) -> bool:
        return self.total > 0


@dataclass
class ImportResult:
    """Outcome of one import. Nothing was written when ``errors`` is not empty.

    Counts are per data row (for orders, per order line); a line whose invoice header
    changed counts as updated.
    """

    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    errors_omitted: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def error_lines(self) -> list[str]:
        """The errors as text, one per line, ending with "…and N more" when capped."""
        lines = [str(error) for error in self.errors]
        if self.errors_omitted:
            lines.append(
                ngettext("…and %(num)d more error", "…and %(num)d more errors", self.errors_omitted)
            )
        return lines

    def words(self) -> str:
        """The outcome as the admin reads it after an upload, in their language."""
        return ngettext(
            "%(kind)s: %(num)d row read, %(created)s created, %(updated)s updated, "
            "%(unchanged)s unchanged",
            "%(kind)s: %(num)d rows read, %(created)s created, %(updated)s updated, "
            "%(unchanged)s unchanged",
            self.rows,
            kind=KIND_LABELS.get(self.kind, self.kind),
            created=self.created,
            updated=self.updated,
            unchanged=self.unchanged,
        )

    def summary(self) -> str:
        """The outcome for the command line and the log (stable English)."""
        return (
            f"{self.kind}: {self.rows} rows read, {self.created} created, "
            f"{self.updated} updated, {self.unchanged} unchanged"
        )
