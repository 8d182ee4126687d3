"""The resolutions check: a return type's resolutions must be carried out by its workflow's
resolve step (pure: documents in, problems out; no database)."""

from __future__ import annotations

import copy

import pytest

from tests.workflow_designer.engine.builders import FakeRma, context, minimal_doc
from workflow_designer.engine import load_template
from workflow_designer.engine.compiler import compile_workflow
from workflow_designer.engine.resolutions import (
    executable_resolutions,
    resolution_problems,
    resolve_transition,
)
from workflow_designer.runtime.defaults import DEFAULT_RETURN_TYPES

STOCK_ROTATION_DEFAULT = (
    "Stock rotation offers ‘Credit against replacement order’, but its workflow has no "
    "Resolve transition for it: add one from Inspected guarded by ‘resolution is replacement "
    "order’, or remove that resolution from the return type."
)


def rotation_as_shipped_before() -> dict:
    """Stock rotation as it shipped before: resolve only for credit and exchange."""
    doc = load_template("stock_rotation")
    doc["transitions"] = [
        t
        for t in doc["transitions"]
        if not (t["trigger"] == "resolve" and _kinds(t) == ["replacement_order"])
    ]
    return doc


def _kinds(transition: dict) -> list[str]:
    return [
        g["params"]["kind"] for g in transition.get("guards", []) if g["guard"] == "resolution_is"
    ]


def _resolve(doc: dict, kind: str) -> dict:
    return next(t for t in doc["transitions"] if t["trigger"] == "resolve" and _kinds(t) == [kind])


@pytest.mark.parametrize("spec", DEFAULT_RETURN_TYPES, ids=lambda spec: spec.code)
def test_every_shipped_return_type_can_carry_out_what_it_offers(spec):
    assert resolution_problems(load_template(spec.template), spec.resolutions, spec.code) == []


def test_the_shipped_templates_carry_out_these_resolutions():
    assert {name: executable_resolutions(load_template(name)) for name in TEMPLATES} == TEMPLATES


TEMPLATES = {
    "stock_rotation": ["credit", "exchange", "replacement_order"],
    "defective_warranty": ["credit", "refund", "exchange", "replacement_order"],
    "damaged_in_transit": ["credit", "exchange", "replacement_order"],
    "wrong_item": ["credit", "refund", "exchange", "replacement_order"],
}


def test_a_resolution_without_a_resolve_transition_names_it_and_the_fix():
    problems = resolution_problems(
        rotation_as_shipped_before(), ["credit", "replacement_order"], "Stock rotation"
    )
    assert [p.message for p in problems] == [STOCK_ROTATION_DEFAULT]
    assert (problems[0].code, problems[0].state, problems[0].path) == (
        "resolution_missing",
        "inspected",
        "",
    )


def test_a_resolve_transition_to_a_state_that_does_not_do_it_is_reported():
    doc = load_template("stock_rotation")
    exchanged = next(s for s in doc["states"] if s["name"] == "exchanged")
    exchanged["on_enter"] = [
        a for a in exchanged["on_enter"] if a["action"] != "create_replacement_order"
    ]
    problems = resolution_problems(doc, ["exchange"], "Stock rotation")
    index = doc["transitions"].index(_resolve(doc, "exchange"))
    assert [(p.code, p.path) for p in problems] == [
        ("resolution_incomplete", f"transitions[{index}]")
    ]
    assert problems[0].message == (
        "Stock rotation offers ‘Exchange’, but its workflow's Resolve transition “Exchange for "
        "new stock” from Inspected leads to Exchanged, which does not run ‘Create the "
        "replacement order’: make it lead to a state that runs ‘Create the replacement "
        "order’, or remove that resolution from the return type."
    )


def test_credit_against_a_replacement_order_needs_both_actions():
    doc = load_template("stock_rotation")
    credited = next(s for s in doc["states"] if s["name"] == "credited")
    credited["on_enter"] = [a for a in credited["on_enter"] if a["action"] != "issue_credit"]
    problems = resolution_problems(doc, ["replacement_order"], "Stock rotation")
    assert len(problems) == 1
    assert "does not run ‘Issue the credit memo’" in problems[0].message
    assert "runs ‘Create the replacement order’ and ‘Issue the credit memo’" in problems[0].message


def test_a_resolve_transition_without_a_resolution_guard_serves_every_resolution():
    doc = rotation_as_shipped_before()
    for transition in doc["transitions"]:
        if transition["trigger"] == "resolve":
            transition["guards"] = [
                g for g in transition.get("guards", []) if g["guard"] != "resolution_is"
            ]
    doc["transitions"] = [
        t
        for t in doc["transitions"]
        if not (t["trigger"] == "resolve" and t["dest"] == "exchanged")
    ]
    assert resolution_problems(doc, ["credit", "replacement_order", "exchange"], "X") == []


def test_every_source_of_resolve_is_checked():
    doc = load_template("wrong_item")
    # A second state that can resolve, but only to a credit memo.
    doc["transitions"].append(
        {
            "trigger": "resolve",
            "label": "Credit at once",
            "source": "received",
            "dest": "credited",
            "roles": ["admin"],
            "guards": [{"guard": "resolution_is", "params": {"kind": "credit"}}],
        }
    )
    problems = resolution_problems(doc, ["credit", "exchange"], "Wrong item")
    assert [(p.code, p.state) for p in problems] == [("resolution_missing", "received")]
    assert "add one from Received guarded by ‘resolution is exchange’" in problems[0].message


def test_a_workflow_without_any_resolve_is_reported():
    problems = resolution_problems(minimal_doc(), ["credit"], "Wrong item")
    assert [p.message for p in problems] == [
        "Wrong item offers ‘Credit memo’, but its workflow has no Resolve transition at all: add "
        "one from the state where inspection ends, guarded by ‘resolution is credit’, or "
        "choose another workflow."
    ]


def test_an_invalid_workflow_gets_its_own_problems_not_these():
    doc = copy.deepcopy(rotation_as_shipped_before())
    doc["initial"] = "nowhere"
    assert resolution_problems(doc, ["replacement_order"], "X") == []
    assert resolution_problems("not a workflow", ["credit"], "X") == []


def test_the_resolve_transition_for_an_rma_depends_on_its_guards_and_role():
    compiled = compile_workflow(load_template("defective_warranty"))
    active, on_hold = (
        FakeRma(state="inspected"),
        FakeRma(state="inspected", account_status="on_hold"),
    )
    spec = resolve_transition(compiled, "inspected", context(active), "exchange")
    assert spec is not None and spec.dest == "exchanged"
    # Exchanges need an account in good standing; a credit memo does not.
    assert resolve_transition(compiled, "inspected", context(on_hold), "exchange") is None
    assert resolve_transition(compiled, "inspected", context(on_hold), "credit") is not None
    assert (
        resolve_transition(compiled, "inspected", context(active, role="warehouse"), "credit")
        is None
    )
    assert resolve_transition(compiled, "received", context(active), "credit") is None
    # Probing changes nothing on the RMA.
    assert active.resolution is None


def test_the_old_rotation_cannot_carry_out_its_default_for_an_rma():
    compiled = compile_workflow(rotation_as_shipped_before())
    rma = FakeRma(state="inspected", resolution="credit")
    assert resolve_transition(compiled, "inspected", context(rma), "replacement_order") is None
    fixed = compile_workflow(load_template("stock_rotation"))
    spec = resolve_transition(fixed, "inspected", context(rma), "replacement_order")
    assert spec is not None and spec.dest == "credited"
