"""The version diff in words: only real changes, one sentence each, never two identical sides."""

from __future__ import annotations

import copy
import dataclasses
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workflow_designer.engine.chain import read_chain
from workflow_designer.engine.chain_compiler import apply_chain
from workflow_designer.engine.diff import Change, diff_docs
from workflow_designer.engine.templates import TEMPLATES, load_template

APPROVAL_ACTIONS = [
    {"action": "assign_approver", "params": {"step": 1}},
    {"action": "set_due", "params": {"hours": 48}},
    {"action": "notify", "params": {"to": "approver", "template": "approval_requested"}},
]


def doc() -> dict[str, Any]:
    return {
        "schema": 1,
        "initial": "draft",
        "states": [
            {"name": "draft", "label": "Draft"},
            {
                "name": "rep_review",
                "label": "Approval by sales rep",
                "approval": {
                    "step": 1,
                    "approver": {"kind": "account_rep"},
                    "when": {"kind": "value_at_least", "amount": "2500"},
                    "sla_hours": 48,
                    "escalate_to": "admins",
                },
                "on_enter": copy.deepcopy(APPROVAL_ACTIONS),
            },
            {"name": "authorized", "label": "Authorized", "description": "Ship the items."},
            {"name": "rejected", "label": "Rejected", "final": True},
            {"name": "closed", "label": "Closed", "final": True},
        ],
        "transitions": [
            {
                "trigger": "submit",
                "label": "Submit",
                "source": "draft",
                "dest": "rep_review",
                "roles": ["retailer", "sales_rep"],
                "guards": [
                    {"guard": "policy_passed"},
                    {"guard": "value_at_least", "params": {"amount": "2500"}},
                ],
            },
            {
                "trigger": "submit",
                "label": "Submit",
                "source": "draft",
                "dest": "authorized",
                "roles": ["retailer", "sales_rep"],
                "guards": [{"guard": "policy_passed"}],
            },
            {
                "trigger": "approve",
                "label": "Approve",
                "source": "rep_review",
                "dest": "authorized",
                "roles": ["sales_rep", "admin"],
            },
            {
                "trigger": "reject",
                "label": "Reject",
                "source": ["draft", "rep_review"],
                "dest": "rejected",
                "roles": ["sales_rep", "admin"],
                "requires_comment": True,
            },
            {
                "trigger": "close",
                "label": "Close",
                "source": "authorized",
                "dest": "closed",
                "roles": ["admin"],
            },
        ],
    }


def state(d: dict[str, Any], name: str) -> dict[str, Any]:
    return next(s for s in d["states"] if s["name"] == name)


def transition(d: dict[str, Any], trigger: str, dest: str) -> dict[str, Any]:
    return next(t for t in d["transitions"] if t["trigger"] == trigger and t["dest"] == dest)


def sentences(before: Any, after: Any, **kwargs: Any) -> list[str]:
    return [change.sentence for change in diff_docs(before, after, **kwargs)]


# --- nothing changed -------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_a_document_has_no_change_from_itself(name):
    assert diff_docs(load_template(name), load_template(name)) == []
    assert diff_docs(doc(), doc()) == []


def test_equivalent_spellings_are_no_change():
    """Each of these used to be listed as "changed", its two sides showing the same thing."""
    before, after = doc(), doc()
    submit = transition(after, "submit", "rep_review")
    submit["roles"] = ["sales_rep", "retailer"]  # the editor writes roles in its own order
    submit["guards"].reverse()  # all must pass: their order means nothing
    submit["guards"][0]["params"]["amount"] = 2500  # a whole number, not a string
    state(after, "rep_review")["approval"]["when"]["amount"] = "2500.00"
    transition(after, "approve", "authorized")["guards"] = []
    transition(after, "close", "closed")["requires_comment"] = False
    state(after, "draft").update(description="", final=False, on_enter=[])
    transition(after, "submit", "authorized")["guards"] = [{"guard": "policy_passed", "params": {}}]
    assert diff_docs(before, after) == []


