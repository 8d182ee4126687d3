"""A real SMTP server on 127.0.0.1 (aiosmtpd, in a thread), a settable clock, and a worker
wired to the test app's database."""

from __future__ import annotations

import logging
import socket
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller

from portal.db import get_database
from portal.notifications.transports import SmtpTransport
from portal.notifications.worker import RetryPolicy, Worker, compose_email
from tests.backoffice.conftest import shop  # noqa: F401 — shared fixture (escalations)
from tests.rmas.conftest import (  # noqa: F401 — shared fixtures
    fresh_machine_cache,
    world,
)

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# aiosmtpd logs every connection at INFO from its own thread, outside any test's capture.
logging.getLogger("mail.log").setLevel(logging.WARNING)


class Clock:
    def __init__(self, now: datetime = START) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


class Inbox:
    """An aiosmtpd handler that keeps what it accepts, or answers every DATA with a failure."""

    def __init__(self) -> None:
        self.messages: list[EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.failure: str | None = None

    async def handle_DATA(self, server, session, envelope):  # the name aiosmtpd calls
        if self.failure:
            return self.failure
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def make_worker(app, clock):
    """A worker on the test app's database; ``transport`` defaults to SMTP on ``port``."""

    def build(port: int | None = None, transport=None, **retry) -> Worker:
        if transport is None:
            transport = SmtpTransport("127.0.0.1", port or free_port(), timeout=5)
        return Worker(
            get_database(app).session_factory,
            transport,
            compose_email("Rotaflow <returns@nordwind.example.com>"),
            RetryPolicy(**retry),
            batch_size=5,
            clock=clock,
        )

    return build
