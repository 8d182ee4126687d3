"""``validate(doc)``: every problem of a workflow config at once, for any JSON input."""

from __future__ import annotations

from typing import Any

from workflow_designer.engine.analysis import analyse
from workflow_designer.engine.checker import MISSING, Checker, StateInfo, TransitionInfo
from workflow_designer.engine.params import shown
from workflow_designer.engine.problems import Problem, join_path
from workflow_designer.engine.references import check_approval, check_refs
from workflow_designer.engine.registry import REGISTRY, Registry
from workflow_designer.engine.schema import (
    DESCRIPTION_MAX_LENGTH,
    LABEL_MAX_LENGTH,
    NAME_MAX_LENGTH,
    ROLES,
    SCHEMA_VERSION,
    STATE_KEYS,
    STATE_TRANSLATED,
    TOP_LEVEL_KEYS,
    TRANSITION_KEYS,
    TRANSITION_TRANSLATED,
    is_name,
    reserved_reason,
)
from workflow_designer.engine.translations import check_translations


def validate(doc: Any, registry: Registry | None = None) -> list[Problem]:
    """Every problem with ``doc``, in document order; an empty list means it is valid."""
    return read(doc, registry).problems


def read(doc: Any, registry: Registry | None = None) -> Checker:
    """The checker after walking ``doc``: its problems and the parts it understood."""
    checker = Checker(registry or REGISTRY)
    if checker.object(doc, "", "The workflow"):
        _check_document(checker, doc)
    return checker


def _check_document(checker: Checker, doc: dict[str, Any]) -> None:
    """Walk the whole document, then analyse the state graph it describes."""
    checker.known_keys(doc, TOP_LEVEL_KEYS, "", "")
    _check_schema(checker, doc)
    states = checker.listing(doc, "states", "", "", required=True)
    if states is None:
        checker.states_complete = False
    else:
        _check_states(checker, states)
    _check_initial(checker, doc)
    transitions = checker.listing(doc, "transitions", "", "", required=True)
    if transitions is None:
        checker.transitions_complete = False
    else:
        for index, raw in enumerate(transitions):
            _check_transition(checker, raw, index)
    analyse(checker)


def _check_schema(checker: Checker, doc: dict[str, Any]) -> None:
    version = checker.get(doc, "schema", "", "", required=True)
    if version is MISSING or not checker.typed(
        version, int, "a whole number", "schema", "'schema'"
    ):
        return
    if version != SCHEMA_VERSION:
        checker.add("schema_version", "schema", version=version, current=SCHEMA_VERSION)


def _check_initial(checker: Checker, doc: dict[str, Any]) -> None:
    initial = checker.get(doc, "initial", "", "", required=True)
    if initial is MISSING or not checker.typed(initial, str, "a string", "initial", "'initial'"):
        return
    if initial not in checker.states:
        checker.add("unknown_initial", "initial", name=shown(initial), state=initial)
        return
    checker.initial = initial


def _check_states(checker: Checker, states: list[Any]) -> None:
    if not states:
        checker.add("empty_list", "states", field="'states'", item="state")
    for index, raw in enumerate(states):
        path = f"states[{index}]"
        if checker.object(raw, path, "Each state"):
            _check_state(checker, raw, index, path)
        else:
            checker.states_complete = False


def _check_state(checker: Checker, raw: dict[str, Any], index: int, path: str) -> None:
    name = _state_name(checker, raw, index, path)
    names = {"state": name}
    where = f" in state '{name}'" if name else f" in {path}"
    checker.known_keys(raw, STATE_KEYS, path, where, **names)
    checker.text(raw, "label", path, where, LABEL_MAX_LENGTH, required=True, **names)
    checker.text(raw, "description", path, where, DESCRIPTION_MAX_LENGTH, required=False, **names)
    check_translations(checker, raw, path, where, STATE_TRANSLATED, **names)
    final = checker.flag(raw, "final", path, **names)
    approval = None
    if "approval" in raw:
        approval = check_approval(
            checker, raw["approval"], join_path(path, "approval"), name or path
        )
    on_enter, _ = check_refs(checker, raw, "on_enter", path, "action", where, **names)
    if name is None:
        checker.states_complete = False
    elif name not in checker.states:
        checker.states[name] = StateInfo(index, name, final, approval, on_enter)


def _state_name(checker: Checker, raw: dict[str, Any], index: int, path: str) -> str | None:
    name = checker.get(raw, "name", path, f" in {path}", required=True)
    path = join_path(path, "name")
    if name is MISSING or not checker.typed(name, str, "a string", path, "'name'"):
        return None
    if not is_name(name):
        checker.add("bad_name", path, name=shown(name), limit=NAME_MAX_LENGTH, state=name)
        return None
    first = checker.states.get(name)
    if first is not None:
        checker.add("duplicate_state", path, name=name, first=first.index, state=name)
    return name