def test_a_transition_from_several_states_is_one_per_state():
    before, after = doc(), doc()
    after["transitions"] = [t for t in after["transitions"] if t["trigger"] != "reject"]
    for source in ("rep_review", "draft"):  # split, and in the other order
        after["transitions"].append({**transition(before, "reject", "rejected"), "source": source})
    assert diff_docs(before, after) == []


def test_entry_actions_an_approval_implies_follow_its_sla():
    before, after = doc(), doc()
    rep_review = state(after, "rep_review")
    notify = rep_review["on_enter"][2]
    rep_review["on_enter"] = [
        notify,  # in another order, with the hours written as text: still what it implies
        {"action": "set_due", "params": {"hours": "48"}},
        {"action": "assign_approver", "params": {"step": 1}},
    ]
    assert diff_docs(before, after) == []


@pytest.mark.parametrize("name", ["wrong_item", "defective_warranty"])
def test_saving_the_approval_chain_unchanged_shows_no_change(name):
    # defective_warranty used to show two "added" and two "removed" transitions here: the
    # chain editor writes one transition per source where the template had one for two.
    before = load_template(name)
    assert diff_docs(before, apply_chain(before, read_chain(before))) == []


# --- each kind of change, in words ------------------------------------------------------


def test_the_sla_of_an_approval_step():
    before = apply_chain(doc(), read_chain(doc()))
    chain = read_chain(before)
    chain.steps[0].sla_hours = 24
    after = apply_chain(before, chain)  # the chain editor also moves the due time
    assert sentences(before, after) == ["Approval by sales rep: SLA 48 h → 24 h"]
    (change,) = diff_docs(before, after)
    assert (change.subject, change.what, change.before, change.after) == (
        "Approval by sales rep",
        "SLA",
        "48 h",
        "24 h",
    )
    assert change.kind == "changed"


def test_the_rest_of_an_approval_step():
    before, after = doc(), doc()
    approval = state(after, "rep_review")["approval"]
    approval.update(
        approver={"kind": "user", "user_id": 7},
        when={"kind": "exception_requested"},
        escalate_to="next",
        step=2,
    )
    for ref in state(after, "rep_review")["on_enter"]:
        if ref["action"] == "assign_approver":
            ref["params"]["step"] = 2
    assert sentences(before, after, user_names={7: "Dana Director"}) == [
        "Approval by sales rep: step number 1 → 2",
        "Approval by sales rep: approver the account's sales rep → Dana Director",
        "Approval by sales rep: applies when the value is at least 2500 "
        "→ when an exception is requested",
        "Approval by sales rep: escalates to the admins → the next step's approver",
    ]
    assert "user #7" in sentences(before, after)[1]


def test_new_and_removed_states_and_steps():
    before, after = doc(), doc()
    after["states"].append({"name": "quality_check", "label": "Quality check"})
    added = state(copy.deepcopy(before), "rep_review")
    after["states"].append({**added, "name": "manager", "label": "Manager approval"})
    after["states"] = [s for s in after["states"] if s["name"] != "closed"]
    after["transitions"] = [t for t in after["transitions"] if t["dest"] != "closed"]
    changes = diff_docs(before, after)
    assert [c.sentence for c in changes] == [
        "New state: Quality check",
        "New step: Manager approval",
        "Removed state: Closed",
        "Removed transition: Close from Authorized",
    ]
    assert [c.kind for c in changes] == ["added", "added", "removed", "removed"]
    assert changes[1].before is None and "approval step 1" in (changes[1].after or "")
    assert changes[3].after is None and changes[3].before == "Authorized → Closed · by Admin"


def test_a_state_s_label_description_end_and_entry_actions():
    before, after = doc(), doc()
    state(after, "authorized").update(
        label="Approved",
        description="",
        final=True,
        on_enter=[{"action": "notify", "params": {"to": "retailer", "template": "rma_authorized"}}],
    )
    said = sentences(before, after)
    assert said[:3] == [
        "Approved: label Authorized → Approved",
        "Approved: description Ship the items. → none",
        "Approved: ends the return no → yes",
    ]
    assert said[3].startswith("Approved: on arrival nothing → Notify")
    # The transitions into it now say its new label.
    assert "Approve from Approval by sales rep" not in " ".join(said)


