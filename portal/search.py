"""Free-text search over a few columns, the same way on every list page."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_

MAX_SEARCH_LENGTH = 100


def _contains_pattern(text: str) -> str:
    needle = text.strip().lower()[:MAX_SEARCH_LENGTH]
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matches_text(text: str, *columns) -> ColumnElement[bool]:
    """Case-insensitive "contains" on any of ``columns``; LIKE wildcards are taken literally."""
    pattern = _contains_pattern(text)
    return or_(*(func.lower(column).like(pattern, escape="\\") for column in columns))


def matches_indexed_text(text: str, *columns) -> ColumnElement[bool]:
    """``matches_text`` written as ILIKE, which PostgreSQL answers from a trigram index
    (``gin_trgm_ops``) on the columns; it never uses one for ``lower(column) LIKE``.
    Without such an index ILIKE is the slower of the two, so keep this to indexed columns."""
    pattern = _contains_pattern(text)
    return or_(*(column.ilike(pattern, escape="\\") for column in columns))
