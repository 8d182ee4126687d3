"""Saving an edited approval chain: in place when only fields changed, compiled when the
shape changed or a decision is shared with states outside the chain."""

from __future__ import annotations

import copy

import pytest

from workflow_designer.engine import load_template, template_names, validate
from workflow_designer.engine.chain import new_step, read_chain
from workflow_designer.engine.chain_editing import RebuildRewrites, edit_chain, hand_made


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


# --- a rebuild never rewrites hand-made routing unasked -------------------------------------


def _with_hand_made_guard() -> dict:
    """Stock rotation whose direct route to Authorized also asks for good standing."""
    doc = load_template("stock_rotation")
    direct = next(
        t for t in doc["transitions"] if t["trigger"] == "submit" and t["dest"] == "authorized"
    )
    direct["guards"].append({"guard": "account_in_good_standing"})
    return doc


@pytest.mark.parametrize("name", template_names())
def test_every_template_is_its_own_compilation(name):
    assert hand_made(load_template(name)) == []


def test_a_new_step_asks_before_rewriting_a_hand_made_guard():
    doc = _with_hand_made_guard()
    chain = read_chain(doc)
    chain.steps.append(new_step(3))
    with pytest.raises(RebuildRewrites) as asked:
        edit_chain(doc, chain)
    sentences = [change.sentence for change in asked.value.rewrites]
    assert sentences == [
        "Submit from Draft to Authorized: only if Account in good standing and Policy passed "
        "→ Policy passed",
        "Submit from Changes requested to Authorized: only if Account in good standing and "
        "Policy passed → Policy passed",
    ]
    after = edit_chain(doc, chain, rewrite=True)  # confirmed: compiled as asked
    assert [s["label"] for s in after["states"] if "approval" in s][-1] == "Approval 3"
    assert not any(
        g.get("guard") == "account_in_good_standing"
        for t in after["transitions"]
        if t["trigger"] == "submit"
        for g in t.get("guards", [])
    )


def test_a_field_change_keeps_hand_made_routing_without_asking():
    doc = _with_hand_made_guard()
    chain = read_chain(doc)
    chain.steps[1].sla_hours = 24
    after = edit_chain(doc, chain)
    assert after["transitions"] == doc["transitions"]


def test_a_shape_change_without_hand_made_edits_needs_no_question():
    doc = load_template("stock_rotation")
    chain = read_chain(doc)
    chain.steps.reverse()
    after = edit_chain(doc, chain)
    assert [s["name"] for s in after["states"] if "approval" in s] == [
        "admin_review",
        "rep_review",
    ]
