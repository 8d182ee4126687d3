"""The small timed caches: fresh values are reused, stale ones reloaded, one cache per app."""

from __future__ import annotations

from portal import caching
from portal.caching import TimedCache, app_cache


def test_a_value_is_reused_until_it_expires(monkeypatch):
    now = [100.0]
    monkeypatch.setattr(caching.time, "monotonic", lambda: now[0])
    cache, loads = TimedCache(ttl=60), []

    def load():
        loads.append(now[0])
        return len(loads)

    assert cache.get("key", load) == 1
    now[0] += 59
    assert cache.get("key", load) == 1
    now[0] += 2
    assert cache.get("key", load) == 2
    assert cache.get("other", load) == 3


def test_a_full_cache_starts_afresh():
    cache = TimedCache(ttl=60, max_entries=2)
    for key in "abc":
        cache.get(key, lambda k=key: k)
    assert cache.get("a", lambda: "reloaded") == "reloaded"


def test_each_app_has_its_own(app):
    from portal import create_app

    other = create_app({"ENV": "testing", "DATABASE_URL": "sqlite://"})
    with app.app_context():
        app_cache("figures", 60).get("key", lambda: "first app")
    with other.app_context():
        assert app_cache("figures", 60).get("key", lambda: "second app") == "second app"
    with app.app_context():
        assert app_cache("figures", 60).get("key", lambda: "reloaded") == "first app"
