"""Exchange first: the reasons of a return type that offer an exchange before a credit

Revision ID: 0035_exchange_first
Revises: 0034_condition_questionnaire
Create Date: 2026-12-07 23:15:00.000000

Column types are frozen here; the models are not imported. ``exchange_reasons`` lists
reasons as typed (a subset of ``reasons``); existing return types get none, so their drafts
read as before until an admin picks the reasons in the designer.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0035_exchange_first"
down_revision: str | None = "0034_condition_questionnaire"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    # SQLite adds a NOT NULL column with a default in place; no table copy is needed.
    with op.batch_alter_table("return_types") as batch:
        batch.add_column(
            sa.Column(
                "exchange_reasons", JSON_DOCUMENT, server_default=sa.text("'[]'"), nullable=False
            )
        )


def downgrade() -> None:
    # Dropped in place: recreating the table would trip the foreign keys pointing at it.
    with op.batch_alter_table("return_types", recreate="never") as batch:
        batch.drop_column("exchange_reasons")
