"""``rotaflow analytics refresh``: bring the analytics rollups up to date by hand."""

from __future__ import annotations

import time

import click
from flask.cli import with_appcontext

from models.base import utcnow
from portal.analytics.flow_refresh import rebuild_flow_rollups, refresh_until_current
from portal.analytics.refresh import refresh_rollups
from portal.db import get_session


@click.group("analytics")
def analytics_group() -> None:
    """The analytics pages' rollups."""


@analytics_group.command("refresh")
@click.option(
    "--full",
    is_flag=True,
    help="Rebuild every rollup from all the facts, not only the accounts that changed.",
)
@with_appcontext
def refresh(full: bool) -> None:
    """Sum again the facts changed since the last refresh (the worker does this every
    ANALYTICS_REFRESH_SECONDS), then read the process facts added since; with --full,
    rebuild everything."""
    session = get_session()
    started = time.monotonic()
    result = refresh_rollups(session, utcnow(), full=full)
    session.commit()
    click.echo(f"{result.summary()} in {time.monotonic() - started:.1f} s")
    started = time.monotonic()
    process = (rebuild_flow_rollups if full else refresh_until_current)(session, utcnow())
    session.commit()
    done = "rebuilt" if process.rebuilt else f"{process.visits} stays added"
    click.echo(f"process analytics: {done} in {time.monotonic() - started:.1f} s")
