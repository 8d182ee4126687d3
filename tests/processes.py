"""Real processes some tests start (workers, ``rotaflow run``, gunicorn): starting, waiting
on, stopping."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

from portal import ROOT


def start_worker(
    folder: Path, database_url: str, smtp_port: int, **settings: str
) -> subprocess.Popen:
    """``rotaflow worker`` on ``database_url``, mailing an SMTP server on this machine.
    ``settings`` are more ``ROTAFLOW_*`` variables, named without the prefix. The output
    goes to ``output_of(folder)``."""
    env = {
        **os.environ,
        "ROTAFLOW_ENV": "development",
        "ROTAFLOW_DATABASE_URL": database_url,
        "ROTAFLOW_INSTANCE_PATH": str(folder),
        "ROTAFLOW_MAIL_TRANSPORT": "smtp",
        "ROTAFLOW_MAIL_SERVER": "127.0.0.1",
        "ROTAFLOW_MAIL_PORT": str(smtp_port),
        "ROTAFLOW_WORKER_POLL_SECONDS": "1",
        **{f"ROTAFLOW_{name}": value for name, value in settings.items()},
    }
    return start_rotaflow(folder, env, "worker")


def start_server(
    folder: Path, database_url: str, port: int, *options: str, **settings: str
) -> subprocess.Popen:
    """``rotaflow run`` on 127.0.0.1:``port`` over ``database_url``, with the instance
    folder (and so the mail sink, ``folder/mail``) in ``folder``; ``options`` are more
    arguments of ``run`` (``--no-worker``), ``settings`` more ``ROTAFLOW_*`` variables
    named without the prefix. The output goes to ``output_of(folder)``."""
    env = {
        **os.environ,
        "ROTAFLOW_ENV": "development",
        "ROTAFLOW_DATABASE_URL": database_url,
        "ROTAFLOW_INSTANCE_PATH": str(folder),
        "ROTAFLOW_WORKER_POLL_SECONDS": "1",
        "PYTHONUNBUFFERED": "1",
        **{f"ROTAFLOW_{name}": value for name, value in settings.items()},
    }
    env.pop("FLASK_DEBUG", None)  # no reloader: the process started is the one serving
    arguments = ("run", "--host", "127.0.0.1", "--port", str(port), *options)
    return start_rotaflow(folder, env, *arguments)


def start_rotaflow(folder: Path, env: dict[str, str], *arguments: str) -> subprocess.Popen:
    """The ``rotaflow`` command with ``arguments``, its output in ``output_of(folder)``."""
    folder.mkdir(exist_ok=True)
    with output_of(folder).open("w") as output:  # the child keeps its own copy
        return subprocess.Popen(
            [sys.executable, "-c", "from portal.cli import main; main()", *arguments],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )


def output_of(folder: Path) -> Path:
    return folder / "output.txt"


def wait_until(
    condition: Callable[[], bool],
    what: str,
    timeout: float = 30,
    watched: tuple[subprocess.Popen, Path] | None = None,
) -> None:
    """Poll ``condition`` until it holds; fail after ``timeout`` seconds, or as soon as
    the ``watched`` process exits (showing its output)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if watched is not None:
            process, folder = watched
            assert process.poll() is None, output_of(folder).read_text()
        assert time.monotonic() < deadline, f"timed out waiting until {what}"
        time.sleep(0.05)


def stop_process(
    process: subprocess.Popen, how: signal.Signals = signal.SIGTERM, timeout: float = 30
) -> int:
    """Send ``how`` and wait for the exit code; a process that outlives ``timeout`` is
    killed, so a failing test never leaves one behind."""
    if process.poll() is None:
        process.send_signal(how)
    try:
        return process.wait(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def answers(port: int) -> bool:
    """Whether a server on this machine's ``port`` answers its health check."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False
