"""What changed between two workflow documents, one sentence per change, in the admin's words.

Both documents are first reduced to what they mean (``diff_normal``), so only real changes
are listed. States are matched by name; transitions by trigger, source and destination (the
n-th such transition on each side with the n-th on the other), so changing a transition's
label or guards reads as a change, moving its destination as a removal and an addition.

A change is a plain ``Change(subject, what, before, after)``: "Approval by sales rep: SLA
48 h → 24 h", "New step: Quality check", "Removed transition: Reject from Rep review".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from workflow_designer.engine import diff_words as words
from workflow_designer.engine.diff_normal import (
    State,
    Transition,
    Translations,
    labels_of,
    normal_states,
    normal_transitions,
)
from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import lazy_gettext as _l

# Longer values are left to the two sides rather than repeated in the sentence.
SHORT = 60
# What changed, in the reader's language; ``Change.what`` keeps the English key.
WHAT = {
    "start in": _l("start in"),
    "label": _l("label"),
    "description": _l("description"),
    "ends the return": _l("ends the return"),
    "on arrival": _l("on arrival"),
    "approval step": _l("approval step"),
    "step number": _l("step number"),
    "approver": _l("approver"),
    "applies": _l("applies"),
    "SLA": _l("SLA"),
    "escalates to": _l("escalates to"),
    "who may do it": _l("who may do it"),
    "only if": _l("only if"),
    "then": _l("then"),
    "comment required": _l("comment required"),
    "order tried": _l("order tried"),
    "New step": _l("New step"),
    "New state": _l("New state"),
    "Removed step": _l("Removed step"),
    "Removed state": _l("Removed state"),
    "New transition": _l("New transition"),
    "Removed transition": _l("Removed transition"),
}


@dataclass(frozen=True)
class Change:
    """One change: ``before`` is None for something new, ``after`` for something removed."""

    subject: str
    what: str
    before: str | None = None
    after: str | None = None

    @property
    def kind(self) -> str:
        if self.before is None:
            return "added"
        return "removed" if self.after is None else "changed"

    @property
    def sentence(self) -> str:
        what = words.translation_what(self.what) or str(WHAT.get(self.what, self.what))
        if self.kind != "changed":
            return _("%(what)s: %(subject)s", what=what, subject=self.subject)
        if max(len(self.before or ""), len(self.after or "")) > SHORT:
            # the two sides say how
            return _("%(subject)s: %(what)s changed", subject=self.subject, what=what)
        return _(
            "%(subject)s: %(what)s %(before)s → %(after)s",
            subject=self.subject,
            what=what,
            before=self.before,
            after=self.after,
        )


def diff_docs(before: Any, after: Any, user_names: Mapping[int, str] | None = None) -> list[Change]:
    """The changes from ``before`` to ``after``: the start, the states, the transitions.

    ``user_names`` names the users an approval step may be given to (else "user #42").
    """
    old = before if isinstance(before, dict) else {}
    new = after if isinstance(after, dict) else {}
    labels = {**labels_of(old), **labels_of(new)}
    say = words.Words(labels, user_names or {})
    changes = _initial(old, new, say)
    changes += _states(normal_states(old), normal_states(new), say)
    changes += _transitions(normal_transitions(old), normal_transitions(new), say)
    return changes


def _initial(old: dict[str, Any], new: dict[str, Any], say: words.Words) -> list[Change]:
    was, now = _start(old), _start(new)
    if was == now:
        return []
    return [_changed(_("Returns"), "start in", say.state(was), say.state(now), (was, now))]


def _start(doc: dict[str, Any]) -> str | None:
    initial = doc.get("initial")
    return initial if isinstance(initial, str) and initial else None


def _changed(
    subject: str, what: str, before: str, after: str, raw: tuple[Any, Any] = ((), ())
) -> Change:
    if before == after:  # never two identical sides: fall back to what is written
        before, after = f"{before} ({raw[0]!r})", f"{after} ({raw[1]!r})"
    return Change(subject, what, before, after)


# --- states ----------------------------------------------------------------------------

STATE_FIELDS: tuple[tuple[str, Callable[[State, words.Words], str]], ...] = (
    ("description", lambda s, say: s.description or _("none")),
    ("ends the return", lambda s, say: _("yes") if s.final else _("no")),
    ("on arrival", lambda s, say: say.actions(s.on_enter) or _("nothing")),
)
STATE_KEYS: dict[str, Callable[[State], Any]] = {
    "description": lambda s: s.description,
    "ends the return": lambda s: s.final,
    "on arrival": lambda s: tuple(r.key for r in s.on_enter),
}


def _states(old: dict[str, State], new: dict[str, State], say: words.Words) -> list[Change]:
    changes: list[Change] = []
    for name, state in new.items():
        previous = old.get(name)
        if previous is None:
            changes.append(
                Change(state.label, say.new_state(state), None, say.state_summary(state))
            )
        elif previous != state:
            changes += _state_changes(previous, state, say)
    changes += [
        Change(state.label, say.removed_state(state), say.state_summary(state), None)
        for name, state in old.items()
        if name not in new
    ]
    return changes


def _state_changes(old: State, new: State, say: words.Words) -> list[Change]:
    subject = new.label
    changes = []
    if old.label != new.label:
        changes.append(_changed(subject, "label", old.label, new.label))
    for what, show in STATE_FIELDS:
        key = STATE_KEYS[what]
        if key(old) != key(new):
            changes.append(
                _changed(subject, what, show(old, say), show(new, say), (key(old), key(new)))
            )
    changes += _translation_changes(subject, old.translations, new.translations)
    if old.approval != new.approval:
        changes += [
            _changed(subject, *change)
            for change in say.approval_changes(old.approval, new.approval)
        ]
    return changes


# --- transitions -----------------------------------------------------------------------

TRANSITION_FIELDS: tuple[
    tuple[str, Callable[[Transition, words.Words], str], Callable[[Transition], Any]], ...
] = (
    ("label", lambda t, say: t.label, lambda t: t.label),
    ("who may do it", lambda t, say: say.roles(t.roles), lambda t: t.roles),
    (
        "only if",
        lambda t, say: say.guards(t.guards) or _("always"),
        lambda t: tuple(r.key for r in t.guards),
    ),
    (
        "then",
        lambda t, say: say.actions(t.actions) or _("nothing"),
        lambda t: tuple(r.key for r in t.actions),
    ),
    (
        "comment required",
        lambda t, say: _("yes") if t.requires_comment else _("no"),
        lambda t: t.requires_comment,
    ),
)


def _transitions(old: list[Transition], new: list[Transition], say: words.Words) -> list[Change]:
    before = {t.identity: t for t in old}
    after = {t.identity: t for t in new}
    routes = _routes(old, new)
    changes: list[Change] = []
    for identity, transition in after.items():
        previous = before.get(identity)
        subject = say.transition(transition, routes)
        if previous is None:
            changes.append(
                Change(subject, "New transition", None, say.transition_summary(transition))
            )
            continue
        for what, show, key in TRANSITION_FIELDS:
            if key(previous) != key(transition):
                changes.append(
                    _changed(
                        subject,
                        what,
                        show(previous, say),
                        show(transition, say),
                        (key(previous), key(transition)),
                    )
                )
        changes += _translation_changes(subject, previous.translations, transition.translations)
    changes += [
        Change(say.transition(t, routes), "Removed transition", say.transition_summary(t), None)
        for identity, t in before.items()
        if identity not in after
    ]
    return changes + _order_changes(old, new, say)


def _translation_changes(subject: str, old: Translations, new: Translations) -> list[Change]:
    """One change per translated text written, rewritten or removed: "Received: label in
    German Eingegangen → Erhalten"."""
    was = {(language, key): text for language, key, text in old}
    now = {(language, key): text for language, key, text in new}
    changes = []
    for place in sorted(was.keys() | now.keys()):
        before, after = was.get(place), now.get(place)
        if before != after:
            what = words.translation_key(*place)
            changes.append(_changed(subject, what, before or _("none"), after or _("none")))
    return changes


