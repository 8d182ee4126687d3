"""Session epoch on users: logging out ends every copy of a session cookie

Revision ID: 0008_session_epoch
Revises: 0007_back_office
Create Date: 2026-11-23 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_session_epoch"
down_revision: str | None = "0007_back_office"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # SQLite adds a NOT NULL column with a default in place; no table copy is needed.
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("session_epoch", sa.Integer(), server_default="0", nullable=False)
        )


def downgrade() -> None:
    # SQLite (3.35+) drops a column in place; recreating the table would trip the foreign
    # keys of the rows that point at users.
    with op.batch_alter_table("users", recreate="never") as batch:
        batch.drop_column("session_epoch")
