"""Browser tests: Debian's Chromium driven by Playwright against a live local server.

The app runs in a thread on a free localhost port over its own SQLite file, with CSRF on,
exactly as a user would meet it. Chromium is never downloaded: it must be installed
(``apt-get install chromium``) or named by ``ROTAFLOW_CHROMIUM``.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import CHROMIUM_ARGS, chromium_path, live_server, page  # noqa: F401 (fixtures)
from tests.support import skip_or_fail

# expect() waits as long as a page action does (the contexts' default), not Playwright's
# 5 s: the suite runs a browser per core, and a save's round trip can take longer.
expect.set_options(timeout=10_000)


@pytest.fixture(scope="session")
def chromium():
    path = chromium_path()
    if path is None:
        skip_or_fail("Chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