def _routes(old: list[Transition], new: list[Transition]) -> dict[tuple[str, str], set[str]]:
    """(trigger, source) → the destinations it may lead to, on either side."""
    routes: dict[tuple[str, str], set[str]] = {}
    for t in [*old, *new]:
        routes.setdefault((t.trigger, t.source), set()).add(t.dest)
    return routes


def _order_changes(old: list[Transition], new: list[Transition], say: words.Words) -> list[Change]:
    """Transitions sharing a trigger and a source are tried in order: a new order is a change
    (of those on both sides; additions and removals are listed already)."""
    common = {t.identity for t in old} & {t.identity for t in new}
    first, second = _tried(old, common), _tried(new, common)
    changes = []
    for route, now in second.items():
        was = first.get(route, [])
        if [t.identity for t in was] != [t.identity for t in now]:
            subject = say.transition(now[0], {})
            changes.append(_changed(subject, "order tried", say.order(was), say.order(now)))
    return changes


def _tried(side: list[Transition], common: set[Any]) -> dict[tuple[str, str], list[Transition]]:
    """(trigger, source) → its transitions found on both sides, in the order they are tried."""
    grouped: dict[tuple[str, str], list[Transition]] = {}
    for t in side:
        if t.identity in common:
            grouped.setdefault((t.trigger, t.source), []).append(t)
    return grouped
