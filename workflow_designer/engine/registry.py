"""The registry of guards and actions: the only names a workflow config can refer to."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from workflow_designer.engine.actions import BUILTIN_ACTIONS
from workflow_designer.engine.base import ActionBase, GuardBase, Registered
from workflow_designer.engine.errors import UnknownName
from workflow_designer.engine.guards import BUILTIN_GUARDS
from workflow_designer.engine.schema import is_name

G = TypeVar("G", bound=type[GuardBase])
A = TypeVar("A", bound=type[ActionBase])


class Registry:
    """Guards and actions keyed by name; each registered class is instantiated once."""

    def __init__(
        self,
        guards: Iterable[type[GuardBase]] = (),
        actions: Iterable[type[ActionBase]] = (),
    ) -> None:
        self._guards: dict[str, GuardBase] = {}
        self._actions: dict[str, ActionBase] = {}
        for guard in guards:
            self.register_guard(guard)
        for action in actions:
            self.register_action(action)

    def register_guard(self, cls: G) -> G:
        """Add a guard class (usable as a decorator); its name must be new."""
        self._add(self._guards, cls, GuardBase)
        return cls

    def register_action(self, cls: A) -> A:
        """Add an action class (usable as a decorator); its name must be new."""
        self._add(self._actions, cls, ActionBase)
        return cls

    @staticmethod
    def _add(table: dict[str, Any], cls: type[Registered], base: type[Registered]) -> None:
        if not (isinstance(cls, type) and issubclass(cls, base)):
            raise TypeError(f"{cls!r} is not a {base.__name__} subclass")
        name = getattr(cls, "name", None)
        if not is_name(name):
            raise ValueError(f"{cls.__name__} needs a simple lower-case name, not {name!r}")
        if name in table:
            raise ValueError(f"a {base.kind} named '{name}' is already registered")
        table[name] = cls()

    def guard(self, name: object) -> GuardBase:
        """The guard registered as ``name``; raises UnknownName for anything else."""
        if isinstance(name, str) and name in self._guards:
            return self._guards[name]
        raise UnknownName(f"no guard named {name!r} is registered")

    def action(self, name: object) -> ActionBase:
        """The action registered as ``name``; raises UnknownName for anything else."""
        if isinstance(name, str) and name in self._actions:
            return self._actions[name]
        raise UnknownName(f"no action named {name!r} is registered")

    def has_guard(self, name: object) -> bool:
        return isinstance(name, str) and name in self._guards

    def has_action(self, name: object) -> bool:
        return isinstance(name, str) and name in self._actions

    def guard_names(self) -> list[str]:
        return sorted(self._guards)

    def action_names(self) -> list[str]:
        return sorted(self._actions)

    def describe(self) -> dict[str, list[dict[str, Any]]]:
        """Every guard and action with label, description and parameter specs, for the designer."""
        return {
            "guards": [self._guards[n].describe() for n in self.guard_names()],
            "actions": [self._actions[n].describe() for n in self.action_names()],
        }

    def copy(self) -> Registry:
        """An independent registry with the same entries (tests extend copies, not REGISTRY)."""
        clone = Registry()
        clone._guards = dict(self._guards)
        clone._actions = dict(self._actions)
        return clone


# The process-wide registry. Features register their actions here at import time, before
# any workflow is validated or compiled.
REGISTRY = Registry(BUILTIN_GUARDS, BUILTIN_ACTIONS)
