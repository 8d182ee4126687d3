"""Two ``rotaflow worker`` processes on one PostgreSQL outbox deliver each message once.

Both workers are started and idle before 200 messages are committed at once; the SMTP
server takes a few milliseconds per message, so both are busy at the same time. Each
message carries its outbox id: the server must receive every id exactly once, every row
must be recorded as sent after one attempt, and both workers must have sent some.
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from models import Channel, OutboxMessage, OutboxStatus
from tests.portal.notifications.helpers import Inbox, free_port
from tests.processes import output_of, start_worker, stop_process, wait_until
from tests.support import POSTGRES_URL

MESSAGES = 200
pytestmark = pytest.mark.postgres_only


class SlowInbox(Inbox):
    async def handle_DATA(self, server, session, envelope):  # the name aiosmtpd calls
        await asyncio.sleep(0.003)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def slow_smtp():
    inbox, port = SlowInbox(), free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


class WorkerProcess:
    """``rotaflow worker`` with JSON logs written to a file."""

    def __init__(self, folder: Path, smtp_port: int) -> None:
        self.log_path = output_of(folder)
        self.process = start_worker(
            folder, POSTGRES_URL or "", smtp_port, WORKER_BATCH_SIZE="5", LOG_FORMAT="json"
        )

    def records(self) -> list[dict]:
        """Every line of output, each of which must be one JSON object."""
        return [json.loads(line) for line in self.log_path.read_text().splitlines()]

    def started(self) -> bool:
        assert self.process.poll() is None, self.log_path.read_text()
        return any(r["message"].startswith("Worker started") for r in self.records())

    def sent(self) -> int:
        return sum(r.get("sent", 0) for r in self.records() if r["logger"] == "rotaflow.worker")

    def stop(self) -> int:
        return stop_process(self.process)


def test_two_worker_processes_deliver_every_message_exactly_once(
    committed_sessions, slow_smtp, tmp_path
):
    inbox, port = slow_smtp
    workers = [WorkerProcess(tmp_path / name, port) for name in ("one", "two")]
    try:
        wait_until(lambda: all(w.started() for w in workers), "both workers started", 30)
        with committed_sessions() as session:
            rows = [
                OutboxMessage(
                    channel=Channel.EMAIL,
                    template="rma_closed",
                    recipient_address=f"r{n}@example.com",
                    payload={"rma_number": f"RMA-2026-{n:06d}", "state_label": "Closed"},
                )
                for n in range(MESSAGES)
            ]
            session.add_all(rows)
            session.commit()
            ids = sorted(row.id for row in rows)

        def all_sent() -> bool:
            with committed_sessions() as session:
                pending = select(func.count()).where(OutboxMessage.status != OutboxStatus.SENT)
                return session.scalar(pending) == 0

        wait_until(all_sent, "every message is sent", 60)
    finally:
        exits = [w.stop() for w in workers]
    assert exits == [0, 0], [w.log_path.read_text()[-2000:] for w in workers]

    received = Counter(int(m["X-Rotaflow-Outbox-Id"]) for m in inbox.messages)
    assert sorted(received) == ids
    assert [n for n in received.values() if n != 1] == []
    with committed_sessions() as session:
        attempts = session.scalars(select(OutboxMessage.attempts).distinct()).all()
    assert attempts == [1]
    shares = [w.sent() for w in workers]
    assert sum(shares) == MESSAGES
    assert all(shares), f"one worker did all the work: {shares}"
