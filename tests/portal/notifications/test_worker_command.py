"""``rotaflow worker``: one pass with --once; a long-running worker stops cleanly on signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from portal import ROOT
from portal.notifications.cli import worker
from tests.portal.notifications.helpers import WAITING_RMA
from tests.world import authorized_rma


def test_once_delivers_what_is_due_and_exits(app, db_session, world, tmp_path):
    app.instance_path = str(tmp_path)
    rma = authorized_rma(db_session, world)
    db_session.commit()
    result = app.test_cli_runner().invoke(worker, ["--once"])
    assert result.exit_code == 0, result.output
    assert "Sent 1, retrying 0, parked 0 (sink)." in result.output
    (name,) = os.listdir(tmp_path / "mail")
    assert rma.number in (tmp_path / "mail" / name).read_text()


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_the_worker_runs_until_told_to_stop(sqlite_with_an_email, tmp_path, stop_signal):
    env = {
        **os.environ,
        "ROTAFLOW_ENV": "development",
        "ROTAFLOW_DATABASE_URL": sqlite_with_an_email[0],
        "ROTAFLOW_INSTANCE_PATH": str(tmp_path),
        "ROTAFLOW_WORKER_POLL_SECONDS": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-c", "from portal.cli import main; main()", "worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert "Worker started (sink)" in process.stdout.readline()
        deadline = time.monotonic() + 20
        while not (tmp_path / "mail").exists() or not os.listdir(tmp_path / "mail"):
            assert time.monotonic() < deadline, "the worker delivered nothing"
            time.sleep(0.1)
        process.send_signal(stop_signal)
        output, _ = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, output
    assert f"Stopping on {stop_signal.name}" in output
    assert output.rstrip().endswith("Worker stopped.")
    (name,) = os.listdir(tmp_path / "mail")
    assert f"{WAITING_RMA} is closed" in (tmp_path / "mail" / name).read_text()
