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


def _stamp(response: Response) -> Response:
    started = g.get("request_started")
    if started is not None:
        elapsed = (time.perf_counter() - started) * 1000
        response.headers["Server-Timing"] = f"app;dur={elapsed:.1f}"
    return response
