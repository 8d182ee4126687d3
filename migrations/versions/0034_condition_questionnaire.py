"""Condition questionnaire: each RMA line keeps the answers it was given

Revision ID: 0034_condition_questionnaire
Revises: 0032_integration_tokens
Create Date: 2026-12-07 23:30:00.000000

Column types are frozen here; the models are not imported. The questionnaire itself is part
of the policy document (versioned with it); a line stores a snapshot of its answers
(null before any).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0034_condition_questionnaire"
down_revision: str | None = "0032_integration_tokens"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    with op.batch_alter_table("rma_lines", schema=None) as batch_op:
        batch_op.add_column(sa.Column("condition_answers", DOCUMENT, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("rma_lines", schema=None) as batch_op:
        batch_op.drop_column("condition_answers")
