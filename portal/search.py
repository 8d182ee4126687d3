"""Free-text search over a few columns, the same way on every list page."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_

MAX_SEARCH_LENGTH = 100


def matches_text(text: str, *columns) -> ColumnElement[bool]:
    """Case-insensitive "contains" on any of ``columns``; LIKE wildcards are taken literally."""
    needle = text.strip().lower()[:MAX_SEARCH_LENGTH]
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    pattern = f"%{escaped}%"
    return or_(*(func.lower(column).like(pattern, escape="\\") for column in columns))
