"""The throttle with its counters in Redis (``THROTTLE_REDIS_URL``): the same limits,
shared by apps that share the Redis server, and nothing written to the database.

Runs when ``ROTAFLOW_TEST_REDIS_URL`` names a Redis server the tests may write keys to
(they use a prefix of their own and remove their keys).
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import func, select

from models import ThrottleCounter
from portal import create_app
from portal.auth.counters import RedisCounters
from portal.auth.throttle import get_throttle
from tests.factories import PASSWORD, make_user
from tests.portal.auth.test_throttle import LIMITS, Clock, attempt, fail
from tests.support import TEST_CONFIG

REDIS_URL = os.environ.get("ROTAFLOW_TEST_REDIS_URL")
pytestmark = pytest.mark.skipif(not REDIS_URL, reason="ROTAFLOW_TEST_REDIS_URL is not set")


@pytest.fixture
def prefix():
    prefix = f"rotaflow-test:{uuid.uuid4().hex}:"
    yield prefix
    client = RedisCounters(REDIS_URL).client
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)
    client.close()


@pytest.fixture
def redis_clients(connection, prefix):
    """Test clients of apps with counters of their own in Redis, one clock for all."""
    clock = Clock()

    def build(count=1, **settings):
        config = {**TEST_CONFIG, **LIMITS, "THROTTLE_REDIS_URL": REDIS_URL, **settings}
        clients = []
        for _ in range(count):
            app = create_app(config, db_bind=connection)
            throttle = get_throttle(app)
            throttle.clock = clock
            throttle.counters.prefix = prefix
            clients.append(app.test_client())
        return clients, clock

    return build


def test_apps_share_the_address_ceiling_through_redis(redis_clients, db_session):
    (one, two), _clock = redis_clients(2, LOGIN_ATTEMPTS_PER_ADDRESS=4)
    statuses = [fail((one, two)[n % 2], f"u{n}@example.com") for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]
    assert db_session.scalar(select(func.count()).select_from(ThrottleCounter)) == 0


def test_progressive_delay_and_forgetting_on_success_in_redis(redis_clients, db_session):
    (client,), clock = redis_clients()
    user = make_user(db_session)
    assert [fail(client, user.email) for _ in range(4)] == [200] * 4
    waits = []
    for _ in range(3):
        refused = attempt(client, user.email)
        assert refused.status_code == 429
        waits.append(int(refused.headers["Retry-After"]))
        clock.advance(waits[-1])
        fail(client, user.email)
    assert waits == [1, 2, 4]
    clock.advance(8)
    assert attempt(client, user.email, PASSWORD).status_code == 303
    client.post("/logout")
    assert [fail(client, user.email) for _ in range(4)] == [200] * 4


def test_redis_removes_counters_when_they_expire(redis_clients, prefix):
    (client,), _clock = redis_clients()
    fail(client, "someone@example.com")
    redis = RedisCounters(REDIS_URL).client
    ttls = sorted(redis.pttl(key) for key in redis.scan_iter(f"{prefix}*"))
    redis.close()
    # The address's window, the e-mail's window, the pair's memory (LIMITS): each key
    # expires within its own, counted from the attempt.
    windows = [60_000, 600_000, 3_600_000]
    assert len(ttls) == 3
    assert all(
        earlier < ttl <= window
        for ttl, earlier, window in zip(ttls, [0, *windows[:-1]], windows, strict=True)
    )


def test_a_redis_url_without_the_client_stops_start_up(monkeypatch):
    import sys

    from portal.config import ConfigurationError

    monkeypatch.setitem(sys.modules, "redis", None)
    with pytest.raises(ConfigurationError, match="THROTTLE_REDIS_URL needs the redis client"):
        create_app({**TEST_CONFIG, "DATABASE_URL": "sqlite://", "THROTTLE_REDIS_URL": REDIS_URL})
