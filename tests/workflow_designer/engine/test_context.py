"""FireContext: roles, comments, the undo log."""

from __future__ import annotations

import enum

from tests.workflow_designer.engine.builders import FakeRma
from workflow_designer.engine.context import FireContext, role_of


class Role(enum.StrEnum):
    SALES_REP = "sales_rep"


class User:
    role = Role.SALES_REP


def test_the_role_is_read_from_the_actor_unless_given():
    assert FireContext(FakeRma(), actor=User()).role == "sales_rep"
    assert FireContext(FakeRma(), actor=User(), role="admin").role == "admin"
    assert FireContext(FakeRma()).role is None
    assert role_of(object()) is None


def test_blank_comments_do_not_count():
    assert not FireContext(FakeRma(), comment=" \n").has_comment
    assert FireContext(FakeRma(), comment="ok").has_comment


def test_rollback_restores_values_in_reverse_and_drops_later_effects():
    rma = FakeRma(approval_step=None)
    ctx = FireContext(rma)
    ctx.add_effect({"kind": "kept"})
    savepoint = ctx.savepoint()
    ctx.set_rma("approval_step", 1)
    ctx.set_rma("approval_step", 2)
    ctx.add_effect({"kind": "dropped"})
    ctx.rollback_to(savepoint)
    assert rma.approval_step is None
    assert ctx.effects == [{"kind": "kept"}]


def test_the_default_clock_is_utc():
    assert FireContext(FakeRma()).now.utcoffset().total_seconds() == 0
