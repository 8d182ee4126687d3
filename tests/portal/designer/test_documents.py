"""Pure edits of workflow documents, and diffs between two of them."""

from __future__ import annotations

import pytest

from workflow_designer.engine import load_template, validate
from workflow_designer.engine.editing import (
    EditError,
    StateEdit,
    TransitionEdit,
    add_state,
    add_transition,
    machine_name,
    move_transition,
    remove_state,
    update_state,
    update_transition,
)


def test_machine_names_are_valid_and_unused():
    assert machine_name("Sales rep review") == "sales_rep_review"
    assert machine_name("Sales rep review", {"sales_rep_review"}) == "sales_rep_review_2"
    assert machine_name("42 checks") == "s_42_checks"
    assert machine_name("Trigger") == "trigger_2"  # 'trigger' is reserved
    assert machine_name("!!!") == "step"


def test_edits_never_mutate_their_input():
    doc = load_template("wrong_item")
    snapshot = load_template("wrong_item")
    add_state(doc, StateEdit("Extra"))
    remove_state(doc, "submitted")
    update_state(doc, "authorized", StateEdit("Approved", name="approved"))
    assert doc == snapshot


def test_adding_the_first_state_makes_it_the_start():
    doc, name = add_state({"schema": 1, "states": [], "transitions": []}, StateEdit("Draft"))
    assert doc["initial"] == name == "draft"


def test_removing_a_source_keeps_the_transitions_other_sources():
    doc = remove_state(load_template("wrong_item"), "changes_requested")
    submit = next(t for t in doc["transitions"] if t["trigger"] == "submit")
    assert submit["source"] == ["draft"]
    assert validate(doc) == []


def test_transition_edits_check_states_and_names():
    doc = load_template("wrong_item")
    with pytest.raises(EditError, match="no state 'nowhere'"):
        add_transition(doc, TransitionEdit("Go", ["draft"], "nowhere", ["admin"]))
    with pytest.raises(EditError) as error:
        add_transition(doc, TransitionEdit("Go", ["draft"], "closed", ["admin"], trigger="may_go"))
    assert error.value.field == "trigger"
    with pytest.raises(EditError, match="no longer in the draft"):
        update_transition(doc, 99, TransitionEdit("Go", ["draft"], "closed", ["admin"]))
    # A new transition labelled like an existing one joins its trigger (one button, two routes).
    new, index = add_transition(doc, TransitionEdit("Submit", ["draft"], "closed", ["admin"]))
    assert new["transitions"][index]["trigger"] == "submit"
    assert move_transition(new, 0, -1) == new  # already first: nothing moves
