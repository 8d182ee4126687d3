"""The outbox worker in a thread of the serving process, for ``rotaflow run``.

A first run then behaves like production: e-mails reach the development mail sink and
approval steps past their SLA escalate, without a second terminal running ``rotaflow
worker``. The thread runs the same passes as that command (``Worker.run_forever``) in an
app context of its own, with sessions of its own; a pass that fails is logged and the
next one is tried after the poll interval, so the worker never takes the server down nor
dies with the first database hiccup. ``stop()`` lets the message being sent finish.

Production runs ``rotaflow worker`` processes beside gunicorn instead (docs/deployment.md).
"""

from __future__ import annotations

import logging
import threading

from flask import Flask

from portal.notifications.cli import build_worker
from portal.notifications.transports import mail_transport_name

log = logging.getLogger("rotaflow.worker")


class BackgroundWorker:
    def __init__(self, app: Flask) -> None:
        self.app = app
        self.poll_seconds = max(float(app.config["WORKER_POLL_SECONDS"]), 0.05)
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self._run, name="rotaflow-worker", daemon=True)

    def start(self) -> None:
        where = mail_transport_name(self.app.config)
        log.info("Worker started in the server (%s); --no-worker turns it off.", where)
        self.thread.start()

    def stop(self, timeout: float = 30) -> None:
        """Ask the thread to stop and wait for it (the message being sent is finished)."""
        if self.stop_event.is_set():
            return
        self.stop_event.set()
        if self.thread.is_alive() and self.thread is not threading.current_thread():
            self.thread.join(timeout)
        log.info("Worker stopped.")

    def _run(self) -> None:
        with self.app.app_context():
            while not self.stop_event.is_set():
                try:
                    build_worker(self.app).run_forever(self.stop_event, self.poll_seconds)
                except Exception:  # logged; the server goes on and the next pass retries
                    log.exception("the outbox worker's pass failed; retrying")
                    self.stop_event.wait(self.poll_seconds)
