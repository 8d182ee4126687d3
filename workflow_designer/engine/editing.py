"""Edits of a draft workflow document: states, transitions, the starting state.

Each edit takes a document and returns a new one (the input is never mutated), or raises
``EditError`` naming the form field at fault. Edits only refuse what no draft could ever
mean (a blank label, a name already taken); everything else — unreachable states, dead
ends, missing guards — is left for ``validate(doc)`` to report beside the element, because
a draft is half-built most of the time.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from workflow_designer.engine.schema import NAME_MAX_LENGTH, is_name, reserved_reason
from workflow_designer.engine.translations import merged, with_translations
from workflow_designer.policy.words import gettext as _


class EditError(ValueError):
    """An edit that cannot be applied; ``field`` is the form field the message belongs to."""

    def __init__(self, message: str, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass
class StateEdit:
    label: str
    description: str = ""
    final: bool = False
    name: str = ""  # empty: derived from the label
    on_enter: list[dict[str, Any]] = field(default_factory=list)
    # language → {"label": …, "description": …}; languages left out keep what they had
    translations: dict[str, dict[str, str]] = field(default_factory=dict)


@dataclass
class TransitionEdit:
    label: str
    sources: list[str]
    dest: str
    roles: list[str]
    trigger: str = ""  # empty: derived from the label
    requires_comment: bool = False
    guards: list[dict[str, Any]] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    translations: dict[str, dict[str, str]] = field(default_factory=dict)  # {"de": {"label": …}}


def machine_name(label: str, taken: set[str] | frozenset[str] = frozenset()) -> str:
    """A valid, unused identifier made from ``label``: "Sales rep review" → sales_rep_review."""
    base = re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_") or "step"
    if not base[0].isalpha():
        base = f"s_{base}"
    base = base[: NAME_MAX_LENGTH - 4]
    name, n = base, 2
    while name in taken or reserved_reason(name):
        name = f"{base}_{n}"
        n += 1
    return name


def states(doc: dict[str, Any]) -> list[dict[str, Any]]:
    raw = doc.get("states")
    return [s for s in raw if isinstance(s, dict)] if isinstance(raw, list) else []


def transitions(doc: dict[str, Any]) -> list[dict[str, Any]]:
    raw = doc.get("transitions")
    return [t for t in raw if isinstance(t, dict)] if isinstance(raw, list) else []


def state_names(doc: dict[str, Any]) -> list[str]:
    return [s["name"] for s in states(doc) if isinstance(s.get("name"), str)]


def sources_of(transition: dict[str, Any]) -> list[str]:
    source: Any = transition.get("source")
    return list(source) if isinstance(source, list) else [source]


def _copy(doc: dict[str, Any]) -> dict[str, Any]:
    new = copy.deepcopy(doc)
    new.setdefault("states", [])
    new.setdefault("transitions", [])
    return new


def _find_state(doc: dict[str, Any], name: str) -> dict[str, Any]:
    for state in states(doc):
        if state.get("name") == name:
            return state
    raise EditError(
        _("There is no state '%(name)s' in this draft any more. Reload the page.", name=name)
    )


def _label(label: str, field_name: str = "label") -> str:
    label = label.strip()
    if not label:
        raise EditError(_("Give it a label: this is what everyone sees."), field_name)
    return label


def _state_body(edit: StateEdit, name: str, old: dict[str, Any] | None) -> dict[str, Any]:
    body: dict[str, Any] = {"name": name, "label": _label(edit.label)}
    if edit.description.strip():
        body["description"] = edit.description.strip()
    if edit.final:
        body["final"] = True
    if old is not None and "approval" in old:
        body["approval"] = old["approval"]
    if edit.on_enter:
        body["on_enter"] = edit.on_enter
    before = old.get("translations") if old is not None else None
    return with_translations(body, merged(before, edit.translations))


def add_state(doc: dict[str, Any], edit: StateEdit) -> tuple[dict[str, Any], str]:
    """Add a state; returns the new document and the state's name."""
    new = _copy(doc)
    taken = set(state_names(new))
    name = edit.name.strip() or machine_name(edit.label, taken)
    _check_name(name, taken)
    new["states"].append(_state_body(edit, name, None))
    if not isinstance(new.get("initial"), str) or not new["initial"]:
        new["initial"] = name
    return new, name


def _check_name(name: str, taken: set[str], field_name: str = "name") -> None:
    if not is_name(name):
        raise EditError(
            _("Use lower-case letters, digits and underscores, starting with a letter."), field_name
        )
    if name in taken:
        raise EditError(_("A state named '%(name)s' already exists.", name=name), field_name)


def update_state(doc: dict[str, Any], name: str, edit: StateEdit) -> dict[str, Any]:
    """Change a state's label, description, final flag, entry actions, and maybe its name."""
    new = _copy(doc)
    state = _find_state(new, name)
    new_name = edit.name.strip() or name
    if new_name != name:
        _check_name(new_name, set(state_names(new)) - {name})
        _rename_references(new, name, new_name)
    state.clear()
    state.update(_state_body(edit, new_name, _find_state(doc, name)))
    return new


def _rename_references(doc: dict[str, Any], old: str, new: str) -> None:
    if doc.get("initial") == old:
        doc["initial"] = new
    for transition in transitions(doc):
        source = transition.get("source")
        if isinstance(source, list):
            transition["source"] = [new if s == old else s for s in source]
        elif source == old:
            transition["source"] = new
        if transition.get("dest") == old:
            transition["dest"] = new


