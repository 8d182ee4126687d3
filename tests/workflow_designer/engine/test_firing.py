"""Firing triggers: outcomes, refusals, all-or-nothing actions, side-effect-free options."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest

from tests.workflow_designer.engine.builders import (
    NOW,
    FakeRma,
    approval,
    context,
    minimal_doc,
    transition,
)
from workflow_designer.engine.base import ActionBase
from workflow_designer.engine.compiler import compile_workflow
from workflow_designer.engine.context import FireContext
from workflow_designer.engine.errors import UnknownState
from workflow_designer.engine.firing import (
    COMMENT_REQUIRED,
    FORBIDDEN,
    GUARDS_FAILED,
    UNAVAILABLE,
    allowed_transitions,
    available_triggers,
    fire_trigger,
    trigger_options,
)
from workflow_designer.engine.registry import REGISTRY
from workflow_designer.engine.templates import load_template


@pytest.fixture(scope="module")
def stock():
    return compile_workflow(load_template("stock_rotation"))


def test_a_fire_returns_the_new_state_checks_actions_and_effects(stock):
    rma = FakeRma(total_value=Decimal("3000"))
    ctx = context(rma, role="retailer")
    outcome = fire_trigger(stock, "draft", "submit", ctx)
    assert outcome.fired and outcome.refusal is None
    assert (outcome.source, outcome.state) == ("draft", "admin_review")
    assert outcome.transition is not None and outcome.transition.index == 1
    assert [(c.guard, c.passed) for c in outcome.checks] == [
        ("exception_requested", False),
        ("policy_passed", True),
        ("value_at_least", True),
    ]
    assert outcome.actions == ("assign_approver", "set_due", "notify")
    assert outcome.effects == (
        {"kind": "notify", "to": "approver", "template": "approval_requested"},
    )
    assert (rma.approval_step, rma.due_at) == (2, NOW + timedelta(hours=72))
    assert rma.state == "draft"  # the engine never writes the caller's state


def test_guard_checks_serialise_for_the_event_log(stock):
    outcome = fire_trigger(
        stock, "draft", "submit", context(FakeRma(total_value=Decimal("3000")), role="retailer")
    )
    assert outcome.checks[2].as_dict() == {
        "transition": 1,
        "guard": "value_at_least",
        "params": {"amount": "2500"},
        "passed": True,
        "reason": "The return value 3,000.00 is at least 2,500.00.",
    }


def test_exception_requests_go_to_the_account_rep(stock):
    rma = FakeRma(policy_passed=False, exception_requested=True)
    outcome = fire_trigger(stock, "draft", "submit", context(rma, role="retailer"))
    assert outcome.state == "rep_review" and rma.approval_step == 1


def test_failing_guards_refuse_with_their_reasons_and_change_nothing(stock):
    rma = FakeRma(policy_passed=False)
    ctx = context(rma, role="retailer")
    outcome = fire_trigger(stock, "draft", "submit", ctx)
    assert not outcome.fired and outcome.refusal == GUARDS_FAILED
    assert outcome.state == "draft" and outcome.transition is None
    assert outcome.reason == "No exception was requested. The return policy is not met."
    assert (ctx.effects, rma.approval_step, rma.due_at) == ([], None, None)


def test_a_trigger_not_possible_from_the_state_is_unavailable(stock):
    outcome = fire_trigger(stock, "draft", "approve", context(role="admin"))
    assert outcome.refusal == UNAVAILABLE
    assert outcome.reason == "'approve' is not possible from 'draft'."
    assert fire_trigger(stock, "draft", "no_such_trigger", context()).refusal == UNAVAILABLE


def test_a_role_that_may_not_fire_is_forbidden(stock):
    outcome = fire_trigger(stock, "admin_review", "approve", context(role="sales_rep"))
    assert outcome.refusal == FORBIDDEN
    assert outcome.reason == "The role 'sales_rep' may not 'approve' from 'admin_review'."
    assert fire_trigger(stock, "draft", "submit", context(role=None)).refusal == FORBIDDEN


def test_the_role_comes_from_the_actor():
    class Actor:
        role = "admin"

    assert FireContext(FakeRma(), actor=Actor()).role == "admin"


def test_roles_pick_between_transitions_of_one_trigger():
    doc = minimal_doc()
    doc["transitions"].append(transition("approve", "review", "draft", roles=["sales_rep"]))
    compiled = compile_workflow(doc)
    assert fire_trigger(compiled, "review", "approve", context(role="admin")).state == "done"
    assert fire_trigger(compiled, "review", "approve", context(role="sales_rep")).state == "draft"


def test_a_required_comment_is_enforced(stock):
    rma = FakeRma(exception_requested=True)
    outcome = fire_trigger(
        stock, "rep_review", "approve", context(rma, role="sales_rep", comment="  ")
    )
    assert outcome.refusal == COMMENT_REQUIRED
    assert outcome.reason == "A comment is required to approve exception."
    assert outcome.state == "rep_review" and rma.approval_step is None
    ok = fire_trigger(
        stock, "rep_review", "approve", context(rma, role="sales_rep", comment="Loyal customer")
    )
    assert ok.state == "authorized"


def test_an_unknown_state_raises(stock):
    with pytest.raises(UnknownState):
        fire_trigger(stock, "limbo", "submit", context())
    with pytest.raises(UnknownState):
        allowed_transitions(stock, "limbo", "admin")


class Explodes(ActionBase):
    name = "explodes"
    label = "Explodes"
    description = "Fails, like a label carrier that is down."

    def run(self, ctx: FireContext, **params: Any) -> None:
        raise RuntimeError("carrier API down")


@pytest.fixture
def exploding():
    registry = REGISTRY.copy()
    registry.register_action(Explodes)
    doc = minimal_doc()
    doc["states"][1]["approval"] = approval()
    doc["states"][1]["on_enter"] = [
        {"action": "assign_approver", "params": {"step": 1}},
        {"action": "notify", "params": {"to": "approver", "template": "approval_requested"}},
        {"action": "explodes"},
    ]
    doc["transitions"][0]["actions"] = [{"action": "set_due", "params": {"hours": 4}}]
    return compile_workflow(doc, registry)


def test_an_action_that_raises_undoes_everything_and_propagates(exploding):
    rma = FakeRma(approval_step=None, due_at=None)
    ctx = context(rma, role="retailer")
    ctx.add_effect({"kind": "earlier"})
    with pytest.raises(RuntimeError, match="carrier API down"):
        fire_trigger(exploding, "draft", "submit", ctx)
    assert (rma.approval_step, rma.due_at, rma.state) == (None, None, "draft")
    assert ctx.effects == [{"kind": "earlier"}]


def test_after_a_failed_fire_the_same_state_can_fire_again(exploding):
    with pytest.raises(RuntimeError):
        fire_trigger(exploding, "draft", "submit", context(role="retailer"))
    outcome = fire_trigger(exploding, "draft", "approve", context(role="admin"))
    assert outcome.refusal == UNAVAILABLE  # still in draft: nothing moved


def test_options_list_what_a_role_may_do_with_reasons(stock):
    rma = FakeRma(policy_passed=False)
    ctx = context(rma, role="retailer")
    options = trigger_options(stock, "draft", "retailer", ctx)
    assert [(o.trigger, o.available) for o in options] == [("submit", False), ("cancel", True)]
    assert options[0].reasons == [
        "No exception was requested.",
        "The return policy is not met.",
        "The return value 100.00 is below 2,500.00.",
    ]
    assert options[1].reasons == [] and options[1].dest == "cancelled"
    assert [o.trigger for o in available_triggers(stock, "draft", "retailer", ctx)] == ["cancel"]
    assert (ctx.effects, rma.approval_step, rma.due_at) == ([], None, None)


def test_options_evaluate_every_guard_and_pick_the_transition_that_would_fire(stock):
    rma = FakeRma(total_value=Decimal("100"))
    (submit,) = [
        o
        for o in trigger_options(stock, "draft", "sales_rep", context(rma))
        if o.trigger == "submit"
    ]
    assert submit.available and submit.dest == "authorized"
    assert [c.passed for c in submit.checks] == [False, True, False, True]


def test_options_report_required_comments(stock):
    options = trigger_options(stock, "admin_review", "admin", context())
    assert {o.trigger: o.requires_comment for o in options} == {
        "approve": False,
        "reject": True,
        "request_changes": True,
        "cancel": False,
    }


def test_allowed_transitions_ignore_guards(stock):
    allowed = allowed_transitions(stock, "draft", "retailer")
    assert [t.dest for t in allowed] == ["rep_review", "admin_review", "authorized", "cancelled"]
    assert allowed_transitions(stock, "draft", "warehouse") == ()


def test_one_machine_serves_many_threads(stock):
    def fire(i: int) -> str:
        rma = FakeRma(total_value=Decimal(i * 10))
        return fire_trigger(stock, "draft", "submit", context(rma, role="retailer")).state

    with ThreadPoolExecutor(max_workers=8) as pool:
        states = list(pool.map(fire, range(600)))
    assert states == ["admin_review" if i * 10 >= 2500 else "authorized" for i in range(600)]
    assert stock.machine.models == []


def test_a_transition_back_into_the_same_state_runs_its_on_enter_actions_again():
    doc = minimal_doc()
    doc["states"][1]["on_enter"] = [{"action": "set_due", "params": {"hours": 1}}]
    doc["transitions"].append(transition("remind", "review", "review"))
    rma = FakeRma()
    outcome = fire_trigger(compile_workflow(doc), "review", "remind", context(rma))
    assert (outcome.state, outcome.actions) == ("review", ("set_due",))
    assert rma.due_at == NOW + timedelta(hours=1)
