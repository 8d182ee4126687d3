"""Indexes for the large data set: product search, RMA queues, the approval queue

Revision ID: 0009_scale_indexes
Revises: 0008_session_epoch
Create Date: 2026-12-04 22:00:00.000000

Each is justified by EXPLAIN ANALYZE on ``rotaflow demo --scale large`` (see
docs/performance.md): product search by part of a SKU, brand or model (trigram GIN on
PostgreSQL), queues of RMAs newest first, and the RMAs waiting on an approver.
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op

revision: str = "0009_scale_indexes"
down_revision: str | None = "0008_session_epoch"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WAITING = "approver_user_id IS NOT NULL OR approver_role IS NOT NULL"
SEARCHED = ("sku", "brand", "model")


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        # A trusted extension since PostgreSQL 13: the database owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    with _without_blocking_writes(postgres):
        # On SQLite (development) a plain index, unused, so that models and migrations agree.
        op.create_index(
            "ix_products_search",
            "products",
            list(SEARCHED),
            postgresql_using="gin",
            postgresql_ops=dict.fromkeys(SEARCHED, "gin_trgm_ops"),
            postgresql_with={"fastupdate": "off"},
            postgresql_concurrently=postgres,
        )
        op.create_index(
            "ix_rmas_created_at_id", "rmas", ["created_at", "id"], postgresql_concurrently=postgres
        )
        op.create_index(
            "ix_rmas_waiting_due_at",
            "rmas",
            ["due_at", "id"],
            postgresql_where=sa.text(WAITING),
            sqlite_where=sa.text(WAITING),
            postgresql_concurrently=postgres,
        )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    with _without_blocking_writes(postgres):
        for name, table in (
            ("ix_rmas_waiting_due_at", "rmas"),
            ("ix_rmas_created_at_id", "rmas"),
            ("ix_products_search", "products"),
        ):
            op.drop_index(name, table_name=table, postgresql_concurrently=postgres)
    # pg_trgm stays installed: something else may have come to use it meanwhile.


@contextmanager
def _without_blocking_writes(postgres: bool) -> Iterator[None]:
    """On PostgreSQL, build indexes CONCURRENTLY, which must run outside a transaction:
    the running release keeps writing RMAs and products meanwhile."""
    if not postgres:
        yield
        return
    with op.get_context().autocommit_block():
        yield
