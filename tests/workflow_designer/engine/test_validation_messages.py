"""One case per validator message: each problem code is produced, at the right path."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from tests.workflow_designer.engine.builders import approval, minimal_doc, transition
from workflow_designer.engine.problems import MESSAGES
from workflow_designer.engine.validation import validate

Doc = dict[str, Any]


def _set(path: tuple, value: Any) -> Callable[[Doc], Doc]:
    def mutate(doc: Doc) -> Doc:
        target = doc
        for part in path[:-1]:
            target = target[part]
        target[path[-1]] = value
        return doc

    return mutate


def _delete(key: str) -> Callable[[Doc], Doc]:
    def mutate(doc: Doc) -> Doc:
        del doc[key]
        return doc

    return mutate


def _add_state(state: Doc, *transitions: Doc) -> Callable[[Doc], Doc]:
    def mutate(doc: Doc) -> Doc:
        doc["states"].append(state)
        doc["transitions"].extend(transitions)
        return doc

    return mutate


def _add_transitions(*transitions: Doc) -> Callable[[Doc], Doc]:
    def mutate(doc: Doc) -> Doc:
        doc["transitions"].extend(transitions)
        return doc

    return mutate


def _review_approval(**overrides: Any) -> Callable[[Doc], Doc]:
    return _set(("states", 1, "approval"), approval(**overrides))


def _two_steps(doc: Doc) -> Doc:
    doc["states"][1]["approval"] = approval()
    doc["states"].append({"name": "second", "label": "Second", "approval": approval()})
    doc["transitions"].append(transition("escalate", "review", "second"))
    doc["transitions"].append(transition("approve", "second", "done"))
    return doc


def _assign_unknown_step(doc: Doc) -> Doc:
    doc["states"][1]["approval"] = approval()
    doc["states"][1]["on_enter"] = [{"action": "assign_approver", "params": {"step": 2}}]
    return doc


GUARD_0 = ("transitions", 0, "guards")

CASES: list[tuple[str, Callable[[Doc], Any], str]] = [
    ("not_object", lambda doc: ["not", "a", "workflow"], ""),
    ("unknown_key", _set(("colour",), "red"), "colour"),
    ("missing", _delete("initial"), "initial"),
    ("wrong_type", _set(("states", 0, "final"), "yes"), "states[0].final"),
    ("blank", _set(("states", 0, "label"), "   "), "states[0].label"),
    ("too_long", _set(("states", 0, "label"), "x" * 101), "states[0].label"),
    ("empty_list", _set(("transitions", 0, "roles"), []), "transitions[0].roles"),
    ("schema_version", _set(("schema",), 2), "schema"),
    ("bad_name", _set(("states", 1, "name"), "Review Step"), "states[1].name"),
    (
        "bad_language",
        _set(("states", 1, "translations"), {"German": {"label": "Prüfung"}}),
        "states[1].translations.German",
    ),
    ("empty_trigger", _set(("transitions", 0, "trigger"), ""), "transitions[0].trigger"),
    (
        "reserved_trigger",
        _set(("transitions", 0, "trigger"), "may_submit"),
        "transitions[0].trigger",
    ),
    ("duplicate_state", _add_state({"name": "draft", "label": "Again"}), "states[3].name"),
    (
        "duplicate_source",
        _set(("transitions", 0, "source"), ["draft", "draft"]),
        "transitions[0].source[1]",
    ),
    (
        "duplicate_role",
        _set(("transitions", 0, "roles"), ["retailer", "retailer"]),
        "transitions[0].roles[1]",
    ),
    ("unknown_initial", _set(("initial",), "start"), "initial"),
    ("unknown_state", _set(("transitions", 0, "dest"), "nowhere"), "transitions[0].dest"),
    ("empty_dest", _set(("transitions", 0, "dest"), ""), "transitions[0].dest"),
    ("unknown_role", _set(("transitions", 0, "roles"), ["customer"]), "transitions[0].roles[0]"),
    (
        "approver_role",
        _review_approval(approver={"kind": "role", "role": "retailer"}),
        "states[1].approval.approver.role",
    ),
    (
        "unknown_kind",
        _review_approval(approver={"kind": "robot"}),
        "states[1].approval.approver.kind",
    ),
    ("unknown_guard", _set(GUARD_0, [{"guard": "os.system"}]), "transitions[0].guards[0].guard"),
    (
        "unknown_action",
        _set(("transitions", 0, "actions"), [{"action": "buy_carrier_label"}]),
        "transitions[0].actions[0].action",
    ),
    (
        "missing_param",
        _set(GUARD_0, [{"guard": "value_at_least"}]),
        "transitions[0].guards[0].params.amount",
    ),
    (
        "unknown_param",
        _set(GUARD_0, [{"guard": "policy_passed", "params": {"strict": True}}]),
        "transitions[0].guards[0].params.strict",
    ),
    (
        "bad_param",
        _set(GUARD_0, [{"guard": "value_at_least", "params": {"amount": "lots"}}]),
        "transitions[0].guards[0].params.amount",
    ),
    ("bad_value", _review_approval(sla_hours=0), "states[1].approval.sla_hours"),
    (
        "unreachable",
        _add_state({"name": "limbo", "label": "Limbo"}, transition("finish", "limbo", "done")),
        "states[3].name",
    ),
    (
        "no_way_out",
        _add_state({"name": "parked", "label": "Parked"}, transition("park", "draft", "parked")),
        "states[3].name",
    ),
    ("no_final", _set(("states", 2, "final"), False), "states"),
    (
        "no_path_to_final",
        _add_state(
            {"name": "loop", "label": "Loop"},
            transition("spin", "draft", "loop"),
            transition("spin", "loop", "loop"),
        ),
        "states[3].name",
    ),
    (
        "final_has_exit",
        _add_transitions(transition("reopen", "done", "review")),
        "transitions[2].source",
    ),
    ("ambiguous", _add_transitions(transition("approve", "review", "draft")), "transitions[2]"),
    (
        "shadowed",
        _add_transitions(
            transition("approve", "review", "draft", guards=[{"guard": "policy_passed"}])
        ),
        "transitions[2]",
    ),
    ("final_approval", _set(("states", 2, "approval"), approval()), "states[2].approval"),
    ("duplicate_step", _two_steps, "states[3].approval.step"),
    ("escalate_past_last", _review_approval(escalate_to="next"), "states[1].approval.escalate_to"),
    ("unknown_step", _assign_unknown_step, "states[1].on_enter[0].params.step"),
    (
        "when_guard_missing",
        _review_approval(when={"kind": "exception_requested"}),
        "transitions[0].guards",
    ),
]


def test_every_message_has_a_case():
    assert sorted(code for code, _, _ in CASES) == sorted(MESSAGES)


def test_the_base_document_is_valid():
    assert validate(minimal_doc()) == []


@pytest.mark.parametrize(("code", "mutate", "path"), CASES, ids=[c[0] for c in CASES])
def test_problem_is_reported_at_its_path(code, mutate, path):
    problems = validate(mutate(minimal_doc()))
    found = [p for p in problems if p.code == code]
    assert found, f"no {code!r} among {[str(p) for p in problems]}"
    assert path in {p.path for p in found}
    for p in found:
        assert p.message == p.message.strip() and p.message.endswith(".")
        assert "{" not in p.message  # every placeholder was filled
