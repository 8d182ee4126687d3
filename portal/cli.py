"""The ``rotaflow`` command: everything an operator does."""

from __future__ import annotations

import atexit
import signal
import threading

import click
from alembic import command
from flask import current_app
from flask.cli import FlaskGroup, NoAppException, ScriptInfo, get_debug_flag, run_command
from werkzeug.serving import is_running_from_reloader

from portal import create_app
from portal import migrations as schema
from portal.config import ConfigurationError


class StartRefused(NoAppException):
    """A configuration the app refuses, shown as its message alone (no traceback, no usage
    line) with exit status 1. A NoAppException, so Flask's ``--help`` reports it the same
    way instead of printing a traceback."""

    exit_code = 1
    show = click.ClickException.show


def create_app_or_refuse():
    try:
        return create_app()
    except ConfigurationError as error:
        raise StartRefused(str(error)) from None


@click.group(cls=FlaskGroup, create_app=create_app_or_refuse, add_version_option=False)
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


@click.command(
    "run",
    params=[
        *run_command.params,
        click.Option(
            ["--worker/--no-worker"],
            default=True,
            show_default=True,
            help="Also escalate overdue approvals and deliver queued e-mails in a "
            "background thread (as `rotaflow worker` does).",
        ),
    ],
    help=(run_command.help or "")
    + "\n\nUnless --no-worker is given, the outbox worker and SLA escalation run in a "
    "background thread of the server, so e-mails are delivered (to the mail sink in "
    "development) and overdue approval steps escalate.",
    short_help="Run the development server and the outbox worker.",
)
@click.pass_context
def run(ctx: click.Context, worker: bool, **options) -> None:
    reload = options["reload"] if options["reload"] is not None else get_debug_flag()
    # With the reloader, this process only watches files and restarts a child that
    # serves: the worker runs in that child alone, once.
    if worker and (not reload or is_running_from_reloader()):
        try:
            app = ctx.ensure_object(ScriptInfo).load_app()
        except Exception:  # Flask's run reports it (and, reloading, serves the error)
            app = None
        if app is not None:
            _start_worker(app, reload)
    ctx.invoke(run_command.callback, **options)


def _start_worker(app, reload: bool) -> None:
    from portal.notifications.background import BackgroundWorker

    background = BackgroundWorker(app)
    # Ctrl-C ends the server; SIGTERM (and the reloader's restarts) end the interpreter:
    # either way the worker finishes the message it is sending before the process exits.
    atexit.register(background.stop)
    main_thread = threading.current_thread() is threading.main_thread()
    if not reload and main_thread and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _exit_on_sigterm)
    background.start()


def _exit_on_sigterm(signum, _frame) -> None:
    raise SystemExit(0)


def _register_commands() -> None:
    from portal.analytics.cli import analytics_group
    from portal.api.cli import api_token_group
    from portal.demo.cli import demo
    from portal.erp.cli import import_group
    from portal.notifications.cli import digest, worker

    main.add_command(analytics_group)
    main.add_command(api_token_group)
    main.add_command(demo)
    main.add_command(import_group)
    main.add_command(worker)
    main.add_command(digest)
    main.add_command(run)  # in place of Flask's: the same server, with the worker


_register_commands()
