"""Firing triggers on stored RMAs: state, event log, outbox, roles, approvers, rollback."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update

from models import Channel, OutboxMessage, Rma, RmaEvent, Role, WorkflowVersion
from tests.factories import (
    make_account,
    make_published_workflow,
    make_retailer,
    make_rma,
    make_user,
)
from workflow_designer.engine import REGISTRY, ActionBase, InvalidWorkflow, load_template
from workflow_designer.runtime import firing as runtime
from workflow_designer.runtime.cache import MachineCache
from workflow_designer.runtime.firing import (
    TransitionConflict,
    TransitionRefused,
    fire,
    options_for,
)
from workflow_designer.runtime.versions import (
    VersionNotEditable,
    create_workflow,
    draft_from,
    publish,
)

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def world(db_session):
    rep = make_user(db_session, Role.SALES_REP, name="Rita Rep")
    account = make_account(db_session, sales_rep=rep)
    retailer = make_retailer(db_session, account, name="Olga Optician")
    version = make_published_workflow(db_session, "stock_rotation")
    return {"rep": rep, "account": account, "retailer": retailer, "version": version}


def counts(session, rma):
    events = session.scalar(select(func.count()).where(RmaEvent.rma_id == rma.id))
    outbox = session.scalar(select(func.count()).where(OutboxMessage.rma_id == rma.id))
    return events, outbox


def test_submit_within_policy_authorizes_and_notifies(db_session, world):
    rma = make_rma(db_session, world["account"], world["version"], policy_passed=True)
    outcome = fire(db_session, rma, "submit", world["retailer"], now=NOW)
    assert outcome.state == rma.state == "authorized"
    (event,) = rma.events
    assert (event.trigger, event.from_state, event.to_state) == ("submit", "draft", "authorized")
    assert event.actor_id == world["retailer"].id
    assert event.on_behalf_of_account_id is None
    assert {g["guard"] for g in event.data["guards"] if g["passed"]} >= {"policy_passed"}
    messages = db_session.scalars(select(OutboxMessage).where(OutboxMessage.rma_id == rma.id)).all()
    assert {(m.channel, m.recipient_user_id) for m in messages} == {
        (Channel.EMAIL, world["retailer"].id),
        (Channel.IN_APP, world["retailer"].id),
    }
    email = next(m for m in messages if m.channel is Channel.EMAIL)
    assert email.recipient_address == world["retailer"].email
    assert email.payload["rma_number"] == rma.number


def test_exception_request_goes_to_the_account_rep_with_a_due_time(db_session, world):
    rma = make_rma(db_session, world["account"], world["version"], exception_requested=True)
    fire(db_session, rma, "submit", world["retailer"], now=NOW)
    assert rma.state == "rep_review"
    assert rma.approval_step == 1
    assert rma.due_at == NOW + timedelta(hours=48)
    notified = db_session.scalars(
        select(OutboxMessage.recipient_user_id).where(
            OutboxMessage.rma_id == rma.id, OutboxMessage.template == "approval_requested"
        )
    ).all()
    assert set(notified) == {world["rep"].id}


def test_rep_submitting_for_the_account_is_recorded_as_acting_for_it(db_session, world):
    rma = make_rma(db_session, world["account"], world["version"], policy_passed=True)
    fire(db_session, rma, "submit", world["rep"], now=NOW)
    assert rma.events[0].on_behalf_of_account_id == world["account"].id


def test_only_the_accounts_rep_or_an_admin_may_approve(db_session, world):
    rma = make_rma(
        db_session,
        world["account"],
        world["version"],
        state="rep_review",
        approval_step=1,
        total_value=Decimal("300"),
    )
    stranger = make_user(db_session, Role.SALES_REP)
    with pytest.raises(TransitionRefused) as refused:
        fire(db_session, rma, "approve", stranger, comment="ok")
    assert refused.value.refusal == runtime.NOT_THE_APPROVER
    assert options_for(db_session, rma, stranger) == []
    fire(db_session, rma, "approve", world["rep"], comment="Good customer")
    assert rma.state == "authorized"
    assert rma.events[-1].comment == "Good customer"


def test_admin_may_act_on_any_approval_step(db_session, world):
    admin = make_user(db_session, Role.ADMIN)
    rma = make_rma(
        db_session,
        world["account"],
        world["version"],
        state="rep_review",
        approval_step=1,
        total_value=Decimal("300"),
    )
    fire(db_session, rma, "approve", admin, comment="Covering for Rita")
    assert rma.state == "authorized"


def test_a_role_not_allowed_is_refused_and_nothing_changes(db_session, world):
    rma = make_rma(db_session, world["account"], world["version"], policy_passed=True)
    warehouse = make_user(db_session, Role.WAREHOUSE)
    with pytest.raises(TransitionRefused) as refused:
        fire(db_session, rma, "submit", warehouse)
    assert refused.value.refusal == "forbidden"
    db_session.flush()
    assert rma.state == "draft"
    assert counts(db_session, rma) == (0, 0)


def test_failing_guards_are_refused_with_their_reasons(db_session, world):
    rma = make_rma(db_session, world["account"], world["version"], policy_passed=False)
    with pytest.raises(TransitionRefused) as refused:
        fire(db_session, rma, "submit", world["retailer"])
    assert refused.value.refusal == "guards_failed"
    assert refused.value.reason
    assert rma.state == "draft"
    assert counts(db_session, rma) == (0, 0)


def test_acting_on_a_version_someone_changed_since_is_a_conflict(db_session, world):
    rma = make_rma(db_session, world["account"], world["version"], policy_passed=True)
    db_session.flush()
    seen = rma.version
    # Another writer changed the RMA after the actor looked at it.
    db_session.execute(update(Rma).where(Rma.id == rma.id).values(version=Rma.version + 1))
    db_session.refresh(rma)
    with pytest.raises(TransitionConflict, match="since you opened it") as conflict:
        fire(db_session, rma, "submit", world["retailer"], seen_version=seen)
    assert conflict.value.status == 409
    assert rma.state == "draft"
    assert counts(db_session, rma) == (0, 0)
    outcome = fire(db_session, rma, "submit", world["retailer"], seen_version=rma.version)
    assert outcome.state == rma.state == "authorized"


def test_unknown_trigger_is_refused(db_session, world):
    rma = make_rma(db_session, world["account"], world["version"])
    with pytest.raises(TransitionRefused, match="not possible"):
        fire(db_session, rma, "teleport", world["retailer"])


def test_options_list_what_the_actor_may_do_without_side_effects(db_session, world):
    rma = make_rma(db_session, world["account"], world["version"], policy_passed=True)
    options = {o.trigger: o for o in options_for(db_session, rma, world["retailer"])}
    assert options["submit"].available and options["cancel"].available
    assert rma.state == "draft" and rma.approval_step is None
    assert counts(db_session, rma) == (0, 0)


class Explode(ActionBase):
    name = "explode"
    label = "Explode"
    description = "Fails, for the rollback test."

    def run(self, ctx, **params):
        raise RuntimeError("boom")


def test_a_failing_action_changes_nothing(db_session, world, monkeypatch):
    registry = REGISTRY.copy()
    registry.register_action(Explode)
    monkeypatch.setattr(runtime, "MACHINES", MachineCache(registry=registry))
    config = load_template("stock_rotation")
    authorized = next(s for s in config["states"] if s["name"] == "authorized")
    authorized["on_enter"].append({"action": "explode"})
    version = WorkflowVersion(workflow_id=world["version"].workflow_id, number=99, config=config)
    db_session.add(version)
    db_session.flush()
    rma = make_rma(db_session, world["account"], version, policy_passed=True)
    with pytest.raises(RuntimeError, match="boom"):
        fire(db_session, rma, "submit", world["retailer"], now=NOW)
    assert rma.state == "draft" and rma.due_at is None
    assert counts(db_session, rma) == (0, 0)


def test_a_stored_config_naming_python_callables_never_runs_them(db_session, world, monkeypatch):
    calls = []
    monkeypatch.setattr(os, "system", lambda *args: calls.append(args))
    config = load_template("stock_rotation")
    config["states"][0]["on_enter"] = [{"action": "os.system", "params": {"command": "true"}}]
    config["transitions"][0]["guards"] = [{"guard": "builtins.print"}]
    # Written straight to the database, as if validation had been bypassed.
    version = WorkflowVersion(workflow_id=world["version"].workflow_id, number=98, config=config)
    db_session.add(version)
    db_session.flush()
    rma = make_rma(db_session, world["account"], version, policy_passed=True)
    with pytest.raises(InvalidWorkflow) as invalid:
        fire(db_session, rma, "submit", world["retailer"])
    assert "os.system" in str(invalid.value) or any(
        "os.system" in p.message for p in invalid.value.problems
    )
    assert calls == []
    assert rma.state == "draft"


def test_editing_the_workflow_never_changes_rmas_in_flight(db_session, world):
    rma = make_rma(db_session, world["account"], world["version"], policy_passed=True)
    old_version_id = rma.workflow_version_id
    draft = draft_from(db_session, world["version"], None)
    config = load_template("stock_rotation")
    authorized = next(s for s in config["states"] if s["name"] == "authorized")
    authorized["label"] = "Approved (new wording)"
    draft.config = config
    publish(db_session, draft, None)
    fire(db_session, rma, "submit", world["retailer"])
    assert rma.workflow_version_id == old_version_id
    assert rma.state == "authorized"
    db_session.refresh(world["version"])
    assert world["version"].status.value == "archived"


def test_published_versions_are_immutable_in_the_application(db_session, world):
    version = world["version"]
    version.config = {**version.config, "initial": "authorized"}
    with pytest.raises(VersionNotEditable):
        db_session.flush()
    db_session.rollback()


def test_publishing_an_invalid_draft_is_refused(db_session):
    draft = create_workflow(
        db_session,
        code="broken",
        name="Broken",
        config={"schema": 1, "initial": "nowhere", "states": []},
        actor=None,
    )
    with pytest.raises(InvalidWorkflow):
        publish(db_session, draft, None)
    assert draft.status.value == "draft"


def test_only_one_draft_per_workflow(db_session, world):
    draft_from(db_session, world["version"], None)
    with pytest.raises(VersionNotEditable, match="already has a draft"):
        draft_from(db_session, world["version"], None)


def test_rma_numbers_are_unique(db_session, world):
    make_rma(db_session, world["account"], world["version"], number="RMA-2026-000001")
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError), db_session.begin_nested():
        make_rma(db_session, world["account"], world["version"], number="RMA-2026-000001")
    assert db_session.scalar(select(func.count(Rma.id))) == 1
