"""Human-readable document numbers (RMA-2026-000123, CM-2026-000001): per prefix and year,
without gaps or repeats."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import NumberSequence

DIALECT_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def next_number(session: Session, prefix: str, now: datetime) -> str:
    """The next number of ``prefix`` in ``now``'s year. The counter row stays locked until
    commit, so concurrent transactions take numbers one after the other."""
    series = f"{prefix}-{now.year}"
    insert = DIALECT_INSERTS[session.get_bind().dialect.name]
    session.execute(
        insert(NumberSequence)
        .values(series=series, last_value=0)
        .on_conflict_do_nothing(index_elements=["series"])
    )
    value = session.scalar(
        update(NumberSequence)
        .where(NumberSequence.series == series)
        .values(last_value=NumberSequence.last_value + 1)
        .returning(NumberSequence.last_value)
    )
    return f"{series}-{value:06d}"


def next_rma_number(session: Session, now: datetime) -> str:
    return next_number(session, "RMA", now)
