"""Risk signal thresholds, the key that sends each weekly digest once, and the opt-out

Revision ID: 0026_risk_signals
Revises: 0025_feedback_survey
Create Date: 2026-12-07 12:00:00.000000

``risk_signal_settings`` holds the distributor's one row of thresholds as a document
(no row: the defaults). ``weekly_digests`` has one row per user and ISO week; its unique
key is what lets several workers queue digests without sending one twice.
``users.weekly_digest`` is true for everyone already there: reps and admins get the
digest until they turn it off on their profile.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0026_risk_signals"
down_revision: str | None = "0025_feedback_survey"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

JSON_DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
UTC_DATETIME = sa.DateTime(timezone=True)


def upgrade() -> None:
    # SQLite adds a NOT NULL column with a default in place; no table copy is needed.
    with op.batch_alter_table("users") as batch:
        batch.add_column(
            sa.Column("weekly_digest", sa.Boolean(), server_default=sa.true(), nullable=False)
        )
    op.create_table(
        "risk_signal_settings",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("thresholds", JSON_DOCUMENT, nullable=False),
        sa.Column("updated_at", UTC_DATETIME, nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("id = 1", name=op.f("ck_risk_signal_settings_single_row")),
        sa.ForeignKeyConstraint(
            ["updated_by_id"],
            ["users.id"],
            name=op.f("fk_risk_signal_settings_updated_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_risk_signal_settings")),
    )
    op.create_table(
        "weekly_digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column(
            "created_at", UTC_DATETIME, server_default=sa.text("CURRENT_TIMESTAMP"), nullable=False
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_weekly_digests_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_weekly_digests")),
        sa.UniqueConstraint("user_id", "week", name=op.f("uq_weekly_digests_user_id_week")),
    )


def downgrade() -> None:
    op.drop_table("weekly_digests")
    op.drop_table("risk_signal_settings")
    # Dropped in place: recreating the table would trip the foreign keys pointing at it.
    with op.batch_alter_table("users", recreate="never") as batch:
        batch.drop_column("weekly_digest")
