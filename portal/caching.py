"""Small per-process caches with a time limit, for figures only an import changes.

A cache lives on the app (``current_app.extensions``), so an app built for a test never
sees another's entries. Entries expire after the cache's ``ttl`` seconds; a cache that
reaches ``max_entries`` starts afresh rather than tracking what was used when.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from flask import current_app

T = TypeVar("T")


class TimedCache:
    def __init__(self, ttl: float, max_entries: int = 10_000) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._entries: dict[Hashable, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    def get(self, key: Hashable, load: Callable[[], T]) -> T:
        """The value stored under ``key`` if it is fresh, else ``load()``'s (then stored).

        Two threads missing at once both load; the later value wins. Nothing is locked
        while loading."""
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(key)
        if entry is not None and entry[0] > now:
            return entry[1]
        value = load()
        with self._lock:
            if len(self._entries) >= self.max_entries:
                self._entries.clear()
            self._entries[key] = (now + self.ttl, value)
        return value


def app_cache(name: str, ttl: float) -> TimedCache:
    """The current app's cache called ``name`` (created on first use)."""
    return current_app.extensions.setdefault(f"rotaflow.cache.{name}", TimedCache(ttl))
