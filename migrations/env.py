"""Alembic environment. Run through ``rotaflow db …``, which supplies the database URL."""

from __future__ import annotations

from typing import Any

from alembic import context
from sqlalchemy import Connection

import models
from models.base import UTCDateTime
from portal.db import make_engine

config = context.config
target_metadata = models.Base.metadata


def run_migrations(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite alters tables by copying them; batch mode does that for us.
        render_as_batch=sqlite,
        compare_type=True,
        render_item=_frozen_type,
    )
    # Copying a table drops the original, which rows of other tables still reference: with
    # foreign keys enforced, SQLite refuses that on any database holding data. They are
    # switched off around the migration (only possible outside a transaction) and checked
    # before it commits, so a migration can never leave a dangling reference behind.
    relax_foreign_keys = sqlite and not connection.in_transaction()
    if relax_foreign_keys:
        _pragma(connection, "foreign_keys = OFF")
    try:
        with context.begin_transaction():
            context.run_migrations()
            if relax_foreign_keys:
                _check_foreign_keys(connection)
    finally:
        if relax_foreign_keys:
            _pragma(connection, "foreign_keys = ON")


def _frozen_type(kind: str, obj: Any, autogen_context: Any) -> str | bool:
    """Autogenerate writes plain SQLAlchemy types: a migration never imports the models,
    whose types may change after it is written."""
    if kind == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def _pragma(connection: Connection, setting: str) -> None:
    # On the driver's connection: through SQLAlchemy it would open a transaction first.
    connection.connection.driver_connection.execute(f"PRAGMA {setting}")


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = sorted({row[0] for row in broken})
        raise RuntimeError(f"the migration left rows with dangling references in {tables}")


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url"))
    try:
        with engine.connect() as connection:
            run_migrations(connection)
    finally:
        engine.dispose()


if context.is_offline_mode():
    raise SystemExit("Offline (SQL script) migrations are not supported; run against a database.")
run_online()
