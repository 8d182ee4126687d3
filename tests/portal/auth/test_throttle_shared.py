"""The login limit holds across processes: apps with engines of their own, real
``rotaflow run`` servers and concurrent threads share it through the database (a SQLite
file or PostgreSQL)."""

from __future__ import annotations

import http.cookiejar
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import ThrottleCounter
from portal import create_app
from portal import migrations as schema
from portal.auth.throttle import get_throttle
from portal.db import get_database
from tests.factories import make_user
from tests.portal.auth.test_throttle import LIMITS, Clock
from tests.portal.notifications.helpers import free_port
from tests.processes import answers, output_of, start_server, stop_process, wait_until
from tests.support import POSTGRES_URL, TEST_CONFIG, sign_in

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


def test_concurrent_attempts_are_each_counted_once(shared_url):
    """Eight threads, each with a connection of its own, count at once: no attempt is
    lost and none fails (one upsert per counter; SQLite queues writers)."""
    app = create_app({**TEST_CONFIG, **LIMITS, "DATABASE_URL": shared_url})
    throttle = get_throttle(app)
    throttle.clock = Clock()
    barrier = threading.Barrier(8)

    def one_attempt() -> None:
        with app.test_request_context("/login", method="POST"):
            barrier.wait()
            throttle.count_attempt("192.0.2.1")
            throttle.record_failure("someone@example.com", "192.0.2.1")

    try:
        with ThreadPoolExecutor(8) as pool:
            for future in [pool.submit(one_attempt) for _ in range(8)]:
                future.result()
        with Session(get_database(app).engine) as session:
            hits = sorted(session.scalars(select(ThrottleCounter.hits)))
    finally:
        get_database(app).engine.dispose()
    assert hits == [8, 8, 8]  # the address's attempts, the pair's and the e-mail's failures


def test_a_signed_in_users_wrong_password_is_counted_without_waiting_on_its_own_request(
    shared_url,
):
    """The account page has read the user before the throttle writes: on a SQLite file
    that request's transaction holds the write lock, so the throttle must not wait
    behind it (it would, for the busy timeout, then fail)."""
    app = create_app({**TEST_CONFIG, **LIMITS, "DATABASE_URL": shared_url})
    get_throttle(app).clock = Clock()
    try:
        with Session(get_database(app).engine) as session:
            user_id = make_user(session).id
            session.commit()
        client = sign_in(app.test_client(), user_id)
        data = {"current_password": "wrong", "password": "x" * 12, "confirm": "x" * 12}
        response = client.post("/me/password", data=data)
        assert response.status_code == 422
        assert b"This is not your current password." in response.data
        with Session(get_database(app).engine) as session:
            assert session.scalar(select(func.count()).select_from(ThrottleCounter)) == 3
    finally:
        get_database(app).engine.dispose()
