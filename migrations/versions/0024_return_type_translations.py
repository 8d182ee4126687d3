"""Return types get an exception prompt and translations of what retailers read

Revision ID: 0024_return_type_translations
Revises: 0023_languages
Create Date: 2026-12-07 07:00:00.000000

``exception_prompt`` is optional text shown above the exception justification box;
``translations`` holds the name, description, exception prompt and reasons per language
(``{"de": {"name": …, "reasons": {typed reason: translation}}}``). Existing return types
get an empty prompt and no translations: retailers read the texts as typed, as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0024_return_type_translations"
down_revision: str | None = "0023_languages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")


def upgrade() -> None:
    # SQLite adds a NOT NULL column with a default in place; no table copy is needed.
    with op.batch_alter_table("return_types") as batch:
        batch.add_column(
            sa.Column("exception_prompt", sa.Text(), server_default="", nullable=False)
        )
        batch.add_column(
            sa.Column("translations", JSON_DOCUMENT, server_default=sa.text("'{}'"), nullable=False)
        )


def downgrade() -> None:
    # Dropped in place: recreating the table would trip the foreign keys pointing at it.
    with op.batch_alter_table("return_types", recreate="never") as batch:
        batch.drop_column("translations")
        batch.drop_column("exception_prompt")
