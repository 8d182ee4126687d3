"""Property tests: the validator never raises, and what it accepts compiles and can end."""

from __future__ import annotations

import contextlib
import copy
from collections import deque
from decimal import Decimal
from itertools import pairwise
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.workflow_designer.engine.builders import FakeLine, FakeRma, context, minimal_doc
from workflow_designer.engine.compiler import CompiledWorkflow, compile_workflow
from workflow_designer.engine.errors import SchemaVersionError
from workflow_designer.engine.firing import fire_trigger
from workflow_designer.engine.guards import RESOLUTIONS
from workflow_designer.engine.mermaid import to_mermaid
from workflow_designer.engine.problems import Problem
from workflow_designer.engine.schema import ROLES, upgrade_config
from workflow_designer.engine.templates import load_template
from workflow_designer.engine.validation import validate

SETTINGS = settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12)
    | st.sampled_from(
        ["draft", "review", "done", "admin", "policy_passed", "notify", "", "os.system"]
    )
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)
STATE_KEYS = ["name", "label", "final", "approval", "on_enter", "description"]
TRANSITION_KEYS = ["trigger", "label", "source", "dest", "roles", "guards", "actions"]


def check_validate(doc: Any) -> list[Problem]:
    problems = validate(doc)
    assert isinstance(problems, list)
    assert all(isinstance(p, Problem) and p.message for p in problems)
    assert isinstance(to_mermaid(doc), str)
    return problems


@SETTINGS
@given(JSON)
def test_any_json_value_is_validated_without_raising(doc):
    check_validate(doc)
    with contextlib.suppress(SchemaVersionError):  # the one error it may raise on purpose
        upgrade_config(doc)


@SETTINGS
@given(
    st.fixed_dictionaries(
        {
            "schema": st.sampled_from([1]) | JSON,
            "initial": st.sampled_from(["draft"]) | JSON,
            "states": st.lists(
                st.dictionaries(st.sampled_from(STATE_KEYS), JSON) | JSON, max_size=4
            ),
            "transitions": st.lists(
                st.dictionaries(st.sampled_from(TRANSITION_KEYS), JSON) | JSON, max_size=4
            ),
        }
    )
)
def test_workflow_shaped_junk_is_validated_without_raising(doc):
    check_validate(doc)


def _slots(node: Any, found: list[tuple[Any, Any]]) -> list[tuple[Any, Any]]:
    """Every (container, key) pair in a document, for mutation."""
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in items:
        found.append((node, key))
        _slots(value, found)
    return found


@st.composite
def near_valid(draw: st.DrawFn) -> dict[str, Any]:
    """A valid document (a template or the minimal one) with a few parts replaced or removed."""
    doc = draw(st.sampled_from(["minimal", "stock_rotation", "wrong_item"]))
    doc = minimal_doc() if doc == "minimal" else load_template(doc)
    for _ in range(draw(st.integers(1, 3))):
        slots = _slots(doc, [])
        container, key = draw(st.sampled_from(slots))
        if isinstance(container, dict) and draw(st.booleans()):
            del container[key]
        else:
            container[key] = draw(JSON)
    return doc


@SETTINGS
@given(near_valid())
def test_near_valid_documents_are_validated_without_raising(doc):
    if not check_validate(doc):
        assert_compiles_and_can_end(doc)


GUARD_REFS = st.one_of(
    st.sampled_from(
        [
            "policy_passed",
            "exception_requested",
            "all_lines_received",
            "has_discrepancy",
            "inspection_complete",
            "account_in_good_standing",
        ]
    ).map(lambda name: {"guard": name}),
    st.builds(
        lambda name, amount: {"guard": name, "params": {"amount": str(amount)}},
        st.sampled_from(["value_at_least", "value_below"]),
        st.integers(0, 5000),
    ),
    st.sampled_from(RESOLUTIONS).map(lambda k: {"guard": "resolution_is", "params": {"kind": k}}),
)
ACTION_REFS = st.one_of(
    st.builds(lambda h: {"action": "set_due", "params": {"hours": h}}, st.integers(1, 100)),
    st.builds(
        lambda to: {"action": "notify", "params": {"to": to, "template": "rma_submitted"}},
        st.sampled_from(["retailer", "admins"]),
    ),
)


@st.composite
def generated(draw: st.DrawFn) -> dict[str, Any]:
    """Random workflows over a few states; a backbone to a final state makes many valid."""
    names = [f"s{i}" for i in range(draw(st.integers(2, 7)))]
    finals = {names[-1], *draw(st.sets(st.sampled_from(names[1:]), max_size=1))}
    open_states = [n for n in names if n not in finals]
    states = [{"name": n, "label": n.upper(), "final": n in finals} for n in names]
    transitions = []
    if draw(st.integers(0, 4)):  # usually: a plain path through every open state to the end
        path = [*open_states, names[-1]]
        transitions += [_transition("advance", a, b, ["admin"]) for a, b in pairwise(path)]
    for _ in range(draw(st.integers(0, 6))):
        transitions.append(
            _transition(
                draw(st.sampled_from(["go", "approve", "reject"])),
                draw(st.lists(st.sampled_from(open_states), min_size=1, max_size=2, unique=True)),
                draw(st.sampled_from(names)),
                draw(st.lists(st.sampled_from(ROLES), min_size=1, max_size=2, unique=True)),
                draw(st.lists(GUARD_REFS, max_size=2)),
                draw(st.lists(ACTION_REFS, max_size=2)),
            )
        )
    return {"schema": 1, "initial": names[0], "states": states, "transitions": transitions}


def _transition(trigger, source, dest, roles, guards=(), actions=()) -> dict[str, Any]:
    return {
        "trigger": trigger,
        "label": trigger.title(),
        "source": source,
        "dest": dest,
        "roles": roles,
        "guards": list(guards),
        "actions": list(actions),
    }


@SETTINGS
@given(generated(), st.data())
def test_accepted_workflows_compile_can_end_and_fire_safely(doc, data):
    if check_validate(doc):
        return
    compiled = assert_compiles_and_can_end(doc)
    rma = FakeRma(
        total_value=Decimal(data.draw(st.integers(0, 6000))),
        policy_passed=data.draw(st.booleans()),
        resolution=data.draw(st.sampled_from([None, *RESOLUTIONS])),
        lines=[FakeLine(1, data.draw(st.integers(0, 2)), data.draw(st.booleans()), "new")],
    )
    for state, specs in compiled.outgoing.items():
        for trigger in {spec.trigger for spec in specs}:
            role = data.draw(st.sampled_from(ROLES))
            outcome = fire_trigger(compiled, state, trigger, context(copy.copy(rma), role=role))
            assert outcome.state in compiled.states


def assert_compiles_and_can_end(doc: dict[str, Any]) -> CompiledWorkflow:
    """The compiled machine itself can get from the initial state to a final one."""
    compiled = compile_workflow(doc)
    machine = compiled.machine
    edges: dict[str, set[str]] = {}
    for event in machine.events.values():
        for source, transitions in event.transitions.items():
            edges.setdefault(source, set()).update(t.dest for t in transitions)
    seen, queue = {machine.initial}, deque([machine.initial])
    while queue:
        for nxt in edges.get(queue.popleft(), ()):
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    assert any(machine.states[name].final for name in seen)
    return compiled
