"""Approval chains: reading them from documents, compiling them back, editing them in the page."""

from __future__ import annotations

import copy
from decimal import Decimal

import pytest
from werkzeug.datastructures import MultiDict

from tests.factories import make_published_workflow
from tests.portal.designer.helpers import HX, base, current_config, draft_of, form_fields
from workflow_designer.engine import compile_workflow, load_template, template_names, validate
from workflow_designer.engine.chain import Chain, Step, new_step, read_chain
from workflow_designer.engine.chain_compiler import apply_chain
from workflow_designer.engine.context import FireContext
from workflow_designer.engine.firing import fire_trigger
from workflow_designer.engine.simulation import SimulatedLine, SimulatedRma


@pytest.mark.parametrize("name", template_names())
def test_every_template_round_trips_into_a_valid_workflow(name):
    doc = load_template(name)
    rebuilt = apply_chain(doc, read_chain(doc))
    assert validate(rebuilt) == []
    assert [s["name"] for s in rebuilt["states"]] == [s["name"] for s in doc["states"]]


def test_reading_the_stock_rotation_chain():
    chain = read_chain(load_template("stock_rotation"))
    assert [s.label for s in chain.steps] == ["Sales rep review", "Manager approval"]
    assert chain.steps[1].when == {"kind": "value_at_least", "amount": "2500"}
    frame = chain.frame
    assert (frame.trigger, frame.sources) == ("submit", ["draft", "changes_requested"])
    assert (frame.skip_to, frame.approved_to, frame.reject_to) == (
        "authorized",
        "authorized",
        "rejected",
    )
    assert frame.changes_to == "changes_requested" and frame.policy_gate


def _route(doc, *, value="100", passed=True, exception=False, role="retailer"):
    """Where a submitted return goes, then each approval until it leaves the chain."""
    compiled = compile_workflow(doc)
    rma = SimulatedRma(Decimal(value), passed, [SimulatedLine(1)])
    rma.exception_requested = exception
    path, state = [], compiled.initial
    for trigger, actor in [("submit", role), ("approve", "admin"), ("approve", "admin")]:
        outcome = fire_trigger(compiled, state, trigger, FireContext(rma, role=actor, comment="ok"))
        if not outcome.fired:
            break
        state = outcome.state
        path.append(state)
    return path


def test_compiled_chain_routes_by_condition_in_order():
    doc = load_template("stock_rotation")
    chain = read_chain(doc)
    doc = apply_chain(doc, chain)
    assert _route(doc, value="100") == ["authorized"]
    assert _route(doc, value="3000") == ["admin_review", "authorized"]
    assert _route(doc, value="100", passed=False, exception=True) == ["rep_review", "authorized"]
    assert _route(doc, value="3000", passed=False, exception=True) == [
        "rep_review",
        "admin_review",
        "authorized",
    ]
    assert _route(doc, value="100", passed=False) == []  # no exception asked: refused


def test_an_always_step_catches_everything_after_it():
    doc = load_template("stock_rotation")
    chain = read_chain(doc)
    chain.steps.insert(
        0, Step("Area manager", {"kind": "role", "role": "admin"}, {"kind": "always"}, 24, "admins")
    )
    doc = apply_chain(doc, chain)
    assert validate(doc) == []
    assert _route(doc, value="100")[0] == "area_manager"
    assert _route(doc, value="100", passed=False, exception=True)[0] == "area_manager"


def test_a_named_user_step_and_removing_all_steps():
    doc = load_template("damaged_in_transit")
    chain = read_chain(doc)
    chain.steps.append(
        Step(
            "Finance",
            {"kind": "user", "user_id": 7},
            {"kind": "value_below", "amount": "50"},
            8,
            "admins",
        )
    )
    doc = apply_chain(doc, chain)
    assert validate(doc) == []
    finance = next(s for s in doc["states"] if s["name"] == "finance")
    assert finance["approval"]["step"] == 2 and finance["on_enter"][0] == {
        "action": "assign_approver",
        "params": {"step": 2},
    }
    none = apply_chain(doc, Chain(read_chain(doc).frame, []))
    assert validate(none) == []
    assert not any("approval" in s for s in none["states"])
    cancel = next(t for t in none["transitions"] if t["trigger"] == "cancel")
    assert "admin_review" not in cancel["source"]


