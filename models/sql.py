"""SQL expressions shared by the portal and the workflow engine."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Integer, String, bindparam, cast
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.sql.elements import Cast


def int_array(ids: Iterable[int]) -> Cast:
    """A PostgreSQL ``integer[]`` parameter holding ``ids``.

    Sent as one array literal ('{1,2,3}') that the server parses: psycopg's dumping of a
    list, element by element in Python, took 1.8 ms of a 4 ms query for 2,800 ids."""
    literal = "{" + ",".join(str(int(i)) for i in ids) + "}"
    return cast(bindparam(None, literal, type_=String), ARRAY(Integer))
