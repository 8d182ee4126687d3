"""Saving an edited approval chain: in place when only fields changed, compiled when the
shape changed or a decision is shared with states outside the chain."""

from __future__ import annotations

import copy

from workflow_designer.engine import load_template, validate
from workflow_designer.engine.chain import read_chain
from workflow_designer.engine.chain_editing import edit_chain


def _changed(before: dict, after: dict) -> tuple[list[str], list[int]]:
    states = [b["name"] for a, b in zip(before["states"], after["states"], strict=True) if a != b]
    moves = [
        i
        for i, (a, b) in enumerate(zip(before["transitions"], after["transitions"], strict=True))
        if a != b
    ]
    return states, moves


def test_an_unchanged_chain_leaves_the_document_as_it_was():
    doc = load_template("stock_rotation")
    chain = read_chain(doc)
    chain.steps[1].when = {"kind": "value_at_least", "amount": "2500.00"}  # the same amount
    assert edit_chain(doc, chain) == doc


def test_a_new_approver_changes_the_step_and_its_own_decisions_only():
    doc = load_template("stock_rotation")
    chain = read_chain(doc)
    chain.steps[0].approver = {"kind": "role", "role": "warehouse"}
    after = edit_chain(doc, chain)
    states, moves = _changed(doc, after)
    assert states == ["rep_review"]
    assert moves and all(
        after["transitions"][i]["source"] == "rep_review"
        and after["transitions"][i]["roles"] == ["warehouse", "admin"]
        for i in moves
    )
    assert validate(after) == []


def test_a_decision_shared_with_another_state_is_compiled_again():
    doc = load_template("defective_warranty")  # Reject also leaves "submitted"
    before = copy.deepcopy(doc)
    chain = read_chain(doc)
    chain.frame.reject_to = "cancelled"
    after = edit_chain(doc, chain)
    assert doc == before  # the input is never changed
    rejects = [t for t in after["transitions"] if t["trigger"] == "reject"]
    assert any(t["source"] == "rep_review" and t["dest"] == "cancelled" for t in rejects)
    assert validate(after) == []
    review = next(s for s in after["states"] if s["name"] == "rep_review")
    assert review["description"] == "Your sales rep is reviewing your exception request."


def test_a_new_condition_compiles_the_routes_and_keeps_the_texts():
    doc = load_template("stock_rotation")
    chain = read_chain(doc)
    chain.steps[1].when = {"kind": "value_at_least", "amount": "5000"}
    after = edit_chain(doc, chain)
    assert validate(after) == []
    manager = next(s for s in after["states"] if s["name"] == "admin_review")
    assert manager["approval"]["when"] == {"kind": "value_at_least", "amount": "5000"}
    assert manager["description"] == "A returns manager is approving this large rotation."
