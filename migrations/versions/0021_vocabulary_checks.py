"""Dispositions and resolutions are words from a known list, checked by the database

Revision ID: 0021_vocabulary_checks
Revises: 0016_throttle_counters
Create Date: 2026-12-06 20:00:00.000000

Grades were checked already (enum columns, and ``rma_lines.grade_known``). The same now
holds for where graded units go (on inspection results, and on RMA lines, which may also
say "mixed") and for the resolution staff chose or the retailer asked for. The lists are
frozen here as they are at this revision. A row holding another word stops the migration,
which names the table and the word, rather than guess what it meant.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021_vocabulary_checks"
down_revision: str | None = "0016_throttle_counters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DISPOSITIONS = ("restock", "b_stock", "refurbish", "return_to_manufacturer", "scrap")
RESOLUTIONS = ("credit", "refund", "exchange", "replacement_order")

# table → (constraint name, column, allowed values); NULL passes, as in every CHECK.
CHECKS: dict[str, tuple[tuple[str, str, tuple[str, ...]], ...]] = {
    "inspection_results": (("disposition_known", "disposition", DISPOSITIONS),),
    "rma_lines": (("disposition_known", "disposition", (*DISPOSITIONS, "mixed")),),
    "rmas": (
        ("resolution_known", "resolution", RESOLUTIONS),
        ("requested_resolution_known", "requested_resolution", RESOLUTIONS),
    ),
}


def _one_of(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(value) for value in values)})"


def upgrade() -> None:
    for table, checks in CHECKS.items():
        for _name, column, values in checks:
            _refuse_unknown(table, column, values)
        with op.batch_alter_table(table) as batch:
            for name, column, values in checks:
                batch.create_check_constraint(name, _one_of(column, values))


def downgrade() -> None:
    for table, checks in reversed(CHECKS.items()):
        with op.batch_alter_table(table) as batch:
            for name, _column, _values in reversed(checks):
                batch.drop_constraint(name, type_="check")


def _refuse_unknown(table: str, column: str, values: tuple[str, ...]) -> None:
    unknown = (
        op.get_bind()
        .execute(
            sa.text(
                f"SELECT DISTINCT {column} FROM {table} "
                f"WHERE {column} IS NOT NULL AND NOT ({_one_of(column, values)})"
            )
        )
        .scalars()
        .all()
    )
    if unknown:
        raise RuntimeError(
            f"{table}.{column} holds {', '.join(map(repr, sorted(unknown)))}, which is not one "
            f"of {', '.join(values)}: correct those rows, then run the migration again."
        )
