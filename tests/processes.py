"""Stopping the real processes some tests start (workers, gunicorn)."""

from __future__ import annotations

import signal
import subprocess


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
