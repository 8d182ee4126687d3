"""The validator's behaviour beyond single messages: wording, names, no cascades."""

from __future__ import annotations

import copy

import pytest

from tests.workflow_designer.engine.builders import approval, minimal_doc, transition
from workflow_designer.engine.registry import REGISTRY
from workflow_designer.engine.validation import validate


def codes(doc) -> list[str]:
    return [p.code for p in validate(doc)]


def only(doc, code: str):
    found = [p for p in validate(doc) if p.code == code]
    assert len(found) == 1, validate(doc)
    return found[0]


def test_every_problem_is_reported_at_once():
    doc = minimal_doc()
    doc["schema"] = "1"
    doc["states"][0]["label"] = ""
    doc["transitions"][0]["roles"] = ["owner"]
    doc["transitions"][1]["guards"] = [{"guard": "builtins.print"}]
    assert codes(doc) == ["wrong_type", "blank", "unknown_role", "unknown_guard"]


def test_validation_leaves_the_document_untouched():
    doc = minimal_doc()
    doc["transitions"].append(transition("approve", "review", "draft"))
    before = copy.deepcopy(doc)
    validate(doc)
    assert doc == before


def test_unknown_state_names_the_transition_and_state():
    doc = minimal_doc()
    doc["transitions"][1]["dest"] = "archived"
    p = only(doc, "unknown_state")
    assert p.message == "Transition 'approve' refers to unknown state 'archived'."
    assert p.transition == "approve"
    assert str(p) == "transitions[1].dest: " + p.message


def test_only_the_states_of_a_closed_loop_are_reported_as_trapped():
    doc = minimal_doc()
    doc["states"] += [{"name": "spin_a", "label": "A"}, {"name": "spin_b", "label": "B"}]
    doc["transitions"] += [
        transition("spin", "draft", "spin_a"),
        transition("spin", "spin_a", "spin_b"),
        transition("spin", "spin_b", "spin_a"),
    ]
    trapped = [p.state for p in validate(doc) if p.code == "no_path_to_final"]
    assert trapped == ["spin_a", "spin_b"]  # not draft, which can still reach done


def test_unreachable_names_the_state():
    doc = minimal_doc()
    doc["states"].insert(1, {"name": "limbo", "label": "Limbo"})
    doc["transitions"].append(transition("finish", "limbo", "done"))
    p = only(doc, "unreachable")
    assert p.state == "limbo"
    assert p.message == "State 'limbo' cannot be reached from the initial state 'draft'."
    assert p.path == "states[1].name"


def test_a_broken_destination_does_not_also_report_graph_problems():
    doc = minimal_doc()
    doc["transitions"][0]["dest"] = "reveiw"  # typo: review is now unreachable, but say it once
    assert codes(doc) == ["unknown_state"]


def test_a_broken_state_does_not_report_no_final_state():
    doc = minimal_doc()
    doc["states"][2]["name"] = "Done"
    assert "no_final" not in codes(doc)


def test_no_way_out_is_not_also_reported_as_no_path_to_final():
    doc = minimal_doc()
    doc["transitions"].pop()  # review has no way out, so draft cannot end either: say it once
    assert codes(doc) == ["no_way_out", "unreachable"]  # review stuck, done unreachable


def test_final_state_with_way_out_names_the_trigger():
    doc = minimal_doc()
    doc["transitions"].append(transition("reopen", "done", "review"))
    p = only(doc, "final_has_exit")
    assert p.message == "Final state 'done' has a way out: transition 'reopen'."
    assert (p.state, p.transition) == ("done", "reopen")


def test_ambiguous_transitions_name_both_and_the_roles():
    doc = minimal_doc()
    doc["transitions"].append(
        transition("approve", "review", "draft", roles=["admin", "sales_rep"])
    )
    p = only(doc, "ambiguous")
    assert "transitions[1] 'approve' and transitions[2] 'approve'" in p.message
    assert "from 'review' for admin" in p.message
    assert (p.state, p.transition) == ("review", "approve")