def test_new_removed_and_changed_transitions():
    before, after = doc(), doc()
    after["transitions"] = [t for t in after["transitions"] if t["trigger"] != "reject"]
    after["transitions"].append(
        {**transition(before, "reject", "rejected"), "source": "draft"}
    )  # no longer from the approval step
    after["transitions"].append(
        {
            "trigger": "cancel",
            "label": "Cancel",
            "source": "draft",
            "dest": "closed",
            "roles": ["retailer"],
        }
    )
    close = transition(after, "close", "closed")
    close.update(
        label="Close the return",
        roles=["admin", "warehouse"],
        guards=[{"guard": "value_below", "params": {"amount": "500"}}],
        requires_comment=True,
    )
    said = sentences(before, after)
    assert said == [
        "Close the return from Authorized: label Close → Close the return",
        "Close the return from Authorized: who may do it Admin → Admin, Warehouse",
        "Close the return from Authorized: only if always → Value below: 500",
        "Close the return from Authorized: comment required no → yes",
        "New transition: Cancel from Draft",
        "Removed transition: Reject from Approval by sales rep",
    ]


def test_a_transition_s_actions_and_a_new_start():
    before, after = doc(), doc()
    after["initial"] = "authorized"
    transition(after, "approve", "authorized")["actions"] = [
        {"action": "notify", "params": {"to": "retailer", "template": "rma_authorized"}}
    ]
    said = sentences(before, after)
    assert said[0] == "Returns: start in Draft → Authorized"
    assert said[1].startswith("Approve from Approval by sales rep: then nothing → Notify")


def test_the_order_transitions_are_tried_in():
    before, after = doc(), doc()
    after["transitions"][0], after["transitions"][1] = (
        after["transitions"][1],
        after["transitions"][0],
    )
    (change,) = diff_docs(before, after)
    # Long values stay on the two sides; the sentence says what changed.
    assert change.sentence == "Submit from Draft: order tried changed"
    assert change.before == (
        "Approval by sales rep (Policy passed and Value at least: 2500), "
        "then Authorized (Policy passed)"
    )
    assert change.after == (
        "Authorized (Policy passed), "
        "then Approval by sales rep (Policy passed and Value at least: 2500)"
    )


def test_a_subject_names_the_destination_when_a_button_leads_to_several():
    before, after = doc(), doc()
    transition(after, "submit", "authorized")["roles"] = ["retailer"]
    assert sentences(before, after) == [
        "Submit from Draft to Authorized: who may do it Sales rep, Retailer → Retailer"
    ]


def test_a_change_is_a_small_plain_record():
    assert [f.name for f in dataclasses.fields(Change)] == ["subject", "what", "before", "after"]
    assert Change("Allowance", "percent", "10 %", "15 %").sentence == (
        "Allowance: percent 10 % → 15 %"
    )
    assert Change("Quality check", "New step", None, "…").kind == "added"
    assert Change("Approved", "description", "Ship.", "x" * 61).sentence == (
        "Approved: description changed"
    )
    assert Change("Reject from Rep review", "Removed transition", "…").kind == "removed"


# --- any input --------------------------------------------------------------------------

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=12,
)
KEYS = ["name", "label", "final", "approval", "on_enter", "description"]
T_KEYS = ["trigger", "label", "source", "dest", "roles", "guards", "actions"]
ELEMENTS = st.lists(st.dictionaries(st.sampled_from(KEYS + T_KEYS), JSON), max_size=4)
DOCS = st.fixed_dictionaries({"initial": JSON, "states": ELEMENTS, "transitions": ELEMENTS})


@settings(max_examples=100, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(DOCS | JSON, DOCS | JSON)
def test_any_two_documents_are_compared_without_error_or_identical_sides(before, after):
    changes = diff_docs(before, after)
    for change in changes:
        assert change.before != change.after
        assert isinstance(change.sentence, str)
    assert diff_docs(after, after) == []