def test_escalating_past_the_last_step_is_a_validation_problem():
    doc = load_template("wrong_item")
    chain = read_chain(doc)
    step = new_step(1)
    step.escalate_to = "next"
    chain.steps.append(step)
    codes = [p.code for p in validate(apply_chain(doc, chain))]
    assert "escalate_past_last" in codes


def _chain_data(db_session, workflow, steps, op="save", **frame):
    data = {
        "chain-base": base(db_session, workflow),
        "op": op,
        "chain-skip_to": "authorized",
        "chain-approved_to": "authorized",
        "chain-reject_to": "rejected",
        "chain-changes_to": "changes_requested",
    }
    data.update({f"chain-{k}": v for k, v in frame.items()})
    for i, step in enumerate(steps):
        for key, value in step.items():
            data[f"chain-steps-{i}-{key}"] = value
    return data


def _steps(config):
    return [s for s in config["states"] if "approval" in s]


STEP_1 = {
    "state": "rep_review",
    "label": "Sales rep review",
    "approver_kind": "account_rep",
    "approver_role": "admin",
    "when_kind": "exception_requested",
    "sla_hours": "48",
    "escalate_to": "next",
}
STEP_2 = {
    "state": "admin_review",
    "label": "Manager approval",
    "approver_kind": "role",
    "approver_role": "admin",
    "when_kind": "value_at_least",
    "amount": "2500",
    "sla_hours": "72",
    "escalate_to": "admins",
}


def test_adding_a_step_in_the_page(client, db_session, admin, workflow):
    data = _chain_data(db_session, workflow, [STEP_1, STEP_2], op="add")
    response = client.post(f"/designer/workflows/{workflow.id}/chain", data=data, headers=HX)
    assert response.status_code == 200
    steps = _steps(current_config(db_session, workflow))
    assert [s["label"] for s in steps] == ["Sales rep review", "Manager approval", "Approval 3"]
    assert 'id="chain-step-3"' in response.data.decode()


def test_escalation_error_appears_and_disappears(client, db_session, admin, workflow):
    last = {**STEP_2, "escalate_to": "next"}
    response = client.post(
        f"/designer/workflows/{workflow.id}/chain",
        data=_chain_data(db_session, workflow, [STEP_1, last]),
        headers=HX,
    )
    html = response.data.decode()
    assert response.status_code == 200  # saved: the problem is the draft's, shown beside it
    assert "escalates to the next step, but it is the last step" in html
    response = client.post(
        f"/designer/workflows/{workflow.id}/chain",
        data=_chain_data(db_session, workflow, [STEP_1, STEP_2]),
        headers=HX,
    )
    assert "No problems: ready to publish" in response.data.decode()


def test_reordering_and_removing_steps_after_confirming(client, db_session, admin, workflow):
    client.post(
        f"/designer/workflows/{workflow.id}/chain",
        data=_chain_data(db_session, workflow, [STEP_1, STEP_2], op="up-1"),
        headers=HX,
    )
    steps = _steps(current_config(db_session, workflow))
    assert [(s["label"], s["approval"]["step"]) for s in steps] == [
        ("Manager approval", 1),
        ("Sales rep review", 2),
    ]
    asked = client.post(
        f"/designer/workflows/{workflow.id}/chain",
        data=_chain_data(db_session, workflow, [STEP_2, STEP_1], op="remove-0"),
        headers=HX,
    )
    assert asked.status_code == 200  # a question: nothing removed
    question = "Deleting “Manager approval” also removes 6 transitions: Submit (2 routes)"
    assert question in asked.data.decode() and 'value="delete-0"' in asked.data.decode()
    assert len(_steps(current_config(db_session, workflow))) == 2
    client.post(
        f"/designer/workflows/{workflow.id}/chain",
        data=_chain_data(db_session, workflow, [STEP_2, STEP_1], op="delete-0"),
        headers=HX,
    )
    config = current_config(db_session, workflow)
    assert [s["label"] for s in _steps(config)] == ["Sales rep review"]
    assert "admin_review" not in [s["name"] for s in config["states"]]