def test_identical_guard_lists_in_another_order_are_ambiguous():
    guards = [{"guard": "policy_passed"}, {"guard": "value_below", "params": {"amount": "10"}}]
    doc = minimal_doc()
    doc["transitions"][1]["guards"] = guards
    swapped = [guards[1], {"guard": "policy_passed"}]
    doc["transitions"].append(transition("approve", "review", "draft", guards=swapped))
    assert "ambiguous" in codes(doc)


def test_equal_amounts_written_differently_are_the_same_guard():
    doc = minimal_doc()
    doc["transitions"][1]["guards"] = [{"guard": "value_below", "params": {"amount": "10"}}]
    same = [{"guard": "value_below", "params": {"amount": "10.00"}}]
    doc["transitions"].append(transition("approve", "review", "draft", guards=same))
    assert "ambiguous" in codes(doc)


def test_different_guards_or_roles_tell_transitions_apart():
    doc = minimal_doc()
    doc["transitions"][1]["guards"] = [{"guard": "policy_passed"}]
    doc["transitions"].append(
        transition("approve", "review", "draft", guards=[{"guard": "exception_requested"}])
    )
    doc["transitions"].append(transition("approve", "review", "draft", roles=["sales_rep"]))
    assert validate(doc) == []


def test_an_earlier_unguarded_transition_shadows_a_guarded_one():
    doc = minimal_doc()
    doc["transitions"].append(
        transition("approve", "review", "draft", guards=[{"guard": "policy_passed"}])
    )
    p = only(doc, "shadowed")
    assert p.message.startswith("Transition transitions[2] 'approve' ('approve' from 'review')")


def test_a_later_unguarded_transition_is_a_fallback_not_a_problem():
    doc = minimal_doc()
    doc["transitions"][1]["guards"] = [{"guard": "policy_passed"}]
    doc["transitions"].append(transition("approve", "review", "draft"))
    assert validate(doc) == []


def test_shadowing_needs_the_later_roles_to_be_covered():
    doc = minimal_doc()
    guarded = [{"guard": "policy_passed"}]
    roles = ["admin", "sales_rep"]
    doc["transitions"].append(transition("approve", "review", "draft", guards=guarded, roles=roles))
    assert validate(doc) == []  # a sales rep still reaches the guarded transition


@pytest.mark.parametrize("trigger", ["trigger", "may_trigger", "state", "to_done", "is_done"])
def test_reserved_trigger_names_are_refused(trigger):
    doc = minimal_doc()
    doc["transitions"][0]["trigger"] = trigger
    assert codes(doc) == ["reserved_trigger"]


@pytest.mark.parametrize(
    "name", ["Draft", "1st", "with space", "é", "a-b", "_x", "x" * 65, "os.system"]
)
def test_names_must_be_simple_identifiers(name):
    doc = minimal_doc()
    doc["transitions"][0]["trigger"] = name
    assert codes(doc) == ["bad_name"]


@pytest.mark.parametrize(
    "name", ["os.system", "builtins.print", "workflow_designer.engine.guards.PolicyPassed", "eval"]
)
def test_dotted_paths_and_builtins_are_unknown_guards_and_actions(name):
    doc = minimal_doc()
    doc["transitions"][0]["guards"] = [{"guard": name}]
    doc["transitions"][0]["actions"] = [{"action": name}]
    doc["states"][1]["on_enter"] = [{"action": name}]
    assert codes(doc) == ["unknown_action", "unknown_guard", "unknown_action"]


def test_unknown_guard_message_lists_the_known_ones():
    doc = minimal_doc()
    doc["transitions"][0]["guards"] = [{"guard": "is_vip"}]
    p = only(doc, "unknown_guard")
    assert p.message.startswith("Unknown guard 'is_vip'; known guards are account_in_good_standing")


@pytest.mark.parametrize("amount", [1.5, True, None, [], "NaN", "-1", "Infinity", "1e"])
def test_money_parameters_must_be_exact_non_negative_amounts(amount):
    doc = minimal_doc()
    doc["transitions"][0]["guards"] = [{"guard": "value_at_least", "params": {"amount": amount}}]
    assert codes(doc) == ["bad_param"]


def test_float_amount_message_says_how_to_write_it():
    doc = minimal_doc()
    doc["transitions"][0]["guards"] = [{"guard": "value_below", "params": {"amount": 99.5}}]
    p = only(doc, "bad_param")
    assert p.message == (
        "Parameter 'amount' of guard 'value_below': must be an amount written as a string, "
        'such as "2500.00".'
    )


