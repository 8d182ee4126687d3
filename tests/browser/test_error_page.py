"""The error pages this work changed pass the browser check (tests/browser/checks.py):
a 500 with its reference (the longest a proxy may send) and the 503 of a lost database."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from portal import create_app
from portal.db import get_session
from tests.browser.checks import check_page
from tests.browser.helpers import LiveServer

pytestmark = pytest.mark.browser

LONGEST_REFERENCE = "r" * 128


@pytest.fixture(scope="module")
def failing_server():
    app = create_app(
        {
            "ENV": "testing",
            "PROPAGATE_EXCEPTIONS": False,
            "DATABASE_URL": "sqlite:////nonexistent-folder/rotaflow.sqlite3",
        }
    )

    @app.route("/_fail")
    def fail():
        raise RuntimeError("a bug")

    @app.route("/_database_gone")
    def database_gone():
        return str(get_session().scalar(text("SELECT 1")))

    server = LiveServer(app)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def browser_page(chromium):
    context = chromium.new_context(extra_http_headers={"X-Request-ID": LONGEST_REFERENCE})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize(("path", "status"), [("/_fail", 500), ("/_database_gone", 503)])
def test_the_error_pages_pass_the_check(failing_server, browser_page, path, status):
    response = browser_page.goto(failing_server.url + path)
    assert response.status == status
    assert LONGEST_REFERENCE in browser_page.text_content("main")
    check_page(browser_page)  # as loaded: the check itself wants a 2xx to load
