"""Bulk writes for the large demo: PostgreSQL COPY, executemany elsewhere.

Rows are written with primary keys chosen here (``reserve_ids``), so a million child rows
can name their parents without reading a million ids back. COPY sends rows as one stream
(psycopg's ``cursor.copy()``), an order of magnitude faster than INSERT on PostgreSQL; the
same rows go through ``insert().values`` batches on SQLite so the code path is tested there too.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from psycopg.types.json import Jsonb
from sqlalchemy import JSON, Engine, Table, func, insert, select, text
from sqlalchemy.orm import Session

BATCH = 5_000


def is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def reserve_ids(session: Session, table: Table, count: int) -> int:
    """The first of ``count`` consecutive ids nobody else will be given; returns it.

    On PostgreSQL the table's sequence is moved past the block. The demo loads an empty
    database alone, so reading and moving the sequence need no lock against other writers.
    """
    if is_postgres(session):
        sequence = session.scalar(
            text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name}
        )
        first = session.scalar(text("SELECT nextval(:seq)"), {"seq": sequence})
        if count > 1:
            session.execute(
                text("SELECT setval(:seq, :last)"), {"seq": sequence, "last": first + count - 1}
            )
        return first
    return (session.scalar(select(func.max(table.c.id))) or 0) + 1


def write_rows(
    session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence]
) -> int:
    """Write ``rows`` (tuples in ``columns`` order) into ``table``; returns how many.

    Values are what the column stores (enum *values*, aware datetimes, dicts and lists
    for JSON columns): COPY bypasses SQLAlchemy's type processing, so JSON is wrapped here.
    """
    if is_postgres(session):
        return _copy(session, table, columns, rows)
    written, batch = 0, []
    for row in rows:
        batch.append(dict(zip(columns, row, strict=True)))
        if len(batch) == BATCH:
            written += _insert(session, table, batch)
            batch = []
    return written + (_insert(session, table, batch) if batch else 0)


def _insert(session: Session, table: Table, batch: list[dict]) -> int:
    session.execute(insert(table), batch)
    return len(batch)


def _copy(session: Session, table: Table, columns: Sequence[str], rows: Iterable[Sequence]) -> int:
    # The session's own connection: the rows belong to the caller's transaction.
    cursor = session.connection().connection.driver_connection.cursor()
    names = ", ".join(f'"{c}"' for c in columns)
    json_at = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, JSON)]
    written = 0
    with cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy:
        for row in rows:
            if json_at:
                row = list(row)
                for i in json_at:
                    row[i] = Jsonb(row[i])
            copy.write_row(row)
            written += 1
    return written


def refresh_statistics(session: Session) -> None:
    """After a bulk load (committed), VACUUM ANALYZE, as PostgreSQL advises after COPY:
    until autovacuum gets round to it the planner guesses every row count (parallel scans
    of whole tables where an index finds 20 rows) and index-only scans visit the heap.
    About a second for the large data set; nothing on SQLite.

    VACUUM cannot run inside a transaction, where the test suite holds the app's session:
    there ANALYZE is what can be done."""
    if not is_postgres(session):
        return
    bind = session.get_bind()
    if not isinstance(bind, Engine):
        session.execute(text("ANALYZE"))
        return
    with bind.connect() as connection:
        connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
            "VACUUM (ANALYZE)"
        )
