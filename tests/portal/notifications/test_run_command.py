"""``rotaflow run`` serves and, unless ``--no-worker``, delivers the outbox in a thread of
its own: a first run sends its e-mails to the development mail sink."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import OutboxMessage, OutboxStatus
from tests.portal.notifications.helpers import WAITING_RMA, free_port
from tests.processes import answers, output_of, start_server, stop_process, wait_until

NUMBER = WAITING_RMA


def mails(folder: Path) -> list[str]:
    sink = folder / "mail"
    return sorted(n for n in os.listdir(sink) if n.endswith(".eml")) if sink.exists() else []


def status(engine) -> OutboxStatus:
    with Session(engine) as session:
        return session.scalar(select(OutboxMessage.status))


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_run_serves_and_delivers_the_outbox_to_the_sink(
    sqlite_with_an_email, tmp_path, stop_signal
):
    url, engine = sqlite_with_an_email
    folder, port = tmp_path / "instance", free_port()
    server = start_server(folder, url, port)
    try:
        watched = (server, folder)
        wait_until(lambda: answers(port), "the server answers", 30, watched)
        wait_until(lambda: len(mails(folder)) == 1, "the e-mail is in the sink", 20, watched)
        assert stop_process(server, stop_signal) == 0, output_of(folder).read_text()
    finally:
        stop_process(server)
    (name,) = mails(folder)
    assert f"{NUMBER} is closed" in (folder / "mail" / name).read_text()
    assert status(engine) is OutboxStatus.SENT
    output = output_of(folder).read_text()
    assert "Worker started in the server (sink)" in output
    assert output.rstrip().endswith("Worker stopped."), output


def test_no_worker_serves_without_delivering(sqlite_with_an_email, tmp_path):
    url, engine = sqlite_with_an_email
    folder, port = tmp_path / "instance", free_port()
    server = start_server(folder, url, port, "--no-worker")
    try:
        wait_until(lambda: answers(port), "the server answers", 30, (server, folder))
        time.sleep(1.5)  # longer than the poll interval (1 s) a worker would wait
        assert stop_process(server, signal.SIGINT) == 0, output_of(folder).read_text()
    finally:
        stop_process(server)
    assert mails(folder) == []
    assert status(engine) is OutboxStatus.PENDING
    assert "Worker" not in output_of(folder).read_text()


def test_a_failing_pass_is_logged_and_the_worker_goes_on(app, monkeypatch, caplog):
    from portal.notifications import background

    app.config["WORKER_POLL_SECONDS"] = 0
    calls = []

    class Flaky:
        def run_forever(self, stop, poll_seconds):
            calls.append(poll_seconds)
            if len(calls) == 1:
                raise RuntimeError("database went away")
            stop.set()

    monkeypatch.setattr(background, "build_worker", lambda _app: Flaky())
    runner = background.BackgroundWorker(app)
    runner.start()
    runner.thread.join(10)
    runner.stop()
    assert len(calls) == 2 and not runner.thread.is_alive()
    assert "the outbox worker's pass failed; retrying" in caplog.text
    assert "database went away" in caplog.text
