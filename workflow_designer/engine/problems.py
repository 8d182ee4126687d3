"""Validation problems and the catalogue of their messages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workflow_designer.policy.words import lazy_gettext as _l

# One entry per kind of problem; tests check that each has a case that produces it.
# Lazy: each message is read in the language of the request that shows it. Translations
# keep the quotes around '{name}': the designer swaps quoted names for their labels.
MESSAGES: dict[str, str] = {
    "not_object": _l("{what} must be a JSON object, not {actual}."),
    "unknown_key": _l("Unknown key '{key}'{where}."),
    "missing": _l("'{key}' is required{where}."),
    "wrong_type": _l("{field} must be {expected}, not {actual}."),
    "blank": _l("{field} must not be blank."),
    "too_long": _l("{field} is longer than {limit} characters."),
    "bad_language": _l(
        "'{language}' is not a language code{where}: use two or three lower-case letters, e.g. de."
    ),
    "empty_list": _l("{field} must list at least one {item}."),
    "schema_version": _l(
        "Schema version {version} is not supported; this build reads version {current}."
    ),
    "bad_name": _l(
        "'{name}' is not a valid name: use lower-case letters, digits and underscores, "
        "starting with a letter, at most {limit} characters."
    ),
    "empty_trigger": _l("The trigger name must not be empty."),
    "reserved_trigger": _l("Trigger '{name}' cannot be used: {why}."),
    "duplicate_state": _l("State '{name}' is defined more than once (first at states[{first}])."),
    "duplicate_source": _l("State '{name}' is listed twice as a source of '{trigger}'."),
    "duplicate_role": _l("Role '{role}' is listed twice."),
    "unknown_initial": _l("The initial state '{name}' is not one of the states."),
    "unknown_state": _l("Transition '{trigger}' refers to unknown state '{name}'."),
    "empty_dest": _l(
        "Transition '{trigger}' needs a destination state; an empty destination would be an "
        "internal transition, which workflows do not support."
    ),
    "unknown_role": _l("Unknown role '{role}'; roles are {known}."),
    "approver_role": _l("Role '{role}' cannot approve; approvers are {known}."),
    "unknown_kind": _l("Unknown {what} '{kind}'; expected one of {known}."),
    "unknown_guard": _l("Unknown guard '{name}'; known guards are {known}."),
    "unknown_action": _l("Unknown action '{name}'; known actions are {known}."),
    "missing_param": _l("{kind} '{name}' needs the parameter '{param}'."),
    "unknown_param": _l("{kind} '{name}' takes no parameter '{param}'."),
    "bad_param": _l("Parameter '{param}' of {kind_lower} '{name}': {reason}"),
    "bad_value": _l("{field}: {reason}"),
    "unreachable": _l("State '{name}' cannot be reached from the initial state '{initial}'."),
    "no_way_out": _l("State '{name}' is not final but has no transition out of it."),
    "no_final": _l("No state is final; every RMA needs a way to end."),
    "no_path_to_final": _l("From state '{name}' no final state can ever be reached."),
    "final_has_exit": _l("Final state '{name}' has a way out: transition '{trigger}'."),
    "ambiguous": _l(
        "Transitions {first} and {second} both fire on '{trigger}' from '{source}' for "
        "{roles} with the same guards; nothing tells them apart."
    ),
    "shadowed": _l(
        "Transition {second} ('{trigger}' from '{source}') can never fire: transition {first} "
        "comes first for the same roles and needs only guards this one also needs."
    ),
    "final_approval": _l("Final state '{name}' cannot be an approval step."),
    "duplicate_step": _l("Approval step {step} is used by both '{first}' and '{second}'."),
    "escalate_past_last": _l(
        "Approval step {step} ('{name}') escalates to the next step, but it is the last step."
    ),
    "unknown_step": _l(
        "Action 'assign_approver' names approval step {step}, which no state defines."
    ),
    "when_guard_missing": _l(
        "State '{name}' applies {when}, but transition '{trigger}' from '{source}' enters it "
        "without the guard {guard}."
    ),
}


@dataclass(frozen=True)
class Problem:
    """One reason a workflow config is invalid, located by a path into the document."""

    code: str
    path: str
    message: str
    state: str | None = None
    transition: str | None = None

    def __str__(self) -> str:
        return f"{self.path or 'workflow'}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        """The problem as JSON-ready data for the designer."""
        return {
            "code": self.code,
            "path": self.path,
            "message": self.message,
            "state": self.state,
            "transition": self.transition,
        }


def problem(
    code: str,
    path: str,
    *,
    state: str | None = None,
    transition: str | None = None,
    **fields: Any,
) -> Problem:
    """Build a problem whose message comes from the catalogue."""
    return Problem(code, path, str(MESSAGES[code]).format(**fields), state, transition)


def json_kind(value: object) -> str:
    """A JSON type name for ``value``, as a human reads it in a message."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "a whole number"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def join_path(base: str, part: str | int) -> str:
    """Extend a document path: ``states`` + 3 → ``states[3]``, + ``name`` → ``.name``."""
    if isinstance(part, int):
        return f"{base}[{part}]"
    return f"{base}.{part}" if base else part
