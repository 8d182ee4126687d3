"""Batched, dialect-specific upserts: ``INSERT … ON CONFLICT (key) DO UPDATE``.

PostgreSQL and SQLite both support the clause; SQLAlchemy spells it in each dialect's own
``insert``. Statements run executemany-style, a batch of parameter dicts at a time.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from sqlalchemy import Row, Table, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

BATCH = 5000
_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def upsert(
    session: Session,
    table: Table,
    rows: list[dict[str, Any]],
    key: Sequence[str],
    update: Sequence[str],
    returning: Sequence[str] = (),
) -> list[Row]:
    """Insert ``rows``, updating the ``update`` columns of rows whose ``key`` exists."""
    if not rows:
        return []
    dialect = session.get_bind().dialect.name
    try:
        insert = _INSERTS[dialect]
    except KeyError:
        raise NotImplementedError(f"no upsert for the {dialect} dialect") from None
    statement = insert(table)
    if update:
        statement = statement.on_conflict_do_update(
            index_elements=list(key), set_={name: statement.excluded[name] for name in update}
        )
    else:
        statement = statement.on_conflict_do_nothing(index_elements=list(key))
    if returning:
        statement = statement.returning(*(table.c[name] for name in returning))
    returned: list[Row] = []
    for batch in batched(rows, BATCH):
        result = session.execute(statement, batch)
        if returning:
            returned.extend(result.all())
    return returned


def fetch_existing(
    session: Session, table: Table, key: str, columns: Sequence[str], values: Iterable[Any]
) -> dict[Any, Row]:
    """Stored rows whose ``key`` is among ``values``, by key, in batched ``IN`` queries."""
    selected = [table.c[key], *(table.c[name] for name in columns if name != key)]
    found: dict[Any, Row] = {}
    for batch in batched(set(values), BATCH):
        for row in session.execute(select(*selected).where(table.c[key].in_(batch))):
            found[row[0]] = row
    return found
