"""The outbox worker's webhook pass: claim due deliveries, sign, POST, record.

Like the e-mail rows, a batch of due deliveries is claimed in a short transaction (``FOR
UPDATE SKIP LOCKED`` on PostgreSQL) and leased by moving ``next_attempt_at`` forward;
each is then POSTed with no transaction open and no row locked, and the answer recorded
in a transaction of its own. A receiver gets ``timeout`` seconds per network step: a slow
one costs a pass that long, never a lock. A 2xx answer delivers; anything else is retried
on the schedule and, after ``max_attempts``, the delivery is parked, its subscription
disabled and the admins told.
"""

from __future__ import annotations

import json
import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import DeliveryState, WebhookDelivery, WebhookSubscription
from models.base import utcnow
from models.webhook import RESPONSE_EXCERPT_LENGTH
from portal.webhooks.operations import disable_after_failures
from portal.webhooks.signing import signed_headers

log = logging.getLogger("rotaflow.worker")
USER_AGENT = "Rotaflow-Webhooks/1"
# Waits after the 1st, 2nd, … failure; the last repeats.
DEFAULT_SCHEDULE = (60, 300, 1800, 7200, 21600)


@dataclass(frozen=True)
class WebhookPolicy:
    max_attempts: int = 6
    schedule: tuple[int, ...] = DEFAULT_SCHEDULE
    timeout: float = 5.0
    lease: int = 600

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> WebhookPolicy:
        return cls(
            max_attempts=max(1, int(config["WEBHOOK_MAX_ATTEMPTS"])),
            timeout=max(0.1, float(config["WEBHOOK_TIMEOUT_SECONDS"])),
            lease=max(1, int(config["OUTBOX_LEASE_SECONDS"])),
        )

    def delay(self, attempts: int) -> timedelta:
        """Wait after the ``attempts``-th failure."""
        index = min(max(attempts - 1, 0), len(self.schedule) - 1)
        return timedelta(seconds=self.schedule[index])


@dataclass
class Answer:
    status: int | None  # None: no HTTP answer at all (refused, timed out)
    excerpt: str

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect is an answer like any non-2xx: following it would send the signed body to
    # an address nobody subscribed.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirects)


def post(url: str, body: bytes, headers: Mapping[str, str], timeout: float) -> Answer:
    """POST ``body``; the status and the start of the answer, never an exception."""
    request = urllib.request.Request(url, data=body, method="POST")
    for name, value in {"Content-Type": "application/json", "User-Agent": USER_AGENT}.items():
        request.add_header(name, value)
    for name, value in headers.items():
        request.add_header(name, value)
    try:
        with _OPENER.open(request, timeout=timeout) as response:
            return Answer(response.status, _excerpt(response.read(RESPONSE_EXCERPT_LENGTH)))
    except urllib.error.HTTPError as error:
        with error:
            return Answer(error.code, _excerpt(error.read(RESPONSE_EXCERPT_LENGTH)))
    except (OSError, ValueError) as error:  # refused, timed out, TLS, a malformed URL
        return Answer(None, f"{type(error).__name__}: {error}"[:RESPONSE_EXCERPT_LENGTH])


def _excerpt(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")[:RESPONSE_EXCERPT_LENGTH]


@dataclass
class WebhookCounts:
    delivered: int = 0
    retrying: int = 0
    parked: int = 0
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Outgoing:
    url: str
    secret: str
    event_id: str
    body: str


class WebhookSender:
    """Delivers due webhook deliveries; ``clock`` schedules, ``wall_clock`` signs."""

    def __init__(
        self,
        session_factory: Callable[[], Session],
        policy: WebhookPolicy,
        *,
        batch_size: int = 20,
        clock: Callable[[], datetime] = utcnow,
        wall_clock: Callable[[], datetime] = utcnow,
        send: Callable[[str, bytes, Mapping[str, str], float], Answer] = post,
    ) -> None:
        self.session_factory = session_factory
        self.policy = policy
        self.batch_size = batch_size
        self.clock = clock
        self.wall_clock = wall_clock
        self.send = send

    def run(self, stop: threading.Event | None = None) -> WebhookCounts:
        counts = WebhookCounts()
        while stop is None or not stop.is_set():
            ids = self.claim()
            if not ids:
                break
            for delivery_id in ids:
                if stop is not None and stop.is_set():
                    break  # the lease runs out and another pass takes the rest
                self._deliver(delivery_id, counts)
        return counts

    def claim(self) -> list[int]:
        """Lease up to batch_size due deliveries of active subscriptions."""
        now = self.clock()
        with self.session_factory() as session, session.begin():
            rows = session.scalars(
                select(WebhookDelivery)
                .join(WebhookDelivery.subscription)
                .where(
                    WebhookDelivery.state == DeliveryState.PENDING,
                    WebhookDelivery.next_attempt_at <= now,
                    WebhookSubscription.active.is_(True),
                )
                .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
                .limit(self.batch_size)
                .with_for_update(skip_locked=True, of=WebhookDelivery)
            ).all()
            for row in rows:
                row.next_attempt_at = now + timedelta(seconds=self.policy.lease)
            return [row.id for row in rows]

    def _deliver(self, delivery_id: int, counts: WebhookCounts) -> None:
        outgoing = self._outgoing(delivery_id)
        if outgoing is None:
            return
        headers = signed_headers(
            outgoing.secret, outgoing.event_id, outgoing.body, self.wall_clock()
        )
        answer = self.send(
            outgoing.url, outgoing.body.encode("utf-8"), headers, self.policy.timeout
        )
        with self.session_factory() as session, session.begin():
            row = session.get(WebhookDelivery, delivery_id)
            if row is not None:
                self._record(session, row, answer, counts)

    def _outgoing(self, delivery_id: int) -> _Outgoing | None:
        with self.session_factory() as session, session.begin():
            row = session.get(WebhookDelivery, delivery_id)
            if row is None or row.state is not DeliveryState.PENDING:
                return None  # deleted, or dealt with meanwhile
            subscription = row.subscription
            if not subscription.active:
                return None
            body = json.dumps(row.payload, separators=(",", ":"), ensure_ascii=False)
            return _Outgoing(subscription.url, subscription.secret, row.event_id, body)

    def _record(
        self, session: Session, row: WebhookDelivery, answer: Answer, counts: WebhookCounts
    ) -> None:
        now = self.clock()
        row.attempts += 1
        row.last_attempt_at = now
        row.last_status_code = answer.status
        row.last_response = answer.excerpt
        if answer.ok:
            row.state = DeliveryState.DELIVERED
            row.delivered_at = now
            counts.delivered += 1
            return
        counts.errors.append(f"webhook {row.id}: {answer.status or answer.excerpt}")
        if row.attempts < self.policy.max_attempts:
            row.next_attempt_at = now + self.policy.delay(row.attempts)
            counts.retrying += 1
            log.info("webhook delivery %d failed (attempt %d)", row.id, row.attempts)
            return
        row.state = DeliveryState.PARKED
        counts.parked += 1
        log.warning("webhook delivery %d parked after %d attempts", row.id, row.attempts)
        disable_after_failures(session, row, now)
