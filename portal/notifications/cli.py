"""``rotaflow worker``: escalate overdue approvals and deliver the outbox's e-mails."""

from __future__ import annotations

import logging
import signal
import threading
from datetime import datetime

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.orm import Session

from models.base import utcnow
from portal.analytics.flow_refresh import refresh_flow_rollups
from portal.analytics.refresh import refresh_rollups
from portal.api.idempotency import forget_expired_keys, kept_for
from portal.db import get_database
from portal.notifications.transports import mail_transport_name, transport_from_config
from portal.notifications.worker import RetryPolicy, Worker, compose_email
from portal.signals.digest import Schedule, queue_due_digests
from portal.webhooks.delivery import WebhookPolicy, WebhookSender

# What the worker says goes through logging (not stdout), so ROTAFLOW_LOG_FORMAT=json
# makes every line of its output one JSON object.
log = logging.getLogger("rotaflow.worker")


def refresh_analytics(session, now):
    """Both kinds of rollups: purchases and returns, then the process figures."""
    return refresh_rollups(session, now), refresh_flow_rollups(session, now)


def build_worker(app) -> Worker:
    config = app.config
    session_factory = get_database(app).session_factory
    schedule = Schedule.from_config(config)

    keys_kept = kept_for(config)

    def digests(now: datetime) -> list[int]:
        return queue_due_digests(session_factory, now, schedule)

    def forget_keys(session: Session, now: datetime, batch_size: int) -> int:
        return forget_expired_keys(session, now, keys_kept, batch_size)

    return Worker(
        session_factory,
        transport_from_config(config, app.instance_path),
        compose_email(config["MAIL_FROM"]),
        RetryPolicy.from_config(config),
        batch_size=int(config["WORKER_BATCH_SIZE"]),
        digests=digests if config["DIGEST_ENABLED"] else None,
        analytics=refresh_analytics,
        analytics_every=float(config["ANALYTICS_REFRESH_SECONDS"]),
        webhooks=WebhookSender(
            session_factory,
            WebhookPolicy.from_config(config),
            batch_size=int(config["WORKER_BATCH_SIZE"]),
        ),
        forget_keys=forget_keys,
    )


@click.command("digest")
@click.option(
    "--now", "force", is_flag=True, help="Queue this week's digests now, whatever the day."
)
@with_appcontext
def digest(force: bool) -> None:
    """Queue the weekly digest e-mails to reps and admins if they are due (the worker does
    this by itself from DIGEST_WEEKDAY and DIGEST_HOUR on); each recipient gets one digest
    per week, however often this runs. The worker delivers them."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    queued = queue_due_digests(
        get_database(app).session_factory, utcnow(), Schedule.from_config(app.config), force=force
    )
    log.info("Queued %d weekly digests.", len(queued), extra={"digests": len(queued)})


@click.command("worker")
@click.option("--once", is_flag=True, help="Do one pass (escalate, deliver what is due), exit.")
@with_appcontext
def worker(once: bool) -> None:
    """Escalate approval steps past their SLA and deliver due e-mails from the outbox,
    retrying failures with exponential backoff.

    Runs until SIGTERM or Ctrl-C; the message being sent is finished first. On SQLite run
    one worker only; on PostgreSQL several share the work.
    """
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    runner = build_worker(app)
    where = mail_transport_name(app.config)
    if once:
        result = runner.run_once()
        log.info(
            "Escalated %d. Sent %d, retrying %d, parked %d (%s).",
            len(result.escalated),
            result.sent,
            result.retrying,
            result.parked,
            where,
            extra=result.log_fields(),
        )
        return
    stop = threading.Event()

    def request_stop(signum, _frame) -> None:
        log.info("Stopping on %s…", signal.Signals(signum).name)
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    log.info("Worker started (%s); SIGTERM or Ctrl-C stops it.", where)
    runner.run_forever(stop, float(app.config["WORKER_POLL_SECONDS"]))
    log.info("Worker stopped.")
