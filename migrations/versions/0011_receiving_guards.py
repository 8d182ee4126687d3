"""Units held apart at receiving: the decision on over-received and unexpected units

Revision ID: 0011_receiving_guards
Revises: 0010_count_indexes
Create Date: 2026-12-06 03:00:00.000000

Units received beyond a line's authorised quantity, and items not on the RMA, are never
stocked nor credited: a sales rep or an admin decides to return them to the sender or to
dispose of them; returned ones are marked shipped. Named CHECKs keep the vocabulary.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011_receiving_guards"
down_revision: str | None = "0010_count_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DECISIONS = "('return_to_sender', 'dispose')"


def upgrade() -> None:
    with op.batch_alter_table("rma_lines") as batch:
        batch.add_column(sa.Column("excess_decision", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("excess_shipped_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_check_constraint("excess_decision_known", f"excess_decision IN {DECISIONS}")
        batch.create_check_constraint(
            "excess_shipped_only_when_returned",
            "excess_shipped_at IS NULL OR excess_decision = 'return_to_sender'",
        )
    with op.batch_alter_table("unexpected_items") as batch:
        batch.add_column(sa.Column("decision", sa.String(length=20), nullable=True))
        batch.add_column(sa.Column("shipped_at", sa.DateTime(timezone=True), nullable=True))
        batch.create_check_constraint("decision_known", f"decision IN {DECISIONS}")
        batch.create_check_constraint(
            "shipped_only_when_returned", "shipped_at IS NULL OR decision = 'return_to_sender'"
        )


def downgrade() -> None:
    with op.batch_alter_table("unexpected_items") as batch:
        batch.drop_constraint("shipped_only_when_returned", type_="check")
        batch.drop_constraint("decision_known", type_="check")
        batch.drop_column("shipped_at")
        batch.drop_column("decision")
    with op.batch_alter_table("rma_lines") as batch:
        batch.drop_constraint("excess_shipped_only_when_returned", type_="check")
        batch.drop_constraint("excess_decision_known", type_="check")
        batch.drop_column("excess_shipped_at")
        batch.drop_column("excess_decision")