def test_bad_step_input_is_refused_and_changes_nothing(client, db_session, admin, workflow):
    bad = {**STEP_2, "amount": "a lot", "sla_hours": "0"}
    response = client.post(
        f"/designer/workflows/{workflow.id}/chain",
        data=_chain_data(db_session, workflow, [STEP_1, bad]),
        headers=HX,
    )
    assert response.status_code == 422
    html = response.data.decode()
    assert "Give the amount as a number, e.g. 2500." in html
    assert "Number must be between 1 and 8760." in html
    assert draft_of(db_session, workflow) is None


def test_a_named_approver_must_be_chosen(client, db_session, admin, workflow):
    person = {**STEP_1, "approver_kind": "user", "approver_user": "999999"}
    response = client.post(
        f"/designer/workflows/{workflow.id}/chain",
        data=_chain_data(db_session, workflow, [person]),
        headers=HX,
    )
    assert response.status_code == 422
    assert "Choose the person who approves." in response.data.decode()
    chosen = {
        **STEP_1,
        "approver_kind": "user",
        "approver_user": str(admin.id),
        "escalate_to": "admins",
    }
    response = client.post(
        f"/designer/workflows/{workflow.id}/chain",
        data=_chain_data(db_session, workflow, [chosen]),
        headers=HX,
    )
    assert response.status_code == 200
    step = _steps(current_config(db_session, workflow))[0]
    assert step["approval"]["approver"] == {"kind": "user", "user_id": admin.id}


# --- a save changes only what the admin changed --------------------------------------------


def _chain_form(client, workflow, **changes):
    """The chain form as the page renders it, with ``changes`` typed in, ready to post."""
    html = client.get(f"/designer/workflows/{workflow.id}").data.decode()
    fields = MultiDict(form_fields(html, f"/designer/workflows/{workflow.id}/chain"))
    for name, value in changes.items():
        fields.setlist(f"chain-{name.replace('__', '-')}", [value])
    fields.add("op", "save")
    return fields


def _save_chain(client, workflow, fields):
    return client.post(f"/designer/workflows/{workflow.id}/chain", data=fields, headers=HX)


@pytest.mark.parametrize("template", template_names())
def test_saving_the_chain_as_shown_changes_nothing(client, db_session, admin, template):
    workflow = make_published_workflow(db_session, template, actor=admin).workflow
    db_session.commit()
    before = copy.deepcopy(current_config(db_session, workflow))
    response = _save_chain(client, workflow, _chain_form(client, workflow))
    assert response.status_code == 200
    assert current_config(db_session, workflow) == before
    assert draft_of(db_session, workflow) is None  # nothing to save: no draft either


def test_changing_a_steps_hours_changes_only_those_hours(client, db_session, admin, workflow):
    before = copy.deepcopy(current_config(db_session, workflow))
    fields = _chain_form(client, workflow, steps__1__sla_hours="24")
    assert _save_chain(client, workflow, fields).status_code == 200
    expected = before
    manager = next(s for s in expected["states"] if s["name"] == "admin_review")
    manager["approval"]["sla_hours"] = 24
    manager["on_enter"][1]["params"]["hours"] = 24
    assert current_config(db_session, workflow) == expected


def test_changing_where_rejections_go_moves_only_the_rejections(
    client, db_session, admin, workflow
):
    before = copy.deepcopy(current_config(db_session, workflow))
    fields = _chain_form(client, workflow, reject_to="cancelled")
    assert _save_chain(client, workflow, fields).status_code == 200
    after = current_config(db_session, workflow)
    moved = [
        i
        for i, (a, b) in enumerate(zip(before["transitions"], after["transitions"], strict=True))
        if a != b
    ]
    assert moved and all(after["transitions"][i]["trigger"] == "reject" for i in moved)
    assert all(after["transitions"][i]["dest"] == "cancelled" for i in moved)
    assert after["states"] == before["states"]


