"""Models and migrations agree, and migrations run both ways."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

import models
from portal import migrations as schema
from tests.conftest import POSTGRES_URL, skip_or_fail


def test_autogenerate_finds_no_difference(connection):
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    differences = compare_metadata(context, models.Base.metadata)
    assert differences == []


@pytest.fixture
def scratch_postgres_url():
    """A throwaway PostgreSQL database beside the test database."""
    if not POSTGRES_URL:
        skip_or_fail("ROTAFLOW_TEST_DATABASE_URL is not set")
    url = make_url(POSTGRES_URL)
    scratch = url.set(database=f"{url.database}_migrations")
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}"'))
        connection.execute(text(f'CREATE DATABASE "{scratch.database}"'))
    yield scratch.render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{scratch.database}" WITH (FORCE)'))
    admin.dispose()


@pytest.mark.postgres_only
def test_upgrade_downgrade_upgrade_on_postgresql(scratch_postgres_url):
    schema.upgrade(scratch_postgres_url)
    engine = create_engine(scratch_postgres_url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert set(models.Base.metadata.tables) <= tables

        schema.downgrade(scratch_postgres_url, "base")
        inspector = inspect(engine)
        assert set(inspector.get_table_names()) == {"alembic_version"}

        schema.upgrade(scratch_postgres_url)
        assert set(models.Base.metadata.tables) <= set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_migrations_form_one_line():
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(schema.alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1, "two migrations branch from one revision: linearise"


# Tables whose rows a migration must carry through, however it rebuilds them.
KEPT = (
    "retailer_accounts",
    "rmas",
    "rma_lines",
    "rma_events",
    "inspection_results",
    "credit_memos",
    "credit_memo_lines",
    "ledger_entries",
    "order_lines",
)


def test_a_sqlite_database_holding_data_migrates_down_and_up_keeping_every_row(tmp_path):
    """SQLite alters a table by copying it and dropping the original, which rows of other
    tables reference; on a database with data (``make run`` keeps one) every migration must
    still run both ways and lose nothing."""
    from sqlalchemy.orm import Session

    from portal.db import make_engine
    from portal.demo import load_demo

    url = f"sqlite:///{tmp_path / 'rotaflow.sqlite3'}"
    schema.upgrade(url)
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            load_demo(session)
            session.commit()
        before = _counts(engine)
        assert before["credit_memo_lines"]  # rows that reference rma_lines

        schema.downgrade(url, "0010_count_indexes")
        assert _counts(engine) == before
        schema.upgrade(url)
        assert _counts(engine) == before
        with engine.connect() as connection:
            assert connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    finally:
        engine.dispose()


def _counts(engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {
            table: connection.exec_driver_sql(f"SELECT count(*) FROM {table}").scalar_one()
            for table in KEPT
        }
