"""Retailers answer a feedback survey after an RMA is resolved

Revision ID: 0025_feedback_survey
Revises: 0024_return_type_translations
Create Date: 2026-12-07 12:00:00.000000

One answer per RMA (a unique key), its rating held to 1–5, its tags one row each held to
the vocabulary of the day (frozen here; the models are not imported). Self-contained: it
creates two tables and touches no other.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025_feedback_survey"
down_revision: str | None = "0024_return_type_translations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TAGS = (
    "quick_approval",
    "clear_instructions",
    "fair_credit",
    "fast_credit",
    "helpful_rep",
    "slow_approval",
    "unclear_rules",
    "low_credit",
    "slow_credit",
    "label_problems",
)


def _timestamp(name: str) -> sa.Column:
    return sa.Column(
        name,
        sa.DateTime(timezone=True),
        server_default=sa.text("CURRENT_TIMESTAMP"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "feedback_answers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rma_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", sa.String(length=2000), nullable=False),
        sa.Column("answered_by_id", sa.Integer(), nullable=True),
        _timestamp("created_at"),
        _timestamp("updated_at"),
        sa.CheckConstraint(
            "rating >= 1 AND rating <= 5", name=op.f("ck_feedback_answers_rating_range")
        ),
        sa.ForeignKeyConstraint(
            ["rma_id"],
            ["rmas.id"],
            name=op.f("fk_feedback_answers_rma_id_rmas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["answered_by_id"],
            ["users.id"],
            name=op.f("fk_feedback_answers_answered_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_feedback_answers")),
        sa.UniqueConstraint("rma_id", name=op.f("uq_feedback_answers_rma_id")),
    )
    op.create_index(
        op.f("ix_feedback_answers_created_at"), "feedback_answers", ["created_at"], unique=False
    )
    op.create_table(
        "feedback_answer_tags",
        sa.Column("answer_id", sa.Integer(), nullable=False),
        sa.Column(
            "tag",
            sa.Enum(
                *TAGS,
                name="feedback_tag",
                native_enum=False,
                create_constraint=True,
                length=32,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["answer_id"],
            ["feedback_answers.id"],
            name=op.f("fk_feedback_answer_tags_answer_id_feedback_answers"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("answer_id", "tag", name=op.f("pk_feedback_answer_tags")),
    )


def downgrade() -> None:
    op.drop_table("feedback_answer_tags")
    op.drop_index(op.f("ix_feedback_answers_created_at"), table_name="feedback_answers")
    op.drop_table("feedback_answers")
