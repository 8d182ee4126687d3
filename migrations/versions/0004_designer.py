"""Designer: saved simulation scenarios

Revision ID: 0004_designer
Revises: 0003
Create Date: 2026-11-22 03:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004_designer"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "simulation_scenarios",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("return_type_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column(
            "settings",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["retailer_accounts.id"],
            name=op.f("fk_simulation_scenarios_account_id_retailer_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_simulation_scenarios_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["return_type_id"],
            ["return_types.id"],
            name=op.f("fk_simulation_scenarios_return_type_id_return_types"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_simulation_scenarios")),
        sa.UniqueConstraint("name", name=op.f("uq_simulation_scenarios_name")),
    )
    op.create_index(
        op.f("ix_simulation_scenarios_account_id"),
        "simulation_scenarios",
        ["account_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_simulation_scenarios_return_type_id"),
        "simulation_scenarios",
        ["return_type_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_simulation_scenarios_return_type_id"), table_name="simulation_scenarios")
    op.drop_index(op.f("ix_simulation_scenarios_account_id"), table_name="simulation_scenarios")
    op.drop_table("simulation_scenarios")
