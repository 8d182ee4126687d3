"""The compiled-machine cache: hits, misses, bounds, invalidation, threads."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.workflow_designer.engine.builders import minimal_doc
from workflow_designer.engine.errors import InvalidWorkflow
from workflow_designer.runtime.cache import MachineCache


class CountingLoader:
    def __init__(self, doc=None) -> None:
        self.calls = 0
        self.doc = doc if doc is not None else minimal_doc()

    def __call__(self):
        self.calls += 1
        return self.doc


def test_a_version_is_compiled_once_then_served_from_the_cache():
    cache, load = MachineCache(), CountingLoader()
    first = cache.get(7, load)
    assert cache.get(7, load) is first
    assert (load.calls, cache.hits, cache.misses, len(cache)) == (1, 1, 1, 1)
    assert 7 in cache and 8 not in cache


def test_the_least_recently_used_version_is_evicted():
    cache = MachineCache(maxsize=2)
    one = cache.get(1, CountingLoader())
    cache.get(2, CountingLoader())
    assert cache.get(1, CountingLoader()) is one  # 1 is now the most recent
    cache.get(3, CountingLoader())
    assert 1 in cache and 2 not in cache and 3 in cache


def test_invalidate_and_clear_forget_versions():
    cache, load = MachineCache(), CountingLoader()
    cache.get("draft-1", load)
    cache.invalidate("draft-1")
    cache.invalidate("never-cached")
    cache.get("draft-1", load)
    assert load.calls == 2
    cache.clear()
    assert len(cache) == 0


def test_invalid_documents_raise_and_are_not_cached():
    doc = minimal_doc()
    doc["initial"] = "nowhere"
    cache = MachineCache()
    with pytest.raises(InvalidWorkflow):
        cache.get(1, CountingLoader(doc))
    assert 1 not in cache


def test_the_size_must_be_positive():
    with pytest.raises(ValueError):
        MachineCache(maxsize=0)


def test_concurrent_misses_all_get_the_same_machine():
    cache = MachineCache()
    barrier = threading.Barrier(8)

    def get(_: int):
        barrier.wait()
        return cache.get(42, minimal_doc)

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(get, range(8)))
    assert all(r is results[0] for r in results) and len(cache) == 1
    assert cache.hits + cache.misses == 8


def test_many_threads_on_a_small_cache_stay_within_bounds():
    cache = MachineCache(maxsize=3)
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(lambda i: cache.get(i % 5, minimal_doc), range(200)))
    assert len(cache) <= 3


def test_stored_documents_are_upgraded_before_compiling(monkeypatch):
    from workflow_designer.engine import schema

    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(schema.UPGRADERS, 1, lambda doc: {**doc, "schema": 1, "upgraded": 1})
    with pytest.raises(InvalidWorkflow) as excinfo:  # the upgrader ran: its key is refused
        MachineCache().get(1, minimal_doc)
    assert [p.path for p in excinfo.value.problems] == ["upgraded"]
