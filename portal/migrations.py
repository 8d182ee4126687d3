"""Alembic, driven from the app's configuration instead of an ini file."""

from __future__ import annotations

import os

from alembic import command
from alembic.config import Config

from portal import ROOT


def alembic_config(database_url: str, connection=None) -> Config:
    config = Config()
    config.set_main_option("script_location", os.path.join(ROOT, "migrations"))
    # ConfigParser interpolation would choke on '%' in passwords.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    config.attributes["connection"] = connection
    return config


def upgrade(database_url: str, revision: str = "heads", connection=None) -> None:
    command.upgrade(alembic_config(database_url, connection), revision)


def downgrade(database_url: str, revision: str, connection=None) -> None:
    command.downgrade(alembic_config(database_url, connection), revision)
