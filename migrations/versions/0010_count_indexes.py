"""Indexes that answer queues, balances, policy history and invoice search from the index

Revision ID: 0010_count_indexes
Revises: 0009_scale_indexes
Create Date: 2026-12-05 01:00:00.000000

Justified by EXPLAIN ANALYZE on ``rotaflow demo --scale large`` (docs/performance.md):
counting the RMAs a receiving queue waits on read 6,000–10,000 rows of ``rmas`` to find
1,000 in the queue's states (1.2–1.8 ms); ``(state, workflow_version_id)`` answers from
the index (0.2 ms) and serves every query ``ix_rmas_state`` served, which it replaces. An
account's balances summed 300 ledger entries from the table (1.1 ms); ``(account_id,
currency) INCLUDE (amount)`` sums them from the index (0.2 ms). The policy's history of
an account (allowance used, requests in the period, last submission: on every live
evaluation of a draft and at submit) read 500–1,000 of the account's RMAs from the table
(1.9 ms); ``(account_id, return_type_id, submitted_at) INCLUDE (state, total_value, id)``
answers from the index (0.2 ms). Every order-history search looks for the text in the
account's invoice numbers: ``(account_id) INCLUDE (invoice_number, id)`` tests the 800
numbers of a busy account without visiting the table (1.1 -> 0.4 ms). A search for a
model counts the account's lines of its few products: ``order_lines (product_id) INCLUDE
(order_id)`` in place of ``(product_id)`` answers from the index instead of fetching
2,300 lines from all over the table (2.6 -> 0.9 ms).
"""

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from alembic import op

revision: str = "0010_count_indexes"
down_revision: str | None = "0009_scale_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    with _without_blocking_writes(postgres):
        # The new index first: the running release's queries never go without one.
        op.create_index(
            "ix_rmas_state_workflow_version_id",
            "rmas",
            ["state", "workflow_version_id"],
            postgresql_concurrently=postgres,
        )
        op.drop_index("ix_rmas_state", table_name="rmas", postgresql_concurrently=postgres)
        op.create_index(
            "ix_ledger_entries_account_id_currency",
            "ledger_entries",
            ["account_id", "currency"],
            postgresql_include=["amount"],
            postgresql_concurrently=postgres,
        )
        op.create_index(
            "ix_rmas_policy_history",
            "rmas",
            ["account_id", "return_type_id", "submitted_at"],
            postgresql_include=["state", "total_value", "id"],
            postgresql_concurrently=postgres,
        )
        op.create_index(
            "ix_orders_account_id_invoice_numbers",
            "orders",
            ["account_id"],
            postgresql_include=["invoice_number", "id"],
            postgresql_concurrently=postgres,
        )
        op.create_index(
            "ix_order_lines_product_id_covering",
            "order_lines",
            ["product_id"],
            postgresql_include=["order_id"],
            postgresql_concurrently=postgres,
        )
        op.drop_index(
            "ix_order_lines_product_id", table_name="order_lines", postgresql_concurrently=postgres
        )


def downgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    with _without_blocking_writes(postgres):
        op.create_index(
            "ix_order_lines_product_id",
            "order_lines",
            ["product_id"],
            postgresql_concurrently=postgres,
        )
        op.drop_index(
            "ix_order_lines_product_id_covering",
            table_name="order_lines",
            postgresql_concurrently=postgres,
        )
        op.drop_index(
            "ix_orders_account_id_invoice_numbers",
            table_name="orders",
            postgresql_concurrently=postgres,
        )
        op.drop_index("ix_rmas_policy_history", table_name="rmas", postgresql_concurrently=postgres)
        op.drop_index(
            "ix_ledger_entries_account_id_currency",
            table_name="ledger_entries",
            postgresql_concurrently=postgres,
        )
        op.create_index("ix_rmas_state", "rmas", ["state"], postgresql_concurrently=postgres)
        op.drop_index(
            "ix_rmas_state_workflow_version_id", table_name="rmas", postgresql_concurrently=postgres
        )


@contextmanager
def _without_blocking_writes(postgres: bool) -> Iterator[None]:
    """On PostgreSQL, build and drop indexes CONCURRENTLY, outside a transaction: the
    running release keeps writing RMAs and ledger entries meanwhile."""
    if not postgres:
        yield
        return
    with op.get_context().autocommit_block():
        yield
