"""The resolution the retailer asked for, kept apart from the one staff chose at resolve

Revision ID: 0012_requested_resolution
Revises: 0011_receiving_guards
Create Date: 2026-12-06 03:00:00.000000

Until now submitting wrote the retailer's choice into ``rmas.resolution`` and resolving
overwrote it. RMAs not resolved yet still hold the retailer's choice there, so it is
copied; for RMAs already resolved the request is not known any more and stays empty.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012_requested_resolution"
down_revision: str | None = "0011_receiving_guards"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("rmas") as batch:
        batch.add_column(sa.Column("requested_resolution", sa.String(32), nullable=True))
    op.execute(
        "UPDATE rmas SET requested_resolution = resolution "
        "WHERE submitted_at IS NOT NULL AND resolution IS NOT NULL AND NOT EXISTS ("
        "SELECT 1 FROM rma_events WHERE rma_events.rma_id = rmas.id "
        "AND rma_events.trigger = 'resolve')"
    )


def downgrade() -> None:
    with op.batch_alter_table("rmas", recreate="never") as batch:
        batch.drop_column("requested_resolution")
