"""``rotaflow worker``: deliver the outbox's e-mails."""

from __future__ import annotations

import logging
import signal
import threading

import click
from flask import current_app
from flask.cli import with_appcontext

from portal.db import get_database
from portal.notifications.transports import mail_transport_name, transport_from_config
from portal.notifications.worker import RetryPolicy, Worker, compose_email


def build_worker(app) -> Worker:
    config = app.config
    return Worker(
        get_database(app).session_factory,
        transport_from_config(config, app.instance_path),
        compose_email(config["MAIL_FROM"]),
        RetryPolicy.from_config(config),
        batch_size=int(config["WORKER_BATCH_SIZE"]),
    )


@click.command("worker")
@click.option("--once", is_flag=True, help="Deliver what is due now, then exit.")
@with_appcontext
def worker(once: bool) -> None:
    """Deliver due e-mails from the outbox, retrying failures with exponential backoff.

    Runs until SIGTERM or Ctrl-C; the message being sent is finished first. On SQLite run
    one worker only; on PostgreSQL several share the queue.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    runner = build_worker(app)
    where = mail_transport_name(app.config)
    if once:
        result = runner.run_once()
        click.echo(
            f"Sent {result.sent}, retrying {result.retrying}, parked {result.parked} ({where})."
        )
        return
    stop = threading.Event()

    def request_stop(signum, _frame) -> None:
        click.echo(f"Stopping on {signal.Signals(signum).name}…")
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    click.echo(f"Worker started ({where}); SIGTERM or Ctrl-C stops it.")
    runner.run_forever(stop, float(app.config["WORKER_POLL_SECONDS"]))
    click.echo("Worker stopped.")
