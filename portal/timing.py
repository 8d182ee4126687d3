"""The ``Server-Timing`` header: how long the app took over each response.

Browsers' developer tools and the load benchmark read it; it costs two clock reads. It
covers the request hooks, the view and rendering, not the server or the network.
"""

from __future__ import annotations

import time

from flask import Flask, Response, g


def init_app(app: Flask) -> None:
    # Registered before the other extensions so their request hooks are timed too.
    app.before_request(_start_clock)
    app.after_request(_stamp)


def _start_clock() -> None:
    g.request_started = time.perf_counter()


def elapsed_ms() -> float | None:
    """Milliseconds since this request's hooks began; None before they did."""
    started = g.get("request_started")
    return None if started is None else (time.perf_counter() - started) * 1000


def _stamp(response: Response) -> Response:
    elapsed = elapsed_ms()
    if elapsed is not None:
        response.headers["Server-Timing"] = f"app;dur={elapsed:.1f}"
    return response
