"""What changed between two workflow documents: states and transitions added, removed, changed.

States are matched by name. Transitions are matched by trigger, sources and destination
(the n-th such transition on each side with the n-th on the other), so changing a
transition's label or guards shows as a change, moving its destination as remove + add.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from workflow_designer.engine.editing import sources_of, states, transitions

STATE_FIELDS = ("label", "description", "final", "approval", "on_enter")
TRANSITION_FIELDS = ("label", "roles", "guards", "actions", "requires_comment")


@dataclass(frozen=True)
class Change:
    """One element on both sides, with the fields that differ as (field, before, after)."""

    key: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    fields: tuple[tuple[str, Any, Any], ...] = ()

    @property
    def kind(self) -> str:
        if self.before is None:
            return "added"
        return "removed" if self.after is None else "changed"


@dataclass
class Diff:
    initial: tuple[Any, Any] | None = None
    states: list[Change] = field(default_factory=list)
    transitions: list[Change] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return self.initial is None and not self.states and not self.transitions

    def counts(self) -> Counter[str]:
        return Counter(change.kind for change in [*self.states, *self.transitions])


def diff_docs(before: dict[str, Any], after: dict[str, Any]) -> Diff:
    """The differences from ``before`` to ``after``, in the order of ``after`` then removals."""
    diff = Diff()
    if before.get("initial") != after.get("initial"):
        diff.initial = (before.get("initial"), after.get("initial"))
    diff.states = _compare(_keyed_states(before), _keyed_states(after), STATE_FIELDS)
    diff.transitions = _compare(
        _keyed_transitions(before), _keyed_transitions(after), TRANSITION_FIELDS
    )
    return diff


def _keyed_states(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {str(s.get("name")): s for s in states(doc)}


def transition_key(transition: dict[str, Any]) -> str:
    sources = ", ".join(str(s) for s in sources_of(transition))
    return f"{transition.get('trigger')}: {sources} → {transition.get('dest')}"


def _keyed_transitions(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    keyed: dict[str, dict[str, Any]] = {}
    seen: Counter[str] = Counter()
    for transition in transitions(doc):
        key = transition_key(transition)
        seen[key] += 1
        keyed[key if seen[key] == 1 else f"{key} (#{seen[key]})"] = transition
    return keyed


def _compare(
    before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]], names: tuple[str, ...]
) -> list[Change]:
    changes = []
    for key, new in after.items():
        old = before.get(key)
        if old is None:
            changes.append(Change(key, None, new))
            continue
        fields = tuple(
            (name, old.get(name), new.get(name))
            for name in names
            if _normal(old.get(name)) != _normal(new.get(name))
        )
        if fields:
            changes.append(Change(key, old, new, fields))
    changes += [Change(key, old, None) for key, old in before.items() if key not in after]
    return changes


def _normal(value: Any) -> Any:
    # A missing optional field and its default say the same thing.
    return None if value in (None, False, [], "", {}) else value
