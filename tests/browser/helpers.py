"""Browser helpers: Debian's Chromium, the live server the pages are served from, its page, and
signing in through the form."""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from portal import create_app
from portal import migrations as schema
from portal.db import get_database

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    candidates = [
        os.environ.get("ROTAFLOW_CHROMIUM"),
        shutil.which("chromium"),
        "/usr/bin/chromium",
    ]
    return next((c for c in candidates if c and os.path.exists(c)), None)


class LiveServer:
    def __init__(self, app) -> None:
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    def session(self) -> Session:
        """A session on the server's database, for setting up data (commit it)."""
        return get_database(self.app).session_factory()


def serve(folder, load=None) -> Iterator[LiveServer]:
    """A live server over a migrated SQLite file in ``folder``; ``load(session)`` fills it
    first (committed). Yields the running server and stops it afterwards."""
    database_url = f"sqlite:///{folder}/rotaflow.sqlite3"
    schema.upgrade(database_url)
    # Real forms with CSRF, but no login throttle: the suite signs in far more often than
    # a person would, and throttling has its own tests.
    app = create_app(
        {
            "ENV": "testing",
            "SECRET_KEY": "browser-test-secret",
            "DATABASE_URL": database_url,
            "THROTTLE_ENABLED": False,
        }
    )
    if load is not None:
        with get_database(app).session_factory() as session:
            load(session)
            session.commit()
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()
    get_database(app).engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    yield from serve(tmp_path_factory.mktemp("browser"))


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: errors.append(message.text) if message.type == "error" else None,
    )
    yield page
    context.close()
    assert errors == [], f"JavaScript errors in the page: {errors}"


def log_in(page, email: str, password: str) -> None:
    page.goto("/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()
