"""A real SMTP server on 127.0.0.1 (aiosmtpd, in a thread), a settable clock, and a worker
wired to the test app's database."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.orm import Session

from models import Channel, OutboxMessage
from portal import migrations as schema
from portal.db import get_database, make_engine
from portal.notifications.transports import SmtpTransport
from portal.notifications.worker import RetryPolicy, Worker, compose_email
from tests.portal.notifications.helpers import WAITING_RMA, Inbox, free_port
from tests.shop import shop  # noqa: F401 — shared fixture (escalations)
from tests.world import (  # noqa: F401 — shared fixtures
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


@pytest.fixture
def sqlite_with_an_email(tmp_path):
    """(URL, engine) of a migrated SQLite file with one e-mail waiting in the outbox, for
    tests that start ``rotaflow`` processes on it."""
    url = f"sqlite:///{tmp_path}/rotaflow.sqlite3"
    schema.upgrade(url)
    engine = make_engine(url)
    with Session(engine) as session:
        session.add(
            OutboxMessage(
                channel=Channel.EMAIL,
                template="rma_closed",
                recipient_address="olga@example.com",
                payload={"rma_number": WAITING_RMA, "state_label": "Closed"},
            )
        )
        session.commit()
    yield url, engine
    engine.dispose()
