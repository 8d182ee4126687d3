"""Every registered action, and the contract later actions are built on."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.workflow_designer.engine.builders import NOW, FakeRma, context
from workflow_designer.engine.base import ActionBase
from workflow_designer.engine.context import FireContext
from workflow_designer.engine.errors import ActionUnavailable, ParamError
from workflow_designer.engine.registry import REGISTRY


def run(name: str, ctx: FireContext, **params: Any) -> None:
    action = REGISTRY.action(name)
    action.perform(ctx, action.parse_params(params))


def test_notify_asks_for_an_outbox_row():
    ctx = context()
    run("notify", ctx, to="retailer", template="rma_authorized")
    assert ctx.effects == [{"kind": "notify", "to": "retailer", "template": "rma_authorized"}]


def test_notify_only_knows_fixed_recipients_and_templates():
    notify = REGISTRY.action("notify")
    with pytest.raises(ParamError, match="parameter 'template': 'hello' is not one of"):
        notify.parse_params({"to": "retailer", "template": "hello"})
    with pytest.raises(ParamError, match="needs the parameter 'template'"):
        notify.parse_params({"to": "retailer"})
    with pytest.raises(ParamError, match="takes no parameter 'cc'"):
        notify.parse_params({"to": "retailer", "template": "rma_closed", "cc": "x"})


def test_assign_approver_sets_the_step_and_can_be_undone():
    rma = FakeRma(approval_step=1)
    ctx = context(rma)
    savepoint = ctx.savepoint()
    run("assign_approver", ctx, step=2)
    assert rma.approval_step == 2
    ctx.rollback_to(savepoint)
    assert rma.approval_step == 1


def test_set_due_counts_from_the_context_clock():
    rma = FakeRma()
    run("set_due", context(rma), hours=48)
    assert rma.due_at == NOW + timedelta(hours=48)


@pytest.mark.parametrize("hours", [0, -1, 24 * 365 + 1, "12"])
def test_set_due_refuses_silly_hours(hours):
    with pytest.raises(ParamError):
        REGISTRY.action("set_due").parse_params({"hours": hours})


class WritesRows(ActionBase):
    name = "writes_rows"
    label = "Writes rows"
    description = "Pretends to write a credit memo."
    needs_session = True

    def run(self, ctx: FireContext, **params: Any) -> None:
        ctx.session.append("row")


def test_an_action_that_needs_a_session_refuses_to_run_without_one():
    with pytest.raises(ActionUnavailable, match="'writes_rows' needs a database session"):
        WritesRows().perform(context(), {})
    session: list[str] = []
    WritesRows().perform(context(session=session), {})
    assert session == ["row"]


def test_the_base_action_must_be_overridden():
    with pytest.raises(NotImplementedError):
        ActionBase().run(context())
