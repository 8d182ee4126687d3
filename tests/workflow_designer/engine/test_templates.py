"""The shipped templates: valid, complete, and walkable from draft to an end."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from tests.workflow_designer.engine.builders import FakeLine, FakeRma, context
from workflow_designer.engine.compiler import CompiledWorkflow, compile_workflow
from workflow_designer.engine.firing import fire_trigger
from workflow_designer.engine.registry import REGISTRY
from workflow_designer.engine.templates import TEMPLATES, load_template, template_names
from workflow_designer.engine.validation import validate

LIFECYCLE = {
    "draft",
    "submitted",
    "authorized",
    "awaiting_receipt",
    "received",
    "under_inspection",
    "inspected",
    "credited",
    "exchanged",
    "closed",
    "rejected",
    "cancelled",
    "changes_requested",
    "to_be_returned",
    "shipped_back",
}


def test_the_four_templates_are_offered():
    assert template_names() == [
        "stock_rotation",
        "defective_warranty",
        "damaged_in_transit",
        "wrong_item",
    ]
    assert TEMPLATES["wrong_item"] == "Wrong item shipped"


@pytest.mark.parametrize("name", template_names())
def test_every_template_validates_with_no_problems(name):
    assert validate(load_template(name)) == []


@pytest.mark.parametrize("name", template_names())
def test_templates_only_use_registered_actions(name):
    doc = load_template(name)
    refs = [a for s in doc["states"] for a in s.get("on_enter", [])]
    refs += [a for t in doc["transitions"] for a in t.get("actions", [])]
    assert {a["action"] for a in refs} <= set(REGISTRY.action_names())


def test_together_the_templates_cover_the_lifecycle():
    names = {s["name"] for n in template_names() for s in load_template(n)["states"]}
    assert names >= LIFECYCLE
    approvals = [s for n in template_names() for s in load_template(n)["states"] if "approval" in s]
    assert {s["approval"]["approver"]["kind"] for s in approvals} == {"account_rep", "role"}


def test_each_load_is_a_fresh_copy():
    first = load_template("stock_rotation")
    first["states"].clear()
    assert load_template("stock_rotation")["states"]


def test_unknown_templates_raise_key_error():
    with pytest.raises(KeyError):
        load_template("../pyproject")


def test_stock_rotation_routes_large_requests_to_an_admin_after_the_rep():
    doc = load_template("stock_rotation")
    admin = next(s for s in doc["states"] if s["name"] == "admin_review")
    assert admin["approval"]["when"] == {"kind": "value_at_least", "amount": "2500"}
    rep = next(s for s in doc["states"] if s["name"] == "rep_review")
    assert rep["approval"]["approver"] == {"kind": "account_rep"}
    compiled = compile_workflow(doc)
    rma = FakeRma(total_value=Decimal("4000"), policy_passed=False, exception_requested=True)
    assert (
        fire_trigger(compiled, "draft", "submit", context(rma, role="retailer")).state
        == "rep_review"
    )
    ctx = context(rma, role="sales_rep", comment="Long-standing account")
    assert fire_trigger(compiled, "rep_review", "approve", ctx).state == "admin_review"
    assert rma.approval_step == 2


Step = tuple[str, str, dict[str, Any]]
RECEIVED = [FakeLine(quantity_authorized=2, quantity_received=2, grade="new")]

WALKS: dict[str, list[Step]] = {
    "stock_rotation": [
        ("submit", "retailer", {}),
        ("ship", "retailer", {}),
        ("receive", "warehouse", {}),
        ("start_inspection", "warehouse", {}),
        ("finish_inspection", "warehouse", {"lines": RECEIVED}),
        ("resolve", "admin", {"resolution": "exchange"}),
        ("close", "admin", {}),
    ],
    "defective_warranty": [
        ("submit", "retailer", {}),
        ("authorize", "sales_rep", {}),
        ("ship", "retailer", {}),
        ("receive", "warehouse", {}),
        ("start_inspection", "warehouse", {}),
        ("finish_inspection", "warehouse", {"lines": RECEIVED}),
        ("resolve", "admin", {"resolution": "refund"}),
        ("close", "admin", {}),
    ],
    "damaged_in_transit": [
        ("submit", "retailer", {"total_value": Decimal("1200")}),
        ("authorize", "sales_rep", {}),
        ("approve", "admin", {}),
        ("ship", "retailer", {}),
        ("receive", "warehouse", {"lines": RECEIVED}),
        ("start_inspection", "warehouse", {}),
        ("finish_inspection", "warehouse", {}),
        ("resolve", "admin", {"resolution": "replacement_order"}),
        ("close", "admin", {}),
    ],
    "wrong_item": [
        ("submit", "retailer", {}),
        ("authorize", "admin", {}),
        ("ship", "retailer", {}),
        ("receive", "warehouse", {}),
        ("start_inspection", "warehouse", {}),
        ("finish_inspection", "warehouse", {"lines": [FakeLine(1, 1, True, "used")]}),
        ("return_to_retailer", "warehouse", {"comment": "Not the item we shipped"}),
        ("ship_back", "warehouse", {}),
    ],
}


def walk(compiled: CompiledWorkflow, steps: list[Step]) -> list[str]:
    rma, state, visited = FakeRma(), compiled.initial, []
    for trigger, role, changes in steps:
        comment = changes.pop("comment", "")
        for attr, value in changes.items():
            setattr(rma, attr, value)
        outcome = fire_trigger(compiled, state, trigger, context(rma, role=role, comment=comment))
        assert outcome.fired, (state, trigger, outcome.reason)
        state = outcome.state
        visited.append(state)
    return visited


@pytest.mark.parametrize("name", template_names())
def test_each_template_can_be_walked_to_a_final_state(name):
    compiled = compile_workflow(load_template(name))
    visited = walk(compiled, [(t, r, dict(c)) for t, r, c in WALKS[name]])
    assert compiled.states[visited[-1]].final