def _check_transition(checker: Checker, raw: Any, index: int) -> None:
    path = f"transitions[{index}]"
    if not checker.object(raw, path, "Each transition"):
        checker.transitions_complete = False
        return
    trigger = _trigger(checker, raw, path)
    names = {"transition": trigger}
    where = f" in transition '{trigger}'" if trigger else f" in {path}"
    checker.known_keys(raw, TRANSITION_KEYS, path, where, **names)
    checker.text(raw, "label", path, where, LABEL_MAX_LENGTH, required=True, **names)
    check_translations(checker, raw, path, where, TRANSITION_TRANSLATED, **names)
    sources, sources_ok = _sources(checker, raw, path, where, trigger)
    dest, dest_ok = _dest(checker, raw, path, where, trigger)
    roles = _roles(checker, raw, path, where, trigger)
    guards, guards_ok = check_refs(checker, raw, "guards", path, "guard", where, **names)
    actions, _ = check_refs(checker, raw, "actions", path, "action", where, **names)
    checker.flag(raw, "requires_comment", path, **names)
    info = TransitionInfo(
        index, trigger, sources, dest, roles, guards if guards_ok else None, actions
    )
    checker.transitions_complete &= sources_ok and dest_ok
    checker.transitions.append(info)


def _trigger(checker: Checker, raw: dict[str, Any], path: str) -> str | None:
    trigger = checker.get(raw, "trigger", path, f" in {path}", required=True)
    path = join_path(path, "trigger")
    if trigger is MISSING or not checker.typed(trigger, str, "a string", path, "'trigger'"):
        return None
    if trigger == "":
        checker.add("empty_trigger", path)
        return None
    if not is_name(trigger):
        checker.add(
            "bad_name", path, name=shown(trigger), limit=NAME_MAX_LENGTH, transition=trigger
        )
        return None
    why = reserved_reason(trigger)
    if why:
        checker.add("reserved_trigger", path, name=trigger, why=why, transition=trigger)
        return None
    return trigger


def _sources(
    checker: Checker, raw: dict[str, Any], path: str, where: str, trigger: str | None
) -> tuple[list[str], bool]:
    value = checker.get(raw, "source", path, where, required=True, transition=trigger)
    path = join_path(path, "source")
    if value is MISSING:
        return [], False
    if isinstance(value, str):
        known = _known_state(checker, value, path, trigger)
        return ([value] if known else []), known
    if not checker.typed(
        value, list, "a state name or a list of them", path, "'source'", transition=trigger
    ):
        return [], False
    if not value:
        checker.add("empty_list", path, field="'source'", item="state", transition=trigger)
        return [], False
    sources: list[str] = []
    ok = True
    for index, item in enumerate(value):
        item_path = join_path(path, index)
        if not checker.typed(
            item, str, "a state name", item_path, "Each source", transition=trigger
        ):
            ok = False
        elif item in sources:
            checker.add(
                "duplicate_source", item_path, name=item, trigger=trigger or "?", transition=trigger
            )
        elif _known_state(checker, item, item_path, trigger):
            sources.append(item)
        else:
            ok = False
    return sources, ok


def _dest(
    checker: Checker, raw: dict[str, Any], path: str, where: str, trigger: str | None
) -> tuple[str | None, bool]:
    dest = checker.get(raw, "dest", path, where, required=True, transition=trigger)
    path = join_path(path, "dest")
    if dest is MISSING or not checker.typed(
        dest, str, "a state name", path, "'dest'", transition=trigger
    ):
        return None, False
    if dest == "":
        checker.add("empty_dest", path, trigger=trigger or "?", transition=trigger)
        return None, False
    if not _known_state(checker, dest, path, trigger):
        return None, False
    return dest, True


def _known_state(checker: Checker, name: str, path: str, trigger: str | None) -> bool:
    if name in checker.states:
        return True
    checker.add("unknown_state", path, trigger=trigger or "?", name=shown(name), transition=trigger)
    return False


def _roles(
    checker: Checker, raw: dict[str, Any], path: str, where: str, trigger: str | None
) -> frozenset[str]:
    value = checker.listing(raw, "roles", path, where, required=True, transition=trigger)
    path = join_path(path, "roles")
    if value is None:
        return frozenset()
    if not value:
        checker.add("empty_list", path, field="'roles'", item="role", transition=trigger)
    roles: set[str] = set()
    for index, role in enumerate(value):
        item_path = join_path(path, index)
        if isinstance(role, str) and role in roles:
            checker.add("duplicate_role", item_path, role=role, transition=trigger)
        elif isinstance(role, str) and role in ROLES:
            roles.add(role)
        else:
            known = ", ".join(ROLES)
            checker.add(
                "unknown_role", item_path, role=shown(role), known=known, transition=trigger
            )
    return frozenset(roles)
