"""A bounded, thread-safe cache of compiled workflows keyed by workflow version id."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from workflow_designer.engine.compiler import CompiledWorkflow, compile_workflow
from workflow_designer.engine.registry import Registry
from workflow_designer.engine.schema import upgrade_config


class MachineCache:
    """Least-recently-used cache of compiled workflow versions.

    Only published versions belong here: they are immutable, so the version id alone
    identifies the machine. A draft that changes must be ``invalidate``d.
    """

    def __init__(self, maxsize: int = 256, registry: Registry | None = None) -> None:
        if maxsize < 1:
            raise ValueError("maxsize must be at least 1")
        self.maxsize = maxsize
        self.registry = registry
        self.hits = 0
        self.misses = 0
        self._entries: OrderedDict[Hashable, CompiledWorkflow] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, version_id: Hashable, load: Callable[[], Any]) -> CompiledWorkflow:
        """The compiled version, compiling ``load()``'s document (upgraded first) on a miss.

        Compiling happens outside the lock so one slow compile never blocks readers of
        other versions; if two threads race on the same miss, the first stored result wins.
        """
        with self._lock:
            compiled = self._entries.get(version_id)
            if compiled is not None:
                self._entries.move_to_end(version_id)
                self.hits += 1
                return compiled
            self.misses += 1
        compiled = compile_workflow(upgrade_config(load()), self.registry)
        with self._lock:
            compiled = self._entries.setdefault(version_id, compiled)
            self._entries.move_to_end(version_id)
            while len(self._entries) > self.maxsize:
                self._entries.popitem(last=False)
        return compiled

    def invalidate(self, version_id: Hashable) -> None:
        """Forget one version (e.g. a draft that was edited)."""
        with self._lock:
            self._entries.pop(version_id, None)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __contains__(self, version_id: Hashable) -> bool:
        with self._lock:
            return version_id in self._entries

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)
