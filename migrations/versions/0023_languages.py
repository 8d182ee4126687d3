"""Users, accounts and the distributor get a language; users and the distributor a time zone

Revision ID: 0023_languages
Revises: 0022_policy_versions
Create Date: 2026-12-07 02:40:00.000000

All new columns are nullable: nothing chosen means "follow the next default" (see
portal.i18n), so existing rows need no value.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_languages"
down_revision: str | None = "0022_policy_versions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = {
    "users": ("locale", "time_zone"),
    "retailer_accounts": ("locale",),
    "distributor_profiles": ("locale", "time_zone"),
}
LENGTHS = {"locale": 8, "time_zone": 64}


def upgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column in columns:
                batch.add_column(sa.Column(column, sa.String(LENGTHS[column]), nullable=True))


def downgrade() -> None:
    for table, columns in COLUMNS.items():
        with op.batch_alter_table(table) as batch:
            for column in reversed(columns):
                batch.drop_column(column)
