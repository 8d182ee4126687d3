"""Return-type policies keep numbered versions

Revision ID: 0022_policy_versions
Revises: 0021_vocabulary_checks
Create Date: 2026-12-06 23:30:00.000000

Every return type gets version 1 holding the policy stored today (no author: it predates
versions). Column types are frozen here; the models are not imported. Self-contained: it
creates one table and touches no other.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0022_policy_versions"
down_revision: str | None = "0021_vocabulary_checks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DOCUMENT = sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql")
FIRST_NOTE = "The policy as it stood when versions began."


def upgrade() -> None:
    op.create_table(
        "policy_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("return_type_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("params", DOCUMENT, nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("restored_from", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.CheckConstraint("number >= 1", name=op.f("ck_policy_versions_number_positive")),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_policy_versions_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["return_type_id"],
            ["return_types.id"],
            name=op.f("fk_policy_versions_return_type_id_return_types"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_versions")),
        sa.UniqueConstraint(
            "return_type_id", "number", name=op.f("uq_policy_versions_return_type_id_number")
        ),
    )
    _first_versions()


def _first_versions() -> None:
    """Version 1 of every return type: its policy as stored now."""
    return_types = sa.table(
        "return_types", sa.column("id", sa.Integer), sa.column("policy", DOCUMENT)
    )
    versions = sa.table(
        "policy_versions",
        sa.column("return_type_id", sa.Integer),
        sa.column("number", sa.Integer),
        sa.column("params", DOCUMENT),
        sa.column("note", sa.String),
    )
    bind = op.get_bind()
    rows = bind.execute(sa.select(return_types.c.id, return_types.c.policy)).all()
    if rows:
        op.bulk_insert(
            versions,
            [
                {"return_type_id": id_, "number": 1, "params": policy or {}, "note": FIRST_NOTE}
                for id_, policy in rows
            ],
        )


def downgrade() -> None:
    op.drop_table("policy_versions")
