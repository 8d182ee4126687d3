"""``rotaflow import accounts|products|orders FILE``: load an ERP CSV export."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask.cli import AppGroup

from portal.db import get_session
from portal.erp.importing import KINDS, import_csv

import_group = AppGroup("import", help="Import ERP exports (CSV) into the database.")

_HELP = {
    "accounts": "Create or update retailer accounts from FILE (import before orders).",
    "products": "Create or update products from FILE (import before orders).",
    "orders": "Create or update invoiced order lines from FILE.",
}


def _import(kind: str, path: Path) -> None:
    session = get_session()
    started = time.perf_counter()
    # newline="" lets the csv module see line endings inside quoted cells as they are.
    with path.open(encoding="utf-8", newline="") as stream:
        result = import_csv(session, kind, stream)
    if not result.ok:
        session.rollback()
        for line in result.error_lines():
            click.echo(line, err=True)
        total = len(result.errors) + result.errors_omitted
        click.echo(
            f"{path.name}: {total} error{'s' if total != 1 else ''}; nothing imported.", err=True
        )
        raise click.exceptions.Exit(1)
    session.commit()
    click.echo(f"{result.summary()} ({time.perf_counter() - started:.1f} s)")


def _command(kind: str) -> click.Command:
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    def command(file: Path) -> None:
        _import(kind, file)

    command.__doc__ = _HELP[kind]
    return import_group.command(kind)(command)


for _kind in KINDS:
    _command(_kind)
