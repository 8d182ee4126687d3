"""SQL expressions shared by the portal and the workflow engine."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Integer, String, any_, bindparam, cast, func, select, true
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import Cast


def int_array(ids: Iterable[int]) -> Cast:
    """A PostgreSQL ``integer[]`` parameter holding ``ids``.

    Sent as one array literal ('{1,2,3}') that the server parses: psycopg's dumping of a
    list, element by element in Python, took 1.8 ms of a 4 ms query for 2,800 ids."""
    literal = "{" + ",".join(str(int(i)) for i in ids) + "}"
    return cast(bindparam(None, literal, type_=String), ARRAY(Integer))


def _postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def one_of(session: Session, column: Any, ids: list[int]) -> ColumnElement[bool]:
    """``column IN ids``. On PostgreSQL one array parameter (``= ANY``): rendering and
    parsing a placeholder per id cost about a millisecond per 200 ids."""
    if _postgres(session):
        return column == any_(int_array(ids))
    return column.in_(ids)


def one_of_many(session: Session, column: Any, ids: list[int]) -> ColumnElement[bool]:
    """``column IN ids`` for thousands of ids tested row by row. On PostgreSQL a hashed
    ``IN (SELECT unnest(array))``: a prepared statement's generic plan hashes it too, where
    it would compare each row with every element of ``= ANY(array)``. ``IS TRUE`` keeps
    it a filter: as a condition of its own PostgreSQL made the ``IN`` a semi-join that
    compared each row with every id again (a brand search: 48 ms, against 0.5)."""
    if _postgres(session):
        hashed = column.in_(select(func.unnest(int_array(ids))).scalar_subquery())
        return hashed.is_(true())
    return column.in_(ids)
