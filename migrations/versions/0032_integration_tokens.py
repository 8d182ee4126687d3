"""Integration tokens: API tokens of the distributor or of one retailer account, not of a
person

Revision ID: 0032_integration_tokens
Revises: 0031_webhooks
Create Date: 2026-12-07 19:30:00.000000

Column types are frozen here; the models are not imported. Existing tokens are all
personal: the new ``kind`` column defaults them so; who made them is not known (the command
line made some), so ``created_by_id`` stays empty for them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0032_integration_tokens"
down_revision: str | None = "0031_webhooks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("personal", "distributor", "account")


def upgrade() -> None:
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "kind",
                sa.Enum(*KINDS, name="api_token_kind", native_enum=False, create_constraint=True),
                nullable=False,
                server_default="personal",
            )
        )
        batch_op.add_column(sa.Column("account_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("created_by_id", sa.Integer(), nullable=True))
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(
            op.f("fk_api_tokens_account_id_retailer_accounts"),
            "retailer_accounts",
            ["account_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.create_foreign_key(
            op.f("fk_api_tokens_created_by_id_users"),
            "users",
            ["created_by_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.create_index("ix_api_tokens_account_id", ["account_id"], unique=False)
        batch_op.create_check_constraint(
            op.f("ck_api_tokens_personal_has_user"), "(kind = 'personal') = (user_id IS NOT NULL)"
        )
        batch_op.create_check_constraint(
            op.f("ck_api_tokens_account_token"), "(kind = 'account') = (account_id IS NOT NULL)"
        )
    # The default was for the rows already there; new rows name their kind.
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.alter_column("kind", existing_type=sa.String(length=11), server_default=None)


def downgrade() -> None:
    # Integration tokens have no user to fall back on: they go.
    op.execute("DELETE FROM api_tokens WHERE kind <> 'personal'")
    with op.batch_alter_table("api_tokens", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_api_tokens_api_token_kind"), type_="check")
        batch_op.drop_constraint(op.f("ck_api_tokens_account_token"), type_="check")
        batch_op.drop_constraint(op.f("ck_api_tokens_personal_has_user"), type_="check")
        batch_op.drop_index("ix_api_tokens_account_id")
        batch_op.drop_constraint(op.f("fk_api_tokens_created_by_id_users"), type_="foreignkey")
        batch_op.drop_constraint(
            op.f("fk_api_tokens_account_id_retailer_accounts"), type_="foreignkey"
        )
        batch_op.alter_column("user_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("created_by_id")
        batch_op.drop_column("account_id")
        batch_op.drop_column("kind")