def test_action_parameters_are_checked():
    doc = minimal_doc()
    doc["transitions"][0]["actions"] = [
        {"action": "notify", "params": {"to": "everyone", "template": "rma_authorized"}},
        {"action": "set_due", "params": {"hours": 0}},
        {"action": "notify", "params": {"to": "retailer"}},
    ]
    assert codes(doc) == ["bad_param", "bad_param", "missing_param"]


def test_params_must_be_an_object_and_refs_take_no_other_keys():
    doc = minimal_doc()
    doc["transitions"][0]["guards"] = [{"guard": "policy_passed", "params": [], "not": True}]
    assert codes(doc) == ["unknown_key", "wrong_type"]


def test_source_may_be_a_list_but_not_an_empty_one():
    doc = minimal_doc()
    doc["transitions"][0]["source"] = ["draft"]
    assert validate(doc) == []
    doc["transitions"][0]["source"] = []
    assert "empty_list" in codes(doc)


def test_approval_steps_accept_each_approver_and_condition():
    doc = minimal_doc()
    doc["states"][1]["approval"] = approval(
        approver={"kind": "user", "user_id": 7}, when={"kind": "value_below", "amount": "500"}
    )
    doc["transitions"][0]["guards"] = [{"guard": "value_below", "params": {"amount": "500.00"}}]
    assert validate(doc) == []
    doc["states"][1]["approval"]["approver"] = {"kind": "role", "role": "sales_rep"}
    assert validate(doc) == []


def test_approval_step_details_are_checked():
    doc = minimal_doc()
    doc["states"][1]["approval"] = {
        "step": "one",
        "approver": {"kind": "user", "user_id": -3, "role": "admin"},
        "when": {"kind": "value_at_least", "amount": 12.5},
        "escalate_to": "ceo",
    }
    assert codes(doc) == [
        "bad_value",  # step
        "missing",  # sla_hours
        "unknown_key",  # role on a user approver
        "bad_value",  # user_id
        "bad_value",  # amount
        "unknown_kind",  # escalate_to
    ]


def test_when_guard_names_the_guard_to_add():
    doc = minimal_doc()
    doc["states"][1]["approval"] = approval(when={"kind": "value_at_least", "amount": "2500"})
    p = only(doc, "when_guard_missing")
    assert p.message == (
        "State 'review' applies when the value is at least 2,500.00, but transition 'submit' "
        "from 'draft' enters it without the guard value_at_least with amount \"2500\"."
    )


def test_a_custom_registry_decides_what_is_known():
    empty = type(REGISTRY)()
    doc = minimal_doc()
    doc["transitions"][0]["guards"] = [{"guard": "policy_passed"}]
    assert codes(doc) == []
    assert [p.code for p in validate(doc, registry=empty)] == ["unknown_guard"]


def test_problems_serialise_for_the_designer():
    doc = minimal_doc()
    doc["transitions"][0]["roles"] = ["owner"]
    (p,) = validate(doc)
    assert p.as_dict() == {
        "code": "unknown_role",
        "path": "transitions[0].roles[0]",
        "message": "Unknown role 'owner'; roles are admin, sales_rep, warehouse, retailer.",
        "state": None,
        "transition": "submit",
    }


@pytest.mark.parametrize(
    "doc", [None, 0, 1.5, "", "workflow", [], [{}], True, {"states": None, "transitions": 7}]
)
def test_any_json_value_gives_problems_not_exceptions(doc):
    assert validate(doc)


def test_junk_inside_lists_is_reported_per_item():
    doc = minimal_doc()
    doc["states"].append(None)
    doc["transitions"].append([1, 2])
    doc["transitions"][0]["guards"] = [{"guard": {"nested": ["junk"]}}, 5]
    doc["transitions"][0]["roles"] = [["admin"], {"r": 1}]
    assert codes(doc) == [
        "not_object",  # states[3]
        "unknown_role",
        "unknown_role",
        "wrong_type",  # guard name
        "not_object",  # guard 5
        "not_object",  # transitions[2]
    ]
