"""The context a trigger is fired with, and the undo log that makes firing all-or-nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, NamedTuple


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC."""
    return datetime.now(UTC)


def role_of(actor: Any) -> str | None:
    """The role name of ``actor`` (a User with a ``role`` enum or string), if any."""
    role = getattr(actor, "role", None)
    if role is None:
        return None
    return str(getattr(role, "value", role))


class Savepoint(NamedTuple):
    """How far the undo log and the effects list had grown at one moment."""

    undo: int
    effects: int


@dataclass(eq=False)
class FireContext:
    """Everything guards and actions may read or change while one trigger fires.

    ``rma`` is duck-typed (see docs/workflows.md for the attributes guards read).
    ``session`` is None outside the database layer. Actions record what a database layer
    must do later (outbox rows, …) as dicts in ``effects``, and change the RMA only through
    :meth:`set_rma` so a failed fire can be undone in memory.
    """

    rma: Any
    actor: Any = None
    session: Any = None
    comment: str = ""
    data: dict[str, Any] = field(default_factory=dict)
    effects: list[dict[str, Any]] = field(default_factory=list)
    now: datetime = field(default_factory=utcnow)
    role: str | None = None
    _undo: list[tuple[str, Any]] = field(default_factory=list, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.role is None:
            self.role = role_of(self.actor)

    @property
    def has_comment(self) -> bool:
        """Whether the actor wrote a non-blank comment."""
        return bool(self.comment and self.comment.strip())

    def set_rma(self, attr: str, value: Any) -> None:
        """Set an attribute of the RMA, remembering the old value for :meth:`rollback_to`."""
        self._undo.append((attr, getattr(self.rma, attr)))
        setattr(self.rma, attr, value)

    def add_effect(self, effect: dict[str, Any]) -> None:
        """Ask the database layer to do something once the fire succeeds."""
        self.effects.append(effect)

    def savepoint(self) -> Savepoint:
        """Mark the current point, to roll back to if a fire fails."""
        return Savepoint(len(self._undo), len(self.effects))

    def rollback_to(self, savepoint: Savepoint) -> None:
        """Undo RMA changes and drop effects recorded since ``savepoint``."""
        while len(self._undo) > savepoint.undo:
            attr, old = self._undo.pop()
            setattr(self.rma, attr, old)
        del self.effects[savepoint.effects :]
