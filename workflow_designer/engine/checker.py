"""The collector the validator fills: problems, plus the well-formed parts it understood."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from workflow_designer.engine.params import shown
from workflow_designer.engine.problems import Problem, join_path, json_kind, problem
from workflow_designer.engine.registry import Registry

MISSING: Any = object()


@dataclass(frozen=True)
class RefInfo:
    """A guard or action reference with parsed parameters (``ok`` if it was all valid)."""

    name: str
    params: dict[str, Any]
    path: str
    ok: bool

    def key(self) -> tuple[str, tuple[tuple[str, Any], ...]]:
        """Identity of the reference: name plus parameter values, order-insensitive."""
        return self.name, tuple(sorted(self.params.items()))


@dataclass(frozen=True)
class ApprovalInfo:
    """An approval step as far as it could be read."""

    step: int | None
    when_kind: str | None
    when_amount: Decimal | None
    escalate_to: str | None
    path: str


@dataclass
class StateInfo:
    """What the graph checks need of a state whose name was valid."""

    index: int
    name: str
    final: bool
    approval: ApprovalInfo | None
    on_enter: list[RefInfo]


@dataclass
class TransitionInfo:
    """What the graph checks need of a transition; unreadable parts are left empty or None."""

    index: int
    trigger: str | None
    sources: list[str]
    dest: str | None
    roles: frozenset[str]
    guards: list[RefInfo] | None
    actions: list[RefInfo]

    @property
    def label(self) -> str:
        """How messages refer to this transition: ``transitions[2] 'approve'``."""
        return f"transitions[{self.index}] '{self.trigger or '?'}'"


@dataclass
class Checker:
    """Collects problems while walking a document; never raises on odd input."""

    registry: Registry
    problems: list[Problem] = field(default_factory=list)
    states: dict[str, StateInfo] = field(default_factory=dict)
    transitions: list[TransitionInfo] = field(default_factory=list)
    initial: str | None = None
    # Graph checks would only echo earlier problems when part of the graph was unreadable.
    states_complete: bool = True
    transitions_complete: bool = True

    def add(self, code: str, path: str, **fields: Any) -> None:
        """Record a problem from the catalogue."""
        self.problems.append(problem(code, path, **fields))

    def object(self, value: Any, path: str, what: str, **names: Any) -> bool:
        """Whether ``value`` is a JSON object; reports it if not."""
        if isinstance(value, dict):
            return True
        self.add("not_object", path, what=what, actual=json_kind(value), **names)
        return False

    def known_keys(
        self, obj: dict[str, Any], allowed: frozenset[str], path: str, where: str, **names: Any
    ) -> None:
        """Report every key of ``obj`` that is not in ``allowed``."""
        for key in obj:
            if key not in allowed:
                self.add(
                    "unknown_key", join_path(path, str(key)), key=shown(key), where=where, **names
                )

    def get(
        self, obj: dict[str, Any], key: str, path: str, where: str, required: bool, **names: Any
    ) -> Any:
        """``obj[key]``, or MISSING (reported when required)."""
        if key in obj:
            return obj[key]
        if required:
            self.add("missing", join_path(path, key), key=key, where=where, **names)
        return MISSING

    def typed(
        self,
        value: Any,
        types: type | tuple[type, ...],
        expected: str,
        path: str,
        field: str,
        **names: Any,
    ) -> bool:
        """Whether ``value`` has one of ``types`` (booleans never count as numbers)."""
        ok = isinstance(value, types) and not (
            isinstance(value, bool) and bool not in _as_tuple(types)
        )
        if not ok:
            self.add(
                "wrong_type", path, field=field, expected=expected, actual=json_kind(value), **names
            )
        return ok

    def text(
        self,
        obj: dict[str, Any],
        key: str,
        path: str,
        where: str,
        limit: int,
        required: bool,
        **names: Any,
    ) -> str | None:
        """A non-blank string field of at most ``limit`` characters."""
        value = self.get(obj, key, path, where, required, **names)
        if value is MISSING:
            return None
        path = join_path(path, key)
        field = f"'{key}'"
        if not self.typed(value, str, "a string", path, field, **names):
            return None
        text: str = value
        if not text.strip():
            self.add("blank", path, field=field, **names)
            return None
        if len(text) > limit:
            self.add("too_long", path, field=field, limit=limit, **names)
        return text

    def flag(self, obj: dict[str, Any], key: str, path: str, **names: Any) -> bool:
        """An optional boolean field, False when absent or ill-typed."""
        value = obj.get(key, False)
        return (
            self.typed(value, bool, "true or false", join_path(path, key), f"'{key}'", **names)
            and value
        )

    def listing(
        self, obj: dict[str, Any], key: str, path: str, where: str, required: bool, **names: Any
    ) -> list[Any] | None:
        """A list field: ``[]`` when optional and absent, None when unusable (reported)."""
        value = self.get(obj, key, path, where, required, **names)
        if value is MISSING:
            return [] if not required else None
        if self.typed(value, list, "a list", join_path(path, key), f"'{key}'", **names):
            items: list[Any] = value
            return items
        return None


def _as_tuple(types: type | tuple[type, ...]) -> tuple[type, ...]:
    return types if isinstance(types, tuple) else (types,)
