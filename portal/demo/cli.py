"""``rotaflow demo``: fill an empty database with the demo distributor."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from portal.db import get_session
from portal.demo.bulk import refresh_statistics
from portal.demo.loading import (
    DEFAULT_SEED,
    DEMO_LOGINS,
    SCALES,
    database_has_users,
    load_demo,
)


@click.command("demo")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Load only into an empty database; otherwise just print the demo logins.",
)
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True)
@click.option("--scale", type=click.Choice(list(SCALES)), default="standard", show_default=True)
@with_appcontext
def demo(if_empty: bool, seed: int, scale: str) -> None:
    """Load a demo eyewear distributor: staff, accounts, catalog, stock, 24 months of orders."""
    session = get_session()
    if database_has_users(session):
        if if_empty:
            click.echo("The database already has users; demo data not loaded.")
            _echo_logins()
            return
        raise click.ClickException(
            "The database already has users; the demo only fills an empty database "
            "(use --if-empty to skip loading without an error)."
        )
    started = time.perf_counter()
    summary = load_demo(session, seed=seed, scale=SCALES[scale])
    session.commit()
    refresh_statistics(session)
    session.commit()
    elapsed = time.perf_counter() - started
    for label, count in summary.counts():
        click.echo(f"{label:>17}: {count:,}")
    click.echo(
        f"Invoices from {summary.first_invoice} to {summary.last_invoice}; "
        f"loaded in {elapsed:.1f} s."
    )
    _echo_logins()


def _echo_logins() -> None:
    click.echo("\nDemo logins:")
    width = max(len(email) for _role, email, _password in DEMO_LOGINS)
    click.echo(f"  {'role':<10} {'e-mail':<{width}}  password")
    for role, email, password in DEMO_LOGINS:
        click.echo(f"  {role:<10} {email:<{width}}  {password}")
