"""The worker: escalates overdue approval steps, queues the weekly digests when they are
due, then delivers due e-mail rows, retrying with exponential backoff.

A pass first escalates approval steps past their SLA (``workflow_designer.runtime.sla``), a batch
per transaction; their notifications are outbox rows like any other, so the same pass
delivers them. It then claims a batch of due rows in a short transaction (``FOR UPDATE
SKIP LOCKED`` on PostgreSQL, so several workers share the queue without sending a row
twice) and leases them by moving ``next_attempt_at`` forward; it then sends each row
outside any transaction and records the result in a transaction of its own. Network I/O
never happens while rows are locked. Delivery is at least once: a worker killed between
sending and recording sends that message again when its lease runs out.

Escalation claims overdue RMAs the same way (``FOR UPDATE SKIP LOCKED``), so two workers
never escalate one step twice. SQLite has no row locks (SQLAlchemy drops FOR UPDATE
there): run one worker on SQLite.

Every ``analytics_every`` seconds a pass also brings the analytics rollups up to date
with the facts changed since the last time (``portal.analytics.refresh``), in a
transaction of its own.

Webhook deliveries (``portal.webhooks.delivery``) are the outbox's too: after the e-mails,
a pass delivers the due ones the same way (claimed, leased, sent with no row locked).

Each pass also deletes the API's expired ``Idempotency-Key`` rows
(``portal.api.idempotency``), a bounded batch per transaction, so the table holds about a
day of keys however many tokens there are.

Only e-mail rows and webhook deliveries are the worker's. In-app rows are delivered by
being shown (the notifications page marks them read).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Channel, OutboxMessage, OutboxStatus, User
from models.base import utcnow
from portal.i18n import locale_of
from portal.i18n.queries import distributor_defaults
from portal.notifications.emails import UnknownTemplate, build_message, render_email
from portal.notifications.transports import Transport
from portal.webhooks.delivery import WebhookSender
from workflow_designer.runtime.sla import escalate_overdue

log = logging.getLogger("rotaflow.worker")
MAX_ERROR = 2000


class PermanentFailure(Exception):
    """Retrying cannot help (no address, unknown template): the row is parked at once."""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 8
    first_delay: int = 60  # seconds before the first retry; doubles after each failure
    max_delay: int = 6 * 3600
    lease: int = 600  # how long a claimed row stays hidden from other workers

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> RetryPolicy:
        return cls(
            max_attempts=max(1, int(config["OUTBOX_MAX_ATTEMPTS"])),
            first_delay=max(1, int(config["OUTBOX_RETRY_SECONDS"])),
            max_delay=max(1, int(config["OUTBOX_RETRY_MAX_SECONDS"])),
            lease=max(1, int(config["OUTBOX_LEASE_SECONDS"])),
        )

    def delay(self, attempts: int) -> timedelta:
        """Wait after the ``attempts``-th failure: first_delay × 2^(attempts−1), capped."""
        exponent = min(max(attempts - 1, 0), 32)
        return timedelta(seconds=min(self.first_delay * 2**exponent, self.max_delay))


@dataclass
class PassResult:
    escalated: list[str] = field(default_factory=list)  # RMA numbers
    digests: int = 0
    sent: int = 0
    retrying: int = 0
    parked: int = 0
    webhooks_delivered: int = 0
    webhooks_retrying: int = 0
    webhooks_parked: int = 0
    idempotency_keys_forgotten: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def handled(self) -> int:
        webhooks = self.webhooks_delivered + self.webhooks_retrying + self.webhooks_parked
        return (
            len(self.escalated)
            + self.digests
            + self.sent
            + self.retrying
            + self.parked
            + webhooks
            + self.idempotency_keys_forgotten
        )

    def summary(self) -> str:
        return (
            f"escalated {len(self.escalated)}, digests {self.digests}, sent {self.sent}, "
            f"retrying {self.retrying}, parked {self.parked}, webhooks delivered "
            f"{self.webhooks_delivered}, retrying {self.webhooks_retrying}, "
            f"parked {self.webhooks_parked}, idempotency keys forgotten "
            f"{self.idempotency_keys_forgotten}"
        )

    def log_fields(self) -> dict[str, Any]:
        """The counts as fields of their own in JSON logs."""
        return {
            "escalated": self.escalated,
            "digests": self.digests,
            "sent": self.sent,
            "retrying": self.retrying,
            "parked": self.parked,
            "webhooks_delivered": self.webhooks_delivered,
            "webhooks_retrying": self.webhooks_retrying,
            "webhooks_parked": self.webhooks_parked,
            "idempotency_keys_forgotten": self.idempotency_keys_forgotten,
        }


class Worker:
    """Escalates overdue approvals and delivers e-mail rows. ``compose(session, row)``
    turns a row into an EmailMessage (it needs the Flask app context for templates);
    ``digests(now)`` queues the weekly digests that are due (the users it queued for);
    ``clock`` is injectable for tests."""

    def __init__(
        self,
        session_factory: Callable[[], Session],
        transport: Transport,
        compose: Callable[[Session, OutboxMessage], Any],
        retry: RetryPolicy,
        *,
        batch_size: int = 20,
        clock: Callable[[], datetime] = utcnow,
        digests: Callable[[datetime], list[int]] | None = None,
        analytics: Callable[[Session, datetime], Any] | None = None,
        analytics_every: float = 60.0,
        webhooks: WebhookSender | None = None,
        forget_keys: Callable[[Session, datetime, int], int] | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.transport = transport
        self.compose = compose
        self.retry = retry
        self.batch_size = batch_size
        self.clock = clock
        self.digests = digests
        self.analytics = analytics
        self.analytics_every = analytics_every
        self.webhooks = webhooks
        self.forget_keys = forget_keys
        self._analytics_due = 0.0  # monotonic seconds: the first pass refreshes

    def run_once(self, stop: threading.Event | None = None) -> PassResult:
        """Escalate what is overdue, then deliver everything due now; return what happened."""
        result = PassResult()
        try:
            result.escalated = self.escalate(stop)
        except Exception as error:  # a failing escalation must not stop e-mail delivery
            log.exception("escalating overdue approvals failed")
            result.errors.append(f"escalation: {type(error).__name__}: {error}")
        if self.digests is not None:
            try:
                result.digests = len(self.digests(self.clock()))
            except Exception as error:  # nor must a failing digest
                log.exception("queueing the weekly digests failed")
                result.errors.append(f"digests: {type(error).__name__}: {error}")
        try:
            self.refresh_analytics()
        except Exception as error:  # nor may a failing refresh
            log.exception("refreshing the analytics rollups failed")
            result.errors.append(f"analytics: {type(error).__name__}: {error}")
        try:
            result.idempotency_keys_forgotten = self.forget_idempotency_keys(stop)
        except Exception as error:  # nor may a failing clean-up
            log.exception("deleting expired idempotency keys failed")
            result.errors.append(f"idempotency keys: {type(error).__name__}: {error}")
        try:
            while stop is None or not stop.is_set():
                ids = self.claim()
                if not ids:
                    break
                for row_id in ids:
                    if stop is not None and stop.is_set():
                        break  # the lease runs out and another pass takes the rest
                    self._deliver(row_id, result)
        finally:
            self.transport.close()
        try:
            self.deliver_webhooks(stop, result)
        except Exception as error:  # a failing webhook pass must not stop the worker
            log.exception("delivering webhooks failed")
            result.errors.append(f"webhooks: {type(error).__name__}: {error}")
        return result

    def deliver_webhooks(self, stop: threading.Event | None, result: PassResult) -> None:
        if self.webhooks is None:
            return
        counts = self.webhooks.run(stop)
        result.webhooks_delivered += counts.delivered
        result.webhooks_retrying += counts.retrying
        result.webhooks_parked += counts.parked
        result.errors += counts.errors

    def run_forever(self, stop: threading.Event, poll_seconds: float) -> None:
        """Pass after pass until ``stop`` is set; sleeps ``poll_seconds`` when idle."""
        while not stop.is_set():
            result = self.run_once(stop)
            if result.handled:
                log.info("%s", result.summary(), extra=result.log_fields())
            else:
                stop.wait(poll_seconds)

    def escalate(self, stop: threading.Event | None = None) -> list[str]:
        """Escalate approval steps past their SLA, batch after batch, each batch in a
        transaction of its own; the escalated RMAs' numbers."""
        # One "now" for the whole pass: an escalated step is due again at now + its SLA,
        # so with a fixed now a pass cannot meet the same step twice.
        now = self.clock()
        escalated: list[str] = []
        while stop is None or not stop.is_set():
            with self.session_factory() as session, session.begin():
                batch = escalate_overdue(session, now, self.batch_size)
            if not batch:
                break
            escalated += batch
        return escalated

    def refresh_analytics(self) -> None:
        """Sum again the analytics of what changed, when ``analytics_every`` has passed."""
        if self.analytics is None or time.monotonic() < self._analytics_due:
            return
        self._analytics_due = time.monotonic() + self.analytics_every
        with self.session_factory() as session, session.begin():
            outcome = self.analytics(session, self.clock())
        log.debug("%s", outcome)

    def forget_idempotency_keys(self, stop: threading.Event | None = None) -> int:
        """Delete expired API idempotency keys, a batch per transaction; how many."""
        if self.forget_keys is None:
            return 0
        now, forgotten = self.clock(), 0
        while stop is None or not stop.is_set():
            with self.session_factory() as session, session.begin():
                deleted = self.forget_keys(session, now, self.batch_size)
            forgotten += deleted
            if deleted < self.batch_size:
                break
        return forgotten

    def claim(self) -> list[int]:
        """Lease up to batch_size due e-mail rows; their ids, oldest due first."""
        now = self.clock()
        with self.session_factory() as session, session.begin():
            rows = session.scalars(
                select(OutboxMessage)
                .where(
                    OutboxMessage.status == OutboxStatus.PENDING,
                    OutboxMessage.channel == Channel.EMAIL,
                    OutboxMessage.next_attempt_at <= now,
                )
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
                .limit(self.batch_size)
                .with_for_update(skip_locked=True)
            ).all()
            for row in rows:
                row.next_attempt_at = now + timedelta(seconds=self.retry.lease)
            return [row.id for row in rows]

    def _deliver(self, row_id: int, result: PassResult) -> None:
        # Three steps so no transaction is open while the network is used (on SQLite a
        # transaction holds the database's write lock).
        with self.session_factory() as session, session.begin():
            row = session.get(OutboxMessage, row_id)
            if row is None or row.status is not OutboxStatus.PENDING:
                return  # deleted, or an admin dealt with it meanwhile
            try:
                message = self.compose(session, row)
            except Exception as error:  # recorded on the row: a bad row never stops the queue
                self._record_failure(row, error, result)
                return
        try:
            self.transport.send(message)
        except Exception as error:  # any failure of one send is recorded on its row
            failure: Exception | None = error
        else:
            failure = None
        with self.session_factory() as session, session.begin():
            row = session.get(OutboxMessage, row_id)
            if row is None:
                return
            if failure is not None:
                self._record_failure(row, failure, result)
                return
            row.status = OutboxStatus.SENT
            row.sent_at = self.clock()
            row.attempts += 1
            row.last_error = ""
            result.sent += 1

    def _record_failure(self, row: OutboxMessage, error: Exception, result: PassResult) -> None:
        permanent = isinstance(error, PermanentFailure)
        now = self.clock()
        row.attempts += 1
        row.last_error = f"{type(error).__name__}: {error}"[:MAX_ERROR]
        result.errors.append(row.last_error)
        if permanent or row.attempts >= self.retry.max_attempts:
            row.status = OutboxStatus.PARKED
            result.parked += 1
            log.warning("outbox %d parked after %d attempts: %s", row.id, row.attempts, error)
        else:
            row.next_attempt_at = now + self.retry.delay(row.attempts)
            result.retrying += 1
            log.info("outbox %d failed (attempt %d): %s", row.id, row.attempts, error)


def compose_email(sender: str) -> Callable[[Session, OutboxMessage], Any]:
    """A composer rendering the row's template for its recipient, sent from ``sender``."""

    def compose(session: Session, row: OutboxMessage):
        if not row.recipient_address:
            raise PermanentFailure("the recipient has no e-mail address")
        user = session.get(User, row.recipient_user_id) if row.recipient_user_id else None
        defaults = distributor_defaults(session)
        language = locale_of(user, defaults.get("locale"))
        zone = (user.time_zone if user else None) or defaults.get("time_zone")
        try:
            rendered = render_email(
                row.template, row.payload or {}, user.name if user else None, language, zone
            )
        except UnknownTemplate as error:
            raise PermanentFailure(str(error)) from None
        return build_message(rendered, sender=sender, to=row.recipient_address, outbox_id=row.id)

    return compose
