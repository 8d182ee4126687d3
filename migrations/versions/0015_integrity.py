"""The database guards what the code guards: one line per order line on an RMA, and CHECKs

Revision ID: 0015_integrity
Revises: 0014_account_address
Create Date: 2026-12-06 05:00:00.000000

Parallel "add line" posts could put one order line on a draft several times. Such
duplicates are merged before the UNIQUE constraint is added: the earliest line keeps the
summed quantities and takes over the others' photos; the others are deleted. Duplicates
only ever happened on drafts (submitting refuses them), so no inspection result or credit
memo line can point at one; if one does, the migration stops and names the RMA rather
than guess.

The CHECKs hold what the code already guarantees: a grade from the known list (or
"mixed" for a line inspected in several grades), a restocking fee between 0 and 100 %,
money below the column's range (which also refuses PostgreSQL's NaN, larger than every
number), a positive row version and a counter that never goes below zero.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_integrity"
down_revision: str | None = "0014_account_address"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Bound of a Numeric(12, 2): every finite amount is inside it, NaN is not.
MONEY_BOUND = "10000000000"
GRADES = (
    "('new', 'open_packaging', 'used', 'lightly_damaged', 'heavily_damaged', 'defective', 'mixed')"
)

CHECKS: dict[str, tuple[tuple[str, str], ...]] = {
    "rma_lines": (
        ("grade_known", f"grade IN {GRADES}"),
        ("credit_finite", f"credit > -{MONEY_BOUND} AND credit < {MONEY_BOUND}"),
    ),
    "rmas": (
        ("total_value_finite", f"total_value < {MONEY_BOUND}"),
        (
            "restocking_fee_percent_range",
            "restocking_fee_percent >= 0 AND restocking_fee_percent <= 100",
        ),
        ("version_positive", "version >= 1"),
    ),
    "replacement_lines": (("unit_price_finite", f"unit_price < {MONEY_BOUND}"),),
    "number_sequences": (("last_value_not_negative", "last_value >= 0"),),
}

UNIQUE_LINE = "uq_rma_lines_rma_id_order_line_id"

# Rows that point at an RMA line and cannot simply follow it to the kept line.
BLOCKING_REFERENCES = ("inspection_results", "credit_memo_lines")


def upgrade() -> None:
    _merge_duplicate_lines()
    with op.batch_alter_table("rma_lines") as batch:
        batch.create_unique_constraint(op.f(UNIQUE_LINE), ["rma_id", "order_line_id"])
        for name, condition in CHECKS["rma_lines"]:
            batch.create_check_constraint(name, condition)
    for table, checks in CHECKS.items():
        if table == "rma_lines":
            continue
        with op.batch_alter_table(table) as batch:
            for name, condition in checks:
                batch.create_check_constraint(name, condition)


def downgrade() -> None:
    for table, checks in reversed(CHECKS.items()):
        with op.batch_alter_table(table) as batch:
            for name, _condition in reversed(checks):
                batch.drop_constraint(name, type_="check")
            if table == "rma_lines":
                batch.drop_constraint(op.f(UNIQUE_LINE), type_="unique")


def _merge_duplicate_lines() -> None:
    bind = op.get_bind()
    groups = bind.execute(
        sa.text(
            "SELECT rma_id, order_line_id FROM rma_lines WHERE order_line_id IS NOT NULL "
            "GROUP BY rma_id, order_line_id HAVING COUNT(*) > 1"
        )
    ).all()
    for rma_id, order_line_id in groups:
        ids = bind.scalars(
            sa.text(
                "SELECT id FROM rma_lines WHERE rma_id = :rma AND order_line_id = :line ORDER BY id"
            ),
            {"rma": rma_id, "line": order_line_id},
        ).all()
        _merge(bind, rma_id, ids[0], ids[1:])


def _merge(bind, rma_id: int, keep: int, others: list[int]) -> None:
    """Fold the lines ``others`` into the line ``keep`` of the RMA ``rma_id``."""
    among = {"others": others}
    expanding = sa.bindparam("others", expanding=True)
    for table in BLOCKING_REFERENCES:
        used = bind.scalar(
            sa.text(f"SELECT COUNT(*) FROM {table} WHERE rma_line_id IN :others").bindparams(
                expanding
            ),
            among,
        )
        if used:
            number = bind.scalar(sa.text("SELECT number FROM rmas WHERE id = :id"), {"id": rma_id})
            raise RuntimeError(
                f"{number} has the same order line on several lines and {table} rows point at "
                "them; merge these lines by hand, then run the migration again."
            )
    bind.execute(
        sa.text(
            "UPDATE rma_lines SET "
            "quantity_requested = (SELECT SUM(quantity_requested) FROM rma_lines AS s "
            "WHERE s.id = :keep OR s.id IN :others), "
            "quantity_authorized = (SELECT SUM(quantity_authorized) FROM rma_lines AS s "
            "WHERE s.id = :keep OR s.id IN :others), "
            "quantity_received = (SELECT SUM(quantity_received) FROM rma_lines AS s "
            "WHERE s.id = :keep OR s.id IN :others) "
            "WHERE id = :keep"
        ).bindparams(expanding),
        {"keep": keep, **among},
    )
    bind.execute(
        sa.text(
            "UPDATE rma_attachments SET rma_line_id = :keep WHERE rma_line_id IN :others"
        ).bindparams(expanding),
        {"keep": keep, **among},
    )
    bind.execute(sa.text("DELETE FROM rma_lines WHERE id IN :others").bindparams(expanding), among)
