"""Street, postal code and city on retailer accounts: the sender block of return labels

Revision ID: 0014_account_address
Revises: 0013_ledger_documents
Create Date: 2026-12-06 03:00:00.000000

Existing accounts get empty strings: the label prints what an account has and leaves the
rest out until an admin or the next ERP import fills it in.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_account_address"
down_revision: str | None = "0013_ledger_documents"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (("street", 200), ("postal_code", 20), ("city", 100))


def upgrade() -> None:
    # SQLite adds a NOT NULL column with a default in place; no table copy is needed.
    with op.batch_alter_table("retailer_accounts") as batch:
        for name, length in COLUMNS:
            batch.add_column(sa.Column(name, sa.String(length), server_default="", nullable=False))


def downgrade() -> None:
    # Dropped in place: recreating the table would trip the foreign keys pointing at it.
    with op.batch_alter_table("retailer_accounts", recreate="never") as batch:
        for name, _length in reversed(COLUMNS):
            batch.drop_column(name)