def test_a_destination_the_draft_does_not_say_shows_unset_not_draft(client, db_session, admin):
    doc = load_template("stock_rotation")
    chain = read_chain(doc)
    chain.steps.insert(
        0, Step("Area manager", {"kind": "role", "role": "admin"}, {"kind": "always"})
    )
    workflow = make_published_workflow(
        db_session, config=apply_chain(doc, chain), actor=admin
    ).workflow
    db_session.commit()
    html = client.get(f"/designer/workflows/{workflow.id}").data.decode()
    skip = dict(form_fields(html, f"/designer/workflows/{workflow.id}/chain"))["chain-skip_to"]
    assert skip == ""  # shown as "not set", where a browser used to send the first state, Draft
    before = copy.deepcopy(current_config(db_session, workflow))
    assert _save_chain(client, workflow, _chain_form(client, workflow)).status_code == 200
    assert current_config(db_session, workflow) == before


# --- a rebuild that would rewrite hand-made routing asks first ------------------------------


@pytest.fixture
def hand_edited(db_session, admin):
    """A stock rotation workflow whose direct route to Authorized was given a guard by hand."""
    doc = load_template("stock_rotation")
    for t in doc["transitions"]:
        if t["trigger"] == "submit" and t["dest"] == "authorized":
            t["guards"].append({"guard": "account_in_good_standing"})
    workflow = make_published_workflow(db_session, config=doc, actor=admin).workflow
    db_session.commit()
    return workflow


def _hand_guard_kept(config) -> bool:
    return any(
        g.get("guard") == "account_in_good_standing"
        for t in config["transitions"]
        if t["trigger"] == "submit"
        for g in t.get("guards", [])
    )


def test_adding_a_step_asks_before_rewriting_hand_made_routing(client, db_session, hand_edited):
    data = _chain_data(db_session, hand_edited, [STEP_1, STEP_2], op="add")
    asked = client.post(f"/designer/workflows/{hand_edited.id}/chain", data=data, headers=HX)
    html = asked.data.decode()
    assert asked.status_code == 422
    assert "Not saved: this change rebuilds the approval routing" in html
    assert "Submit from Draft to Authorized: only if Account in good standing and" in html
    assert 'value="rewrite:add"' in html
    assert draft_of(db_session, hand_edited) is None  # nothing saved

    data["op"] = "rewrite:add"
    saved = client.post(f"/designer/workflows/{hand_edited.id}/chain", data=data, headers=HX)
    assert saved.status_code == 200
    config = current_config(db_session, hand_edited)
    assert [s["label"] for s in _steps(config)][-1] == "Approval 3"
    assert not _hand_guard_kept(config)


def test_typing_a_new_condition_asks_and_a_new_sla_does_not(client, db_session, hand_edited):
    fields = _chain_form(client, hand_edited, steps__1__amount="5000")
    asked = _save_chain(client, hand_edited, fields)
    assert asked.status_code == 422
    assert 'id="chain-rewrite"' in asked.data.decode()
    assert 'value="rewrite:save"' in asked.data.decode()
    assert draft_of(db_session, hand_edited) is None

    fields = _chain_form(client, hand_edited, steps__1__sla_hours="24")
    assert _save_chain(client, hand_edited, fields).status_code == 200
    assert _hand_guard_kept(current_config(db_session, hand_edited))


def test_the_removal_question_names_the_hand_made_routing_it_rewrites(
    client, db_session, hand_edited
):
    url = f"/designer/workflows/{hand_edited.id}/chain"
    data = _chain_data(db_session, hand_edited, [STEP_1, STEP_2], op="remove-1")
    html = client.post(url, data=data, headers=HX).data.decode()
    assert "also rewrites these changes made by hand" in html
    assert "only if Account in good standing and Policy passed" in html
    data["op"] = "delete-1"  # the answer to that question: no second question
    assert client.post(url, data=data, headers=HX).status_code == 200
    assert [s["label"] for s in _steps(current_config(db_session, hand_edited))] == [
        "Sales rep review"
    ]


def test_a_garbled_op_is_a_plain_save(client, db_session, workflow):
    data = _chain_data(db_session, workflow, [STEP_1, STEP_2], op="rewrite:explode-9")
    response = client.post(f"/designer/workflows/{workflow.id}/chain", data=data, headers=HX)
    assert response.status_code == 200
    assert draft_of(db_session, workflow) is None