def remove_state(doc: dict[str, Any], name: str) -> dict[str, Any]:
    """Remove a state and every transition into it; it leaves the sources of the others."""
    if doc.get("initial") == name:
        raise EditError(
            _("This is where every return starts. Choose another starting state first.")
        )
    new = _copy(doc)
    _find_state(new, name)
    new["states"] = [
        s for s in new["states"] if not (isinstance(s, dict) and s.get("name") == name)
    ]
    kept = []
    for transition in new["transitions"]:
        if not isinstance(transition, dict):
            kept.append(transition)
            continue
        if transition.get("dest") == name:
            continue
        remaining = [s for s in sources_of(transition) if s != name]
        if not remaining:
            continue
        source = transition.get("source")
        transition["source"] = remaining if isinstance(source, list) else remaining[0]
        kept.append(transition)
    new["transitions"] = kept
    return new


def removal_effects(doc: dict[str, Any], name: str) -> tuple[list[str], list[str]]:
    """What else removing state ``name`` changes: the labels of the transitions removed
    with it, and of those that stay but no longer start from it."""
    removed: list[str] = []
    narrowed: list[str] = []
    for transition in transitions(doc):
        label = str(transition.get("label") or transition.get("trigger") or "")
        sources = sources_of(transition)
        if transition.get("dest") == name or sources == [name]:
            removed.append(label)
        elif name in sources:
            narrowed.append(label)
    return removed, narrowed


def set_initial(doc: dict[str, Any], name: str) -> dict[str, Any]:
    new = _copy(doc)
    _find_state(new, name)
    new["initial"] = name
    return new


def _transition_body(doc: dict[str, Any], edit: TransitionEdit, trigger: str) -> dict[str, Any]:
    known = set(state_names(doc))
    if not edit.sources:
        raise EditError(_("Choose at least one state it starts from."), "sources")
    unknown = [s for s in [*edit.sources, edit.dest] if s not in known]
    if unknown:
        raise EditError(_("There is no state '%(name)s' in this draft.", name=unknown[0]), "dest")
    if not edit.roles:
        raise EditError(_("Choose at least one role that may do this."), "roles")
    body: dict[str, Any] = {
        "trigger": trigger,
        "label": _label(edit.label),
        "source": edit.sources[0] if len(edit.sources) == 1 else list(edit.sources),
        "dest": edit.dest,
        "roles": list(edit.roles),
    }
    if edit.guards:
        body["guards"] = edit.guards
    if edit.actions:
        body["actions"] = edit.actions
    if edit.requires_comment:
        body["requires_comment"] = True
    return with_translations(body, merged(None, edit.translations))


def _trigger(edit: TransitionEdit, doc: dict[str, Any]) -> str:
    trigger = edit.trigger.strip()
    if not trigger:
        # Transitions sharing a label share a trigger: they are one button with routes.
        same = [t.get("trigger") for t in transitions(doc) if t.get("label") == edit.label.strip()]
        taken = {str(t.get("trigger")) for t in transitions(doc)}
        trigger = next((t for t in same if is_name(t)), "") or machine_name(edit.label, taken)
    if not is_name(trigger):
        raise EditError(
            _("Use lower-case letters, digits and underscores, starting with a letter."), "trigger"
        )
    why = reserved_reason(trigger)
    if why:
        raise EditError(_("This name cannot be used: %(why)s.", why=why), "trigger")
    return trigger


def add_transition(doc: dict[str, Any], edit: TransitionEdit) -> tuple[dict[str, Any], int]:
    """Append a transition; returns the new document and its index."""
    new = _copy(doc)
    new["transitions"].append(_transition_body(new, edit, _trigger(edit, new)))
    return new, len(new["transitions"]) - 1


def update_transition(doc: dict[str, Any], index: int, edit: TransitionEdit) -> dict[str, Any]:
    new = _copy(doc)
    _check_index(new, index)
    body = _transition_body(new, edit, _trigger(edit, new))
    old = new["transitions"][index]
    before = old.get("translations") if isinstance(old, dict) else None
    with_translations(body, merged(before, edit.translations))
    new["transitions"][index] = _keep_order(old, body)
    return new


def _keep_order(old: Any, body: dict[str, Any]) -> dict[str, Any]:
    """A form lists roles and sources in its own order: the same ones stay as they were."""
    if not isinstance(old, dict):
        return body
    roles = old.get("roles")
    if isinstance(roles, list) and sorted(map(str, roles)) == sorted(body["roles"]):
        body["roles"] = list(roles)
    if sorted(map(str, sources_of(old))) == sorted(map(str, sources_of(body))):
        body["source"] = copy.deepcopy(old.get("source"))
    return body


def remove_transition(doc: dict[str, Any], index: int) -> dict[str, Any]:
    new = _copy(doc)
    _check_index(new, index)
    del new["transitions"][index]
    return new


def move_transition(doc: dict[str, Any], index: int, offset: int) -> dict[str, Any]:
    """Move a transition up (-1) or down (+1): order decides which of several fires first."""
    new = _copy(doc)
    _check_index(new, index)
    target = index + offset
    if 0 <= target < len(new["transitions"]):
        items = new["transitions"]
        items[index], items[target] = items[target], items[index]
    return new


def _check_index(doc: dict[str, Any], index: int) -> None:
    if not 0 <= index < len(doc["transitions"]):
        raise EditError(_("This transition is no longer in the draft. Reload the page."))
