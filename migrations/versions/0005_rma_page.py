"""RMA page: when the return label was issued

Revision ID: 0005_rma_page
Revises: 0004_designer
Create Date: 2026-11-22 02:32:42.443291
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_rma_page"
down_revision: str | None = "0004_designer"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Batch mode: SQLite cannot alter a table in place (a nullable column needs no default).
    with op.batch_alter_table("rmas") as batch:
        batch.add_column(sa.Column("label_issued_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    # SQLite (3.35+) drops a column in place; recreating the table would trip the foreign
    # keys of the rows that point at RMAs.
    with op.batch_alter_table("rmas", recreate="never") as batch:
        batch.drop_column("label_issued_at")
