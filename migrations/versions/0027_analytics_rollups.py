"""Analytics rollups, and when orders and their lines last changed

Revision ID: 0027_analytics_rollups
Revises: 0026_risk_signals
Create Date: 2026-12-07 12:00:00.000000

Eight rollup tables (purchases and returns per month at four grains: product, brand,
account, and the whole distributor; see ``models/rollups.py``), the refresh's watermark,
``updated_at`` on orders and order lines (what a refresh sums again) and an index on
``rmas.updated_at``. Column types are frozen here; the models are not imported.

``updated_at`` is nullable: SQLite cannot add a column whose default is the current time
without copying the table, so rows older than the column hold NULL there; on PostgreSQL
they get the moment of the migration. Either way the first refresh sums everything.
The rollups start empty: ``rotaflow analytics refresh --full`` (or the worker's first
pass) fills them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027_analytics_rollups"
down_revision: str | None = "0026_risk_signals"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VALUE = sa.Numeric(18, 4)
MOMENT = sa.DateTime(timezone=True)

# Each rollup: its key columns in primary-key order, and a carried (non-key) brand.
KEYS = {
    "month": sa.Date,
    "account_id": sa.Integer,
    "product_id": sa.Integer,
    "brand": lambda: sa.String(80),
    "return_type_id": sa.Integer,
    "reason": lambda: sa.String(80),
    "currency": lambda: sa.String(3),
}
ROLLUPS = {
    "analytics_purchases": (["month", "account_id", "product_id", "currency"], True),
    "analytics_brand_purchases": (["month", "account_id", "brand", "currency"], False),
    "analytics_account_purchases": (["month", "account_id", "currency"], False),
    "analytics_total_purchases": (["month", "brand", "currency"], False),
    "analytics_returns": (
        ["month", "account_id", "product_id", "return_type_id", "reason", "currency"],
        True,
    ),
    "analytics_brand_returns": (
        ["month", "account_id", "brand", "return_type_id", "reason", "currency"],
        False,
    ),
    "analytics_account_returns": (["month", "account_id", "currency"], False),
    "analytics_total_returns": (["month", "brand", "return_type_id", "reason", "currency"], False),
}
INDEXES = {
    "analytics_purchases": [["product_id", "month"]],
    "analytics_returns": [["brand", "month"]],
}
# Read from the index alone on PostgreSQL (the SKU ranking).
INCLUDED = {
    "analytics_purchases": ["account_id", "currency", "units", "value"],
    "analytics_returns": ["account_id", "product_id", "currency", "units", "value"],
}


def _rollup(name: str, keys: list[str], carries_brand: bool) -> None:
    columns = [sa.Column(key, KEYS[key](), nullable=False) for key in keys]
    if carries_brand:
        columns.append(sa.Column("brand", sa.String(80), nullable=False))
    op.create_table(
        name,
        *columns,
        sa.Column("units", sa.Integer(), nullable=False),
        sa.Column("value", VALUE, nullable=False),
        sa.PrimaryKeyConstraint(*keys, name=op.f(f"pk_{name}")),
    )
    for columns_ in INDEXES.get(name, []):
        op.create_index(
            op.f(f"ix_{name}_{'_'.join(columns_)}"),
            name,
            columns_,
            postgresql_include=INCLUDED[name],
        )
    if "account_id" in keys:
        op.create_index(op.f(f"ix_{name}_account_id_month"), name, ["account_id", "month"])


def upgrade() -> None:
    for name, (keys, carries_brand) in ROLLUPS.items():
        _rollup(name, keys, carries_brand)
    op.create_table(
        "analytics_watermarks",
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("changes_through", MOMENT, nullable=False),
        sa.Column("full_refresh_at", MOMENT, nullable=True),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_analytics_watermarks")),
    )
    _changed_at("orders")
    _changed_at("order_lines")
    op.create_index(op.f("ix_rmas_updated_at"), "rmas", ["updated_at"])


def _changed_at(table: str) -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    default = sa.text("CURRENT_TIMESTAMP") if postgres else None
    # In place on SQLite too (a nullable column without a default): no table copy.
    with op.batch_alter_table(table, recreate="never") as batch:
        batch.add_column(sa.Column("updated_at", MOMENT, nullable=True, server_default=default))
    op.create_index(op.f(f"ix_{table}_updated_at"), table, ["updated_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_rmas_updated_at"), table_name="rmas")
    for table in ("order_lines", "orders"):
        op.drop_index(op.f(f"ix_{table}_updated_at"), table_name=table)
        with op.batch_alter_table(table, recreate="never") as batch:
            batch.drop_column("updated_at")
    op.drop_table("analytics_watermarks")
    for name in ROLLUPS:
        op.drop_table(name)
