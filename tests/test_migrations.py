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
