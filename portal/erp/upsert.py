"""Batched, dialect-specific upserts: ``INSERT … ON CONFLICT (key) DO UPDATE``.

PostgreSQL and SQLite both support the clause; SQLAlchemy spells it in each dialect's own
``insert``. On SQLite statements run executemany-style, a batch of parameter dicts at a
time. On PostgreSQL the rows are streamed with COPY into a temporary table first and
upserted from it in one ``INSERT … SELECT … ON CONFLICT`` statement: COPY skips the
per-row statement processing, which was most of the cost of writing a large import.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from psycopg import sql
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
    if dialect == "postgresql":
        return _copy_upsert(session, table, rows, key, update, returning)
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


def _copy_upsert(
    session: Session,
    table: Table,
    rows: list[dict[str, Any]],
    key: Sequence[str],
    update: Sequence[str],
    returning: Sequence[str],
) -> list[tuple]:
    """COPY ``rows`` into a temporary table shaped like ``table``'s columns, then upsert.

    The staging table lives for the transaction (``ON COMMIT DROP``) and is emptied before
    each use, so an import calling this per chunk reuses it. Its columns are created from
    the target's (``CREATE … AS SELECT … WITH NO DATA``): same types, no constraints, so
    the target's constraints are checked once, by the INSERT.
    """
    columns = list(rows[0])
    # One staging table per target and column list: a later call may write other columns.
    shape = hashlib.blake2s(",".join(columns).encode(), digest_size=4).hexdigest()
    staging = sql.Identifier(f"staging_{table.name}_{shape}")
    names = sql.SQL(", ").join(sql.Identifier(c) for c in columns)
    target = sql.Identifier(table.name)
    cursor = session.connection().connection.driver_connection.cursor()
    cursor.execute(
        sql.SQL(
            "CREATE TEMPORARY TABLE IF NOT EXISTS {staging} ON COMMIT DROP AS "
            "SELECT {names} FROM {target} WITH NO DATA"
        ).format(staging=staging, names=names, target=target)
    )
    cursor.execute(sql.SQL("TRUNCATE {staging}").format(staging=staging))
    # COPY bypasses SQLAlchemy, so its column types' conversions (enum members to their
    # values, JSON) are applied here.
    dialect = session.get_bind().dialect
    convert = [(c, table.c[c].type.bind_processor(dialect)) for c in columns]
    copy_in = sql.SQL("COPY {staging} ({names}) FROM STDIN")
    with cursor.copy(copy_in.format(staging=staging, names=names)) as copy:
        for row in rows:
            copy.write_row([row[c] if f is None else f(row[c]) for c, f in convert])
    conflict = sql.SQL(", ").join(sql.Identifier(c) for c in key)
    if update:
        action = sql.SQL("DO UPDATE SET {}").format(
            sql.SQL(", ").join(
                sql.SQL("{0} = EXCLUDED.{0}").format(sql.Identifier(c)) for c in update
            )
        )
    else:
        action = sql.SQL("DO NOTHING")
    statement = sql.SQL(
        "INSERT INTO {target} ({names}) SELECT {names} FROM {staging} "
        "ON CONFLICT ({conflict}) {action}"
    ).format(target=target, names=names, staging=staging, conflict=conflict, action=action)
    if returning:
        statement += sql.SQL(" RETURNING {}").format(
            sql.SQL(", ").join(sql.Identifier(c) for c in returning)
        )
    cursor.execute(statement)
    return [tuple(row) for row in cursor.fetchall()] if returning else []
