"""Logging for the app and the worker: plain text, or one JSON object per line.

``LOG_FORMAT`` picks the format and ``LOG_LEVEL`` the level; both apply to the root
logger, so the app's, the worker's, SQLAlchemy's and werkzeug's records come out alike.
Logs go to standard error; standard output stays for what commands print.

Every request gets an id (the proxy's ``X-Request-ID`` when it sends a sane one, else a
new one), sent back in ``X-Request-ID`` and added to every record logged while the request
runs. In JSON, each request also ends with one line of its own (method, path, status,
duration); in plain text the server's access log (gunicorn's, werkzeug's) does that job.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, current_app, g, has_request_context, request
from flask.logging import default_handler

from portal import timing

PLAIN_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
# During a request, its id follows the logger's name: the reference an error page shows.
PLAIN_REQUEST_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
HANDLER_NAME = "rotaflow"
REQUEST_ID_HEADER = "X-Request-ID"
SANE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# Attributes every LogRecord has; anything else on a record came from ``extra=``.
STANDARD_ATTRIBUTES = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "taskName",
}

request_log = logging.getLogger("rotaflow.request")


class JsonFormatter(logging.Formatter):
    """One JSON object per record: timestamp, level, logger, message, then any extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "timestamp": datetime.fromtimestamp(record.created, UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        for key, value in record.__dict__.items():
            if key not in STANDARD_ATTRIBUTES and not key.startswith("_"):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class PlainFormatter(logging.Formatter):
    """``time level logger message``, with ``[request id]`` before the message of records
    logged during a request."""

    def __init__(self) -> None:
        super().__init__(PLAIN_FORMAT)
        self._during_request = logging.Formatter(PLAIN_REQUEST_FORMAT)

    def format(self, record: logging.LogRecord) -> str:
        if getattr(record, "request_id", None):
            return self._during_request.format(record)
        return super().format(record)


class RequestIdFilter(logging.Filter):
    """Adds the current request's id to records logged while a request runs."""

    def filter(self, record: logging.LogRecord) -> bool:
        if has_request_context() and not hasattr(record, "request_id"):
            record.request_id = request_id()
        return True


def request_id() -> str:
    """The current request's id; made now if no hook has yet (an error raised early), so
    the log and the error page still agree."""
    if "request_id" not in g:
        g.request_id = _request_id()
    return g.request_id


class StderrHandler(logging.StreamHandler):
    """Writes to whatever ``sys.stderr`` is when a record arrives (CLIs and test runners
    swap it; a handler holding the stream it started with would write to a closed one)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure(level: str, log_format: str) -> None:
    """Send every logger's records to standard error in ``log_format``; idempotent."""
    root = logging.getLogger()
    for handler in [h for h in root.handlers if h.get_name() == HANDLER_NAME]:
        root.removeHandler(handler)
    handler = StderrHandler()
    handler.set_name(HANDLER_NAME)
    json_lines = log_format == "json"
    handler.setFormatter(JsonFormatter() if json_lines else PlainFormatter())
    handler.addFilter(RequestIdFilter())
    root.addHandler(handler)
    root.setLevel(level)
    # Flask gives its app logger a handler of its own when the root has none yet.
    logging.getLogger("portal").removeHandler(default_handler)
    # transitions logs every callback at INFO: several lines per fired trigger.
    logging.getLogger("transitions").setLevel(logging.WARNING)


def init_app(app: Flask) -> None:
    configure(app.config["LOG_LEVEL"], app.config["LOG_FORMAT"])
    app.before_request(_start_request)
    app.after_request(_finish_request)


def _start_request() -> None:
    g.request_id = _request_id()


def _request_id() -> str:
    offered = request.headers.get(REQUEST_ID_HEADER, "")
    return offered if SANE_REQUEST_ID.match(offered) else uuid.uuid4().hex


def _finish_request(response: Response) -> Response:
    # A hook that ran before ours may have ended the request (a CSRF failure, say).
    response.headers[REQUEST_ID_HEADER] = request_id()
    if current_app.config["LOG_FORMAT"] == "json":
        _log_request(response)
    return response


def _log_request(response: Response) -> None:
    elapsed = timing.elapsed_ms()
    duration = None if elapsed is None else round(elapsed, 1)
    # Health probes arrive every few seconds from every balancer: only failures are news.
    quiet = request.endpoint == "health.check" and response.status_code == 200
    request_log.log(
        logging.DEBUG if quiet else logging.INFO,
        "%s %s %s",
        request.method,
        request.path,
        response.status_code,
        extra={
            "method": request.method,
            "path": request.path,  # not the query string: searches carry customer data
            "status": response.status_code,
            "duration_ms": duration,
            "remote_addr": request.remote_addr,
        },
    )
