"""Process rollups: state visits, submissions, gradings and credit buckets, and their marks

Revision ID: 0028_flow_rollups
Revises: 0027_analytics_rollups
Create Date: 2026-12-07 12:00:00.000000

The tables start empty with no watermark: the worker's first refresh reads the whole event
log, inspection results and credit memos (``portal.analytics.flow_refresh``). Column types
are frozen here; the models are not imported.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0028_flow_rollups"
down_revision: str | None = "0027_analytics_rollups"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DECISIONS = "approval_step IS NOT NULL"


def upgrade() -> None:
    op.create_table(
        "flow_rollup_marks",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("last_id", sa.Integer(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_flow_rollup_marks")),
    )
    op.create_table(
        "flow_credit_months",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("return_type_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("documents", sa.Integer(), nullable=False),
        sa.Column("amount", sa.Numeric(precision=16, scale=2), nullable=False),
        sa.CheckConstraint(
            "kind IN ('credit_memo', 'adjustment', 'reversal')",
            name=op.f("ck_flow_credit_months_kind_known"),
        ),
        sa.CheckConstraint("documents > 0", name=op.f("ck_flow_credit_months_documents_positive")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["retailer_accounts.id"],
            name=op.f("fk_flow_credit_months_account_id_retailer_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["return_type_id"],
            ["return_types.id"],
            name=op.f("fk_flow_credit_months_return_type_id_return_types"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flow_credit_months")),
        sa.UniqueConstraint(
            "account_id",
            "return_type_id",
            "month",
            "currency",
            "kind",
            name=op.f("uq_flow_credit_months_account_id_return_type_id_month_currency_kind"),
        ),
    )
    with op.batch_alter_table("flow_credit_months", schema=None) as batch_op:
        batch_op.create_index(
            "ix_flow_credit_months_month",
            ["month"],
            unique=False,
            postgresql_include=["account_id", "return_type_id", "currency", "kind", "amount"],
        )

    op.create_table(
        "flow_grade_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("rma_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("return_type_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("grade", sa.String(length=20), nullable=False),
        sa.Column("disposition", sa.String(length=32), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "disposition IN ('restock', 'b_stock', 'refurbish', 'return_to_manufacturer', 'scrap')",
            name=op.f("ck_flow_grade_results_disposition_known"),
        ),
        sa.CheckConstraint(
            "grade IN ('new', 'open_packaging', 'used', 'lightly_damaged', "
            "'heavily_damaged', 'defective')",
            name=op.f("ck_flow_grade_results_grade_known"),
        ),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_flow_grade_results_quantity_positive")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["retailer_accounts.id"],
            name=op.f("fk_flow_grade_results_account_id_retailer_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["return_type_id"],
            ["return_types.id"],
            name=op.f("fk_flow_grade_results_return_type_id_return_types"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rma_id"],
            ["rmas.id"],
            name=op.f("fk_flow_grade_results_rma_id_rmas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flow_grade_results")),
        sa.UniqueConstraint(
            "rma_id",
            "month",
            "grade",
            "disposition",
            name=op.f("uq_flow_grade_results_rma_id_month_grade_disposition"),
        ),
    )
    with op.batch_alter_table("flow_grade_results", schema=None) as batch_op:
        batch_op.create_index("ix_flow_grade_results_account_id", ["account_id"], unique=False)
        batch_op.create_index(
            "ix_flow_grade_results_month",
            ["month"],
            unique=False,
            postgresql_include=["account_id", "return_type_id", "grade", "disposition", "quantity"],
        )

    op.create_table(
        "flow_submissions",
        sa.Column("rma_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("return_type_id", sa.Integer(), nullable=False),
        sa.Column("submitted_month", sa.Date(), nullable=False),
        sa.Column("exception_requested", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["retailer_accounts.id"],
            name=op.f("fk_flow_submissions_account_id_retailer_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["return_type_id"],
            ["return_types.id"],
            name=op.f("fk_flow_submissions_return_type_id_return_types"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rma_id"],
            ["rmas.id"],
            name=op.f("fk_flow_submissions_rma_id_rmas"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("rma_id", name=op.f("pk_flow_submissions")),
    )
    with op.batch_alter_table("flow_submissions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_flow_submissions_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            "ix_flow_submissions_submitted_month",
            ["submitted_month"],
            unique=False,
            postgresql_include=["account_id", "return_type_id", "exception_requested"],
        )

    op.create_table(
        "flow_state_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("leaving_event_id", sa.Integer(), nullable=False),
        sa.Column("rma_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("return_type_id", sa.Integer(), nullable=False),
        sa.Column("workflow_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=64), nullable=False),
        sa.Column("approval_step", sa.Integer(), nullable=True),
        sa.Column("entered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("left_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duration_seconds", sa.Integer(), nullable=False),
        sa.Column("left_month", sa.Date(), nullable=False),
        sa.Column("trigger", sa.String(length=64), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "duration_seconds >= 0", name=op.f("ck_flow_state_visits_duration_not_negative")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["retailer_accounts.id"],
            name=op.f("fk_flow_state_visits_account_id_retailer_accounts"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["users.id"],
            name=op.f("fk_flow_state_visits_actor_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["leaving_event_id"],
            ["rma_events.id"],
            name=op.f("fk_flow_state_visits_leaving_event_id_rma_events"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["return_type_id"],
            ["return_types.id"],
            name=op.f("fk_flow_state_visits_return_type_id_return_types"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["rma_id"],
            ["rmas.id"],
            name=op.f("fk_flow_state_visits_rma_id_rmas"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["workflow_id"],
            ["workflows.id"],
            name=op.f("fk_flow_state_visits_workflow_id_workflows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_flow_state_visits")),
        sa.UniqueConstraint("leaving_event_id", name=op.f("uq_flow_state_visits_leaving_event_id")),
    )
    with op.batch_alter_table("flow_state_visits", schema=None) as batch_op:
        batch_op.create_index("ix_flow_state_visits_account_id", ["account_id"], unique=False)
        batch_op.create_index(
            "ix_flow_state_visits_left_month_state",
            ["left_month", "workflow_id", "state"],
            unique=False,
            postgresql_include=["duration_seconds", "account_id", "return_type_id"],
        )
        batch_op.create_index(batch_op.f("ix_flow_state_visits_rma_id"), ["rma_id"], unique=False)
        batch_op.create_index(
            "ix_flow_state_visits_decisions",
            ["left_month"],
            unique=False,
            postgresql_where=sa.text(DECISIONS),
            sqlite_where=sa.text(DECISIONS),
            postgresql_include=[
                "account_id",
                "return_type_id",
                "workflow_id",
                "approval_step",
                "state",
                "trigger",
                "actor_id",
                "left_at",
                "due_at",
            ],
        )


def downgrade() -> None:
    with op.batch_alter_table("flow_state_visits", schema=None) as batch_op:
        batch_op.drop_index("ix_flow_state_visits_decisions")
        batch_op.drop_index(batch_op.f("ix_flow_state_visits_rma_id"))
        batch_op.drop_index(
            "ix_flow_state_visits_left_month_state",
            postgresql_include=["duration_seconds", "account_id", "return_type_id"],
        )
        batch_op.drop_index("ix_flow_state_visits_account_id")

    op.drop_table("flow_state_visits")
    with op.batch_alter_table("flow_submissions", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_flow_submissions_submitted_month",
            postgresql_include=["account_id", "return_type_id", "exception_requested"],
        )
        batch_op.drop_index(batch_op.f("ix_flow_submissions_account_id"))

    op.drop_table("flow_submissions")
    with op.batch_alter_table("flow_grade_results", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_flow_grade_results_month",
            postgresql_include=["account_id", "return_type_id", "grade", "disposition", "quantity"],
        )
        batch_op.drop_index("ix_flow_grade_results_account_id")

    op.drop_table("flow_grade_results")
    with op.batch_alter_table("flow_credit_months", schema=None) as batch_op:
        batch_op.drop_index(
            "ix_flow_credit_months_month",
            postgresql_include=["account_id", "return_type_id", "currency", "kind", "amount"],
        )

    op.drop_table("flow_credit_months")
    op.drop_table("flow_rollup_marks")
