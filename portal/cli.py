"""The ``rotaflow`` command: everything an operator does."""

from __future__ import annotations

import click
from alembic import command
from flask import current_app
from flask.cli import FlaskGroup

from portal import create_app
from portal import migrations as schema


@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False)
def main() -> None:
    """Rotaflow: returns and stock rotation for distributors."""


@main.group()
def db() -> None:
    """Database schema migrations."""


@db.command()
@click.argument("revision", default="heads")
def upgrade(revision: str) -> None:
    """Migrate the database up to REVISION (default: every head)."""
    schema.upgrade(current_app.config["DATABASE_URL"], revision)
    click.echo(f"Database at {revision}.")


@db.command()
@click.argument("revision")
def downgrade(revision: str) -> None:
    """Migrate the database down to REVISION."""
    schema.downgrade(current_app.config["DATABASE_URL"], revision)


@db.command()
@click.option("-m", "--message", required=True)
def revision(message: str) -> None:
    """Create a migration from the difference between models and database (developers)."""
    command.revision(
        schema.alembic_config(current_app.config["DATABASE_URL"]), message, autogenerate=True
    )


@db.command()
def current() -> None:
    """Show the database's revision."""
    command.current(schema.alembic_config(current_app.config["DATABASE_URL"]))


def _register_commands() -> None:
    from portal.demo.cli import demo
    from portal.erp.cli import import_group
    from portal.notifications.cli import worker

    main.add_command(demo)
    main.add_command(import_group)
    main.add_command(worker)


_register_commands()
