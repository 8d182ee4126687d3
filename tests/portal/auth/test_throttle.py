"""Login throttling: per address, per (e-mail, address) with progressive delay, per e-mail
across addresses; counted in the database, so every app sharing it shares the limits.

The throttle's clock is moved by the tests; nothing sleeps.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from models import ThrottleCounter
from portal import create_app
from portal.auth.throttle import get_throttle
from tests.factories import PASSWORD, make_user
from tests.support import TEST_CONFIG

HERE, THERE = "192.0.2.1", "198.51.100.7"
LIMITS = {
    "THROTTLE_ENABLED": True,
    "LOGIN_ATTEMPTS_PER_ADDRESS": 30,
    "LOGIN_ADDRESS_WINDOW_SECONDS": 60,
    "LOGIN_FREE_FAILURES": 3,
    "LOGIN_DELAY_SECONDS": 1,
    "LOGIN_MAX_DELAY_SECONDS": 8,
    "LOGIN_FAILURE_MEMORY_SECONDS": 3600,
    "LOGIN_FAILURES_PER_EMAIL": 100,
    "LOGIN_EMAIL_WINDOW_SECONDS": 600,
}


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 6, 5, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def throttled(connection, clock):
    """A test client of an app with throttling on, small limits and ``clock``."""

    def build(**settings):
        app = create_app({**TEST_CONFIG, **LIMITS, **settings}, db_bind=connection)
        get_throttle(app).clock = clock
        return app.test_client()

    return build


def attempt(client, email, password=PASSWORD, address=HERE):
    return client.post(
        "/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address}
    )


def fail(client, email, address=HERE) -> int:
    return attempt(client, email, "wrong password", address).status_code


def page_body(response) -> bytes:
    """The page below its header (the header carries a per-session CSRF token)."""
    return response.data.split(b"<main", 1)[1].split(b">", 1)[1]


def test_an_address_over_its_ceiling_waits_for_the_window_to_end(throttled, clock, db_session):
    client = throttled(LOGIN_ATTEMPTS_PER_ADDRESS=6)
    user = make_user(db_session)
    assert [fail(client, f"user{i}@example.com") for i in range(6)] == [200] * 6
    refused = attempt(client, user.email)  # the right password too
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "60"
    assert b"Too many attempts. Wait 60 seconds" in refused.data
    assert attempt(client, user.email, address=THERE).status_code == 303
    client.post("/logout")
    clock.advance(45)
    assert attempt(client, user.email).headers["Retry-After"] == "15"
    clock.advance(15)
    assert attempt(client, user.email).status_code == 303


def test_failures_of_an_email_at_an_address_delay_it_progressively(throttled, clock, db_session):
    client = throttled()
    user = make_user(db_session)
    assert [fail(client, user.email) for _ in range(4)] == [200] * 4  # three free, then 1 s
    waits = []
    for _ in range(5):
        refused = attempt(client, user.email)  # even the right password waits
        assert refused.status_code == 429
        waits.append(int(refused.headers["Retry-After"]))
        clock.advance(waits[-1])
        assert fail(client, user.email) == 200
    assert waits == [1, 2, 4, 8, 8]  # doubling, capped at LOGIN_MAX_DELAY_SECONDS


def test_another_address_logs_in_while_one_is_delayed(throttled, db_session):
    client = throttled()
    user = make_user(db_session)
    for _ in range(6):
        fail(client, user.email)
    assert attempt(client, user.email).status_code == 429
    assert attempt(client, user.email, address=THERE).status_code == 303


def test_a_success_forgets_the_failures_of_the_pair(throttled, clock, db_session):
    client = throttled()
    user = make_user(db_session)
    for _ in range(4):
        fail(client, user.email)
    clock.advance(1)
    assert attempt(client, user.email).status_code == 303
    client.post("/logout")
    assert [fail(client, user.email) for _ in range(4)] == [200] * 4


def test_unknown_and_known_emails_are_throttled_alike(throttled, db_session):
    client = throttled()
    user = make_user(db_session)
    for email in (user.email, "nobody@example.com"):
        for _ in range(4):
            fail(client, email)
    known, unknown = attempt(client, user.email), attempt(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 429
    assert page_body(known) == page_body(unknown)


def test_failures_spread_over_addresses_slow_every_address_without_locking_any(
    throttled, db_session
):
    client = throttled(LOGIN_FAILURES_PER_EMAIL=6)
    user = make_user(db_session)
    for n in range(7):  # one failure each from seven addresses: above the e-mail's six
        assert fail(client, user.email, f"203.0.113.{n}") == 200
    # An address that failed once now waits before its next try …
    assert attempt(client, user.email, address="203.0.113.0").status_code == 429
    # … while one that has not failed is never refused.
    assert attempt(client, user.email, address=THERE).status_code == 303


def test_expired_counters_are_pruned(throttled, clock, db_session):
    client = throttled()
    user = make_user(db_session)
    fail(client, user.email)
    assert db_session.scalar(select(func.count()).select_from(ThrottleCounter)) == 3
    clock.advance(3600)  # past every window and the failure memory
    fail(client, "someone@example.com", THERE)
    assert db_session.scalar(select(func.count()).select_from(ThrottleCounter)) == 3
    hits = db_session.scalars(select(ThrottleCounter.hits)).all()
    assert hits == [1, 1, 1]  # only the new attempt's counters


def test_throttling_off_counts_nothing(client, db_session):
    user = make_user(db_session)
    for _ in range(8):  # past any free failures
        fail(client, user.email)
    assert attempt(client, user.email).status_code == 303
    assert db_session.scalar(select(func.count()).select_from(ThrottleCounter)) == 0


def test_nonsense_limits_stop_start_up():
    from portal.config import ConfigurationError

    with pytest.raises(ConfigurationError, match="LOGIN_DELAY_SECONDS"):
        create_app({**TEST_CONFIG, "LOGIN_DELAY_SECONDS": 0, "DATABASE_URL": "sqlite://"})
