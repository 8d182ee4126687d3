"""Ledger documents: adjustments, reversals, refunds; the distributor profile; account tax

Revision ID: 0013_ledger_documents
Revises: 0012_requested_resolution
Create Date: 2026-12-06 03:00:00.000000

Credit memos gain a kind (credit memo, adjustment, reversal), the original they correct and
why, and the tax rate they were issued at. "One credit memo per RMA" becomes a partial
unique index on the credit memos proper; a memo is reversed at most once. Refunds record
money paid out against a memo and write a ledger entry of their own. The distributor's
profile (one row) is the documents' letterhead; accounts gain a VAT number and tax rate.

SQLite rebuilds a table to change its constraints, which drops its triggers: the
append-only triggers of the rebuilt tables are dropped first and written again after.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0013_ledger_documents"
down_revision: str | None = "0012_requested_resolution"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

MESSAGE = "credit memos and ledger entries are append-only"
REBUILT = ("credit_memos", "ledger_entries")
TAX_RATE_RANGE = "tax_rate_percent >= 0 AND tax_rate_percent <= 100"
ORIGINAL_REFERENCE = (
    "(kind = 'credit_memo' AND original_memo_id IS NULL) OR "
    "(kind <> 'credit_memo' AND original_memo_id IS NOT NULL AND reason IS NOT NULL)"
)


def _sqlite_triggers(tables, create: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in tables:
        for verb in ("UPDATE", "DELETE"):
            name = f"{table}_no_{verb.lower()}"
            if create:
                op.execute(
                    f"CREATE TRIGGER {name} BEFORE {verb} ON {table} "
                    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"
                )
            else:
                op.execute(f"DROP TRIGGER {name}")


def _append_only_refunds(create: bool) -> None:
    if op.get_bind().dialect.name == "postgresql":
        if create:
            op.execute(
                "CREATE TRIGGER refunds_append_only BEFORE UPDATE OR DELETE ON refunds "
                "FOR EACH ROW EXECUTE FUNCTION ledger_append_only()"
            )
        else:
            op.execute("DROP TRIGGER refunds_append_only ON refunds")
    else:
        _sqlite_triggers(["refunds"], create)


def upgrade() -> None:
    _sqlite_triggers(REBUILT, create=False)
    op.create_table(
        "distributor_profiles",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("legal_name", sa.String(length=200), nullable=False),
        sa.Column("street", sa.String(length=200), nullable=False),
        sa.Column("postal_code", sa.String(length=20), nullable=False),
        sa.Column("city", sa.String(length=100), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("vat_number", sa.String(length=32), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_distributor_profiles_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_distributor_profiles")),
    )
    with op.batch_alter_table("retailer_accounts") as batch:
        batch.add_column(sa.Column("vat_number", sa.String(length=32), nullable=True))
        batch.add_column(
            sa.Column(
                "tax_rate_percent",
                sa.Numeric(precision=5, scale=2),
                server_default="0",
                nullable=False,
            )
        )
        batch.create_check_constraint(
            op.f("ck_retailer_accounts_tax_rate_percent_range"), TAX_RATE_RANGE
        )
    with op.batch_alter_table("credit_memos") as batch:
        batch.add_column(
            sa.Column(
                "kind",
                sa.Enum(
                    "credit_memo",
                    "adjustment",
                    "reversal",
                    name="memo_kind",
                    native_enum=False,
                    create_constraint=True,
                ),
                server_default="credit_memo",
                nullable=False,
            )
        )
        batch.add_column(sa.Column("original_memo_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("reason", sa.String(length=500), nullable=True))
        batch.add_column(
            sa.Column(
                "terms",
                sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
                nullable=True,
            )
        )
        batch.add_column(
            sa.Column(
                "tax_rate_percent",
                sa.Numeric(precision=5, scale=2),
                server_default="0",
                nullable=False,
            )
        )
        batch.create_foreign_key(
            op.f("fk_credit_memos_original_memo_id_credit_memos"),
            "credit_memos",
            ["original_memo_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch.create_check_constraint(
            op.f("ck_credit_memos_original_reference"), ORIGINAL_REFERENCE
        )
        batch.create_check_constraint(
            op.f("ck_credit_memos_tax_rate_percent_range"), TAX_RATE_RANGE
        )
        batch.drop_constraint(op.f("uq_credit_memos_rma_id"), type_="unique")
        batch.create_index(op.f("ix_credit_memos_rma_id"), ["rma_id"], unique=False)
        batch.create_index(
            "uq_credit_memos_rma_id_credit_memo",
            ["rma_id"],
            unique=True,
            postgresql_where=sa.text("kind = 'credit_memo'"),
            sqlite_where=sa.text("kind = 'credit_memo'"),
        )
        batch.create_index(
            "uq_credit_memos_original_memo_id_reversal",
            ["original_memo_id"],
            unique=True,
            postgresql_where=sa.text("kind = 'reversal'"),
            sqlite_where=sa.text("kind = 'reversal'"),
        )
    op.create_table(
        "refunds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("credit_memo_id", sa.Integer(), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column(
            "method",
            sa.Enum(
                "bank_transfer",
                "card",
                "cheque",
                "cash",
                name="refund_method",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("reference", sa.String(length=100), nullable=False),
        sa.Column("paid_on", sa.Date(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("CURRENT_TIMESTAMP"),
            nullable=False,
        ),
        sa.CheckConstraint("amount > 0", name=op.f("ck_refunds_amount_positive")),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["retailer_accounts.id"],
            name=op.f("fk_refunds_account_id_retailer_accounts"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_refunds_created_by_id_users"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["credit_memo_id"],
            ["credit_memos.id"],
            name=op.f("fk_refunds_credit_memo_id_credit_memos"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_refunds")),
        sa.UniqueConstraint("number", name=op.f("uq_refunds_number")),
    )
    op.create_index(op.f("ix_refunds_account_id"), "refunds", ["account_id"], unique=False)
    op.create_index(op.f("ix_refunds_credit_memo_id"), "refunds", ["credit_memo_id"], unique=False)
    with op.batch_alter_table("ledger_entries") as batch:
        batch.add_column(sa.Column("refund_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_ledger_entries_refund_id_refunds"),
            "refunds",
            ["refund_id"],
            ["id"],
            ondelete="RESTRICT",
        )
        batch.create_unique_constraint(op.f("uq_ledger_entries_refund_id"), ["refund_id"])
        batch.create_check_constraint(
            op.f("ck_ledger_entries_one_document"), "credit_memo_id IS NULL OR refund_id IS NULL"
        )
    _append_only_refunds(create=True)
    _sqlite_triggers(REBUILT, create=True)


def downgrade() -> None:
    _sqlite_triggers(REBUILT, create=False)
    _append_only_refunds(create=False)
    with op.batch_alter_table("ledger_entries") as batch:
        batch.drop_constraint(op.f("ck_ledger_entries_one_document"), type_="check")
        batch.drop_constraint(op.f("uq_ledger_entries_refund_id"), type_="unique")
        batch.drop_constraint(op.f("fk_ledger_entries_refund_id_refunds"), type_="foreignkey")
        batch.drop_column("refund_id")
    op.drop_index(op.f("ix_refunds_credit_memo_id"), table_name="refunds")
    op.drop_index(op.f("ix_refunds_account_id"), table_name="refunds")
    op.drop_table("refunds")
    with op.batch_alter_table("credit_memos") as batch:
        batch.drop_index("uq_credit_memos_original_memo_id_reversal")
        batch.drop_index("uq_credit_memos_rma_id_credit_memo")
        batch.drop_index(op.f("ix_credit_memos_rma_id"))
        batch.create_unique_constraint(op.f("uq_credit_memos_rma_id"), ["rma_id"])
        batch.drop_constraint(op.f("ck_credit_memos_tax_rate_percent_range"), type_="check")
        batch.drop_constraint(op.f("ck_credit_memos_original_reference"), type_="check")
        batch.drop_constraint(op.f("ck_credit_memos_memo_kind"), type_="check")
        batch.drop_constraint(
            op.f("fk_credit_memos_original_memo_id_credit_memos"), type_="foreignkey"
        )
        batch.drop_column("tax_rate_percent")
        batch.drop_column("terms")
        batch.drop_column("reason")
        batch.drop_column("original_memo_id")
        batch.drop_column("kind")
    with op.batch_alter_table("retailer_accounts") as batch:
        batch.drop_constraint(op.f("ck_retailer_accounts_tax_rate_percent_range"), type_="check")
        batch.drop_column("tax_rate_percent")
        batch.drop_column("vat_number")
    op.drop_table("distributor_profiles")
    _sqlite_triggers(REBUILT, create=True)
