"""Where the throttle's counters live: the app's database (the default), or Redis when
``THROTTLE_REDIS_URL`` names one. Both are shared by every process and machine.

A counter has hits, the time of its last hit, and a time it expires: a fixed window
expires ``window`` after its first hit, a sliding one ``window`` after its last. Each
change is one atomic step (an upsert, a Lua script), safe when processes race.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Protocol

from flask import Flask, g
from sqlalchemy import case, delete, literal, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from models import ThrottleCounter
from models.base import UTCDateTime
from portal.config import ENV_PREFIX, ConfigurationError
from portal.db import get_database

COUNTERS = ThrottleCounter.__table__


class Counters(Protocol):
    def count(
        self, key: str, now: datetime, window: timedelta, *, sliding: bool = False
    ) -> tuple[int, datetime]:
        """Add a hit to ``key`` (afresh once expired); its hits and when it expires."""

    def read(self, keys: Iterable[str], now: datetime) -> dict[str, tuple[int, datetime]]:
        """Hits and last hit of those ``keys`` that have not expired."""

    def forget(self, key: str) -> None: ...

    def prune(self, now: datetime) -> None:
        """Remove expired counters."""


def counters_for(app: Flask) -> Counters:
    url = app.config["THROTTLE_REDIS_URL"]
    return RedisCounters(url) if url else DatabaseCounters(app)


class DatabaseCounters:
    """Rows of ``throttle_counters``, each change in a short transaction of its own: a
    failed login's rollback keeps it, and no row stays locked while a password is hashed."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def count(
        self, key: str, now: datetime, window: timedelta, *, sliding: bool = False
    ) -> tuple[int, datetime]:
        expired = COUNTERS.c.expires_at <= now
        renewed = literal(now + window, UTCDateTime(timezone=True))
        insert = _insert_for(self.app)
        statement = (
            insert.values(key=key, hits=1, last_at=now, expires_at=now + window)
            .on_conflict_do_update(
                index_elements=[COUNTERS.c.key],
                set_={
                    "hits": case((expired, 1), else_=COUNTERS.c.hits + 1),
                    "last_at": now,
                    "expires_at": renewed
                    if sliding
                    else case((expired, renewed), else_=COUNTERS.c.expires_at),
                },
            )
            .returning(COUNTERS.c.hits, COUNTERS.c.expires_at)
        )
        with self._transaction() as session:
            hits, expires_at = session.execute(statement).one()
        return hits, expires_at

    def read(self, keys: Iterable[str], now: datetime) -> dict[str, tuple[int, datetime]]:
        query = select(ThrottleCounter.key, ThrottleCounter.hits, ThrottleCounter.last_at).where(
            ThrottleCounter.key.in_(list(keys)), ThrottleCounter.expires_at > now
        )
        with self._transaction() as session:
            return {key: (hits, last_at) for key, hits, last_at in session.execute(query)}

    def forget(self, key: str) -> None:
        with self._transaction() as session:
            session.execute(delete(ThrottleCounter).where(ThrottleCounter.key == key))

    def prune(self, now: datetime) -> None:
        with self._transaction() as session:
            session.execute(delete(ThrottleCounter).where(ThrottleCounter.expires_at <= now))

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        _end_request_reads()
        with get_database(self.app).session_factory.begin() as session:
            yield session


def _insert_for(app: Flask):
    dialect = get_database(app).engine.dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(COUNTERS)


def _end_request_reads() -> None:
    """End the request session's transaction when it has only read. On SQLite an open
    transaction holds the one write lock (BEGIN IMMEDIATE), which ours would wait for."""
    session = g.get("db_session")
    if session is None or not session.in_transaction():
        return
    if not (session.new or session.dirty or session.deleted):
        session.commit()


# One hash per counter. Times are the caller's clock in epoch seconds, so a test's clock
# works as well; Redis removes the key itself once it expires.
_COUNT = """
local now, window = tonumber(ARGV[1]), tonumber(ARGV[2])
local hits = tonumber(redis.call('HGET', KEYS[1], 'hits'))
local expires = tonumber(redis.call('HGET', KEYS[1], 'expires'))
if hits == nil or expires <= now then
  hits, expires = 1, now + window
else
  hits = hits + 1
  if ARGV[3] == '1' then expires = now + window end
end
local ends = string.format('%.6f', expires)
redis.call('HSET', KEYS[1], 'hits', hits, 'last', ARGV[1], 'expires', ends)
redis.call('PEXPIRE', KEYS[1], math.max(1, math.ceil((expires - now) * 1000)))
return {hits, ends}
"""


class RedisCounters:
    """Counters in Redis, for sites that would rather keep them out of the database."""

    prefix = "rotaflow:throttle:"

    def __init__(self, url: str) -> None:
        try:
            import redis
        except ImportError:
            raise ConfigurationError(
                f"{ENV_PREFIX}THROTTLE_REDIS_URL needs the redis client: "
                "pip install 'rotaflow[redis]'"
            ) from None
        self.client = redis.Redis.from_url(url)  # connects on first use, not here
        self._count = self.client.register_script(_COUNT)

    def count(
        self, key: str, now: datetime, window: timedelta, *, sliding: bool = False
    ) -> tuple[int, datetime]:
        arguments = [now.timestamp(), window.total_seconds(), "1" if sliding else "0"]
        hits, expires = self._count(keys=[self.prefix + key], args=arguments)
        return int(hits), _moment(expires)

    def read(self, keys: Iterable[str], now: datetime) -> dict[str, tuple[int, datetime]]:
        keys = list(keys)
        pipeline = self.client.pipeline(transaction=False)
        for key in keys:
            pipeline.hmget(self.prefix + key, "hits", "last", "expires")
        found = {}
        for key, (hits, last, expires) in zip(keys, pipeline.execute(), strict=True):
            if hits is not None and _moment(expires) > now:
                found[key] = (int(hits), _moment(last))
        return found

    def forget(self, key: str) -> None:
        self.client.delete(self.prefix + key)

    def prune(self, now: datetime) -> None:
        pass  # Redis expires the keys itself


def _moment(epoch_seconds: bytes | str) -> datetime:
    return datetime.fromtimestamp(float(epoch_seconds), UTC)
