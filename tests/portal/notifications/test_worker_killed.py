"""A worker killed outright (SIGKILL, no chance to clean up) loses no message.

The first ``rotaflow worker`` claims the outbox row and is caught inside the send: its
SMTP server accepts the connection and never answers. It is killed there, after the row
was committed and leased but before anything was sent. A second worker, started against
a working SMTP server, sends the message once its lease has run out: exactly one copy
arrives, and the row is recorded as sent after one attempt.
"""

from __future__ import annotations

import signal
import socket
import threading
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import Channel, OutboxMessage, OutboxStatus
from models.base import utcnow
from portal import migrations as schema
from portal.db import make_engine
from tests.processes import output_of, start_worker, stop_process, wait_until
from tests.support import POSTGRES_URL, skip_or_fail

LEASE_SECONDS = 2
# A send that never finishes (until the worker is killed), and a short lease to hand over.
SETTINGS = {"MAIL_TIMEOUT": "120", "OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS)}
RECIPIENT = "olga@example.com"


class SilentServer:
    """Accepts TCP connections and never says a word: an SMTP client waits on it forever."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.connected = threading.Event()
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        try:
            while True:
                connection, _ = self.listener.accept()
                self.connections.append(connection)
                self.connected.set()
        except OSError:
            return  # closed

    def close(self) -> None:
        self.listener.close()
        for connection in self.connections:
            connection.close()


@pytest.fixture
def silent_server() -> Iterator[SilentServer]:
    server = SilentServer()
    yield server
    server.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def worker_database(request, tmp_path) -> Iterator[tuple[str, Callable[[], Session]]]:
    """A database URL the worker processes share with the test, and a session factory."""
    if request.param == "postgresql":
        if not POSTGRES_URL:
            skip_or_fail("ROTAFLOW_TEST_DATABASE_URL is not set")
        yield POSTGRES_URL, request.getfixturevalue("committed_sessions")
        return
    url = f"sqlite:///{tmp_path}/worker.sqlite3"
    schema.upgrade(url)
    engine = make_engine(url)
    yield url, sessionmaker(bind=engine, expire_on_commit=False)
    engine.dispose()


def is_sent(sessions: Callable[[], Session], row_id: int) -> bool:
    return read_row(sessions, row_id).status is OutboxStatus.SENT


def read_row(sessions: Callable[[], Session], row_id: int) -> OutboxMessage:
    with sessions() as session:
        return session.scalars(select(OutboxMessage).where(OutboxMessage.id == row_id)).one()


def test_a_message_claimed_by_a_killed_worker_is_sent_after_restart(
    worker_database, silent_server, smtp_server, tmp_path
):
    url, sessions = worker_database
    inbox, smtp_port = smtp_server
    with sessions() as session:
        row = OutboxMessage(
            channel=Channel.EMAIL,
            template="rma_closed",
            recipient_address=RECIPIENT,
            payload={"rma_number": "RMA-2026-000321", "state_label": "Closed"},
        )
        session.add(row)
        session.commit()
        row_id = row.id

    first = start_worker(tmp_path / "first", url, silent_server.port, **SETTINGS)
    try:
        assert silent_server.connected.wait(30), "the first worker never tried to send"
        claimed = read_row(sessions, row_id)
        # Committed and leased, not sent: the worker is inside transport.send().
        assert (claimed.status, claimed.attempts) == (OutboxStatus.PENDING, 0)
        assert claimed.next_attempt_at > utcnow()
    finally:
        killed = stop_process(first, signal.SIGKILL, timeout=20)
    assert killed == -signal.SIGKILL

    second = start_worker(tmp_path / "second", url, smtp_port, **SETTINGS)
    try:
        wait_until(lambda: is_sent(sessions, row_id), "sent", watched=(second, tmp_path / "second"))
    finally:
        stopped = stop_process(second, timeout=20)
    assert stopped == 0, output_of(tmp_path / "second").read_text()

    sent = read_row(sessions, row_id)
    assert (sent.status, sent.attempts, sent.last_error) == (OutboxStatus.SENT, 1, "")
    # Not before the killed worker's lease ran out: the lease is what hands the row over.
    assert sent.sent_at >= claimed.next_attempt_at - timedelta(milliseconds=1)
    assert len(inbox.messages) == 1
    (message,) = inbox.messages
    assert message["To"] == RECIPIENT
    assert "RMA-2026-000321" in message["Subject"]
