"""The login limit holds across processes: apps with engines of their own, and real
``rotaflow run`` servers, share it through the database (a SQLite file or PostgreSQL)."""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request

import pytest

from portal import create_app
from portal import migrations as schema
from portal.auth.throttle import get_throttle
from portal.db import get_database
from tests.conftest import POSTGRES_URL, TEST_CONFIG
from tests.notifications.conftest import free_port
from tests.processes import output_of, start_server, stop_process, wait_until
from tests.test_throttle import LIMITS, Clock

CEILING = 4


@pytest.fixture
def shared_url(backend, tmp_path, request) -> str:
    """A database other processes can open: a migrated SQLite file, or the PostgreSQL
    test database (emptied afterwards)."""
    if backend == "postgresql":
        request.getfixturevalue("committed_sessions")
        return POSTGRES_URL
    url = f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    schema.upgrade(url)
    return url


def test_two_apps_with_their_own_engines_share_the_limit(shared_url):
    settings = {**TEST_CONFIG, **LIMITS, "LOGIN_ATTEMPTS_PER_ADDRESS": CEILING}
    apps = [create_app({**settings, "DATABASE_URL": shared_url}) for _ in range(2)]
    clock = Clock()
    for app in apps:
        get_throttle(app).clock = clock
    clients = [app.test_client() for app in apps]
    try:
        statuses = [
            clients[n % 2].post("/login", data={"email": f"u{n}@example.com", "password": "x"})
            for n in range(CEILING + 1)
        ]
    finally:
        for app in apps:
            get_database(app).engine.dispose()
    assert [response.status_code for response in statuses] == [200] * CEILING + [429]


class Browser:
    """A cookie jar and a CSRF token for one server."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        page = self.opener.open(f"{self.base}/login", timeout=10).read()
        self.token = re.search(rb'name="csrf_token" type="hidden" value="([^"]+)"', page)[1]

    def log_in(self, email: str, password: str) -> int:
        data = {"email": email, "password": password, "csrf_token": self.token.decode()}
        body = urllib.parse.urlencode(data).encode()
        try:
            with self.opener.open(f"{self.base}/login", body, timeout=10) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code


def answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_two_rotaflow_servers_share_the_limit(shared_url, tmp_path):
    settings = {
        "SECRET_KEY": "a-test-key-long-enough-for-any-check-0123456789",
        "LOGIN_ATTEMPTS_PER_ADDRESS": str(CEILING),
        "LOGIN_ADDRESS_WINDOW_SECONDS": "3600",  # no window ends while the test runs
    }
    ports = [free_port(), free_port()]
    folders = [tmp_path / "one", tmp_path / "two"]
    servers = [
        start_server(folder, shared_url, port, "--no-worker", **settings)
        for folder, port in zip(folders, ports, strict=True)
    ]
    try:
        for server, folder, port in zip(servers, folders, ports, strict=True):
            wait_until(lambda port=port: answers(port), "the server answers", 30, (server, folder))
        browsers = [Browser(port) for port in ports]
        statuses = [
            browsers[n % 2].log_in(f"u{n}@example.com", "wrong") for n in range(CEILING + 1)
        ]
    finally:
        for server in servers:
            stop_process(server)
    # Each server alone would allow CEILING; together they allow CEILING.
    assert statuses == [200] * CEILING + [429], [output_of(f).read_text() for f in folders]
