"""Every registered guard: when it passes, when it fails, and what it says."""

from __future__ import annotations

import enum
from decimal import Decimal

import pytest

from tests.workflow_designer.engine.builders import FakeLine, FakeRma, context
from workflow_designer.engine.base import GuardResult
from workflow_designer.engine.registry import REGISTRY


def check(name: str, rma: FakeRma, **params) -> GuardResult:
    guard = REGISTRY.guard(name)
    ctx = context(rma)
    return guard.check(ctx, **guard.parse_params(params))


def test_policy_passed():
    assert check("policy_passed", FakeRma(policy_passed=True)) == GuardResult(
        True, "The return policy is met."
    )
    assert check("policy_passed", FakeRma(policy_passed=False)) == GuardResult(
        False, "The return policy is not met."
    )


def test_exception_requested():
    assert check("exception_requested", FakeRma(exception_requested=True)).passed
    result = check("exception_requested", FakeRma(exception_requested=False))
    assert result == GuardResult(False, "No exception was requested.")


@pytest.mark.parametrize(
    ("value", "passed", "reason"),
    [
        ("2500.00", True, "The return value 2,500.00 is at least 2,500.00."),
        ("2499.99", False, "The return value 2,499.99 is below 2,500.00."),
    ],
)
def test_value_at_least(value, passed, reason):
    rma = FakeRma(total_value=Decimal(value))
    assert check("value_at_least", rma, amount="2500") == GuardResult(passed, reason)


@pytest.mark.parametrize(
    ("value", "passed", "reason"),
    [
        ("499.99", True, "The return value 499.99 is below 500.00."),
        ("500", False, "The return value 500.00 is not below 500.00."),
    ],
)
def test_value_below(value, passed, reason):
    rma = FakeRma(total_value=Decimal(value))
    assert check("value_below", rma, amount="500") == GuardResult(passed, reason)


def test_all_lines_received():
    full = [FakeLine(quantity_authorized=2, quantity_received=2), FakeLine(3, 4)]
    assert check("all_lines_received", FakeRma(lines=full)).passed
    short = [FakeLine(2, 1), FakeLine(1, None), FakeLine(1, 1)]
    assert check("all_lines_received", FakeRma(lines=short)) == GuardResult(
        False, "2 lines not fully received yet."
    )
    assert check("all_lines_received", FakeRma(lines=[])) == GuardResult(
        False, "The RMA has no lines."
    )


def test_has_discrepancy():
    lines = [FakeLine(has_discrepancy=True), FakeLine()]
    assert check("has_discrepancy", FakeRma(lines=lines)) == GuardResult(
        True, "1 line flagged with a discrepancy."
    )
    assert not check("has_discrepancy", FakeRma(lines=[FakeLine()])).passed


def test_inspection_complete():
    graded = [FakeLine(quantity_received=1, grade="new"), FakeLine(quantity_received=0)]
    assert check("inspection_complete", FakeRma(lines=graded)) == GuardResult(
        True, "Every received line has been graded."
    )
    ungraded = [FakeLine(quantity_received=1, grade=None), FakeLine(quantity_received=2)]
    assert check("inspection_complete", FakeRma(lines=ungraded)) == GuardResult(
        False, "2 received lines not graded yet."
    )
    nothing = [FakeLine(quantity_received=0), FakeLine(quantity_received=None)]
    assert check("inspection_complete", FakeRma(lines=nothing)) == GuardResult(
        False, "Nothing has been received to inspect."
    )


@pytest.mark.parametrize(
    ("chosen", "passed", "reason"),
    [
        ("replacement_order", True, "The resolution is replacement order."),
        ("credit", False, "The resolution is credit, not replacement order."),
        (None, False, "No resolution has been chosen yet."),
    ],
)
def test_resolution_is(chosen, passed, reason):
    rma = FakeRma(resolution=chosen)
    assert check("resolution_is", rma, kind="replacement_order") == GuardResult(passed, reason)


class Resolution(enum.StrEnum):
    CREDIT = "credit"


def test_resolution_is_accepts_an_enum_column():
    assert check("resolution_is", FakeRma(resolution=Resolution.CREDIT), kind="credit").passed


class AccountStatus(enum.Enum):
    ACTIVE = "active"
    ON_HOLD = "on_hold"


@pytest.mark.parametrize(
    ("status", "passed"),
    [
        ("active", True),
        ("on_hold", False),
        (AccountStatus.ACTIVE, True),
        (AccountStatus.ON_HOLD, False),
    ],
)
def test_account_in_good_standing(status, passed):
    result = check("account_in_good_standing", FakeRma(account_status=status))
    assert result.passed is passed
    assert result.reason == ("The account is active." if passed else "The account is on hold.")


def test_guards_do_not_change_the_rma():
    rma = FakeRma(lines=[FakeLine(quantity_received=1, grade="new", has_discrepancy=True)])
    before = repr(rma)
    for name in REGISTRY.guard_names():
        params = {"amount": "1"} if name.startswith("value_") else {}
        params = {"kind": "credit"} if name == "resolution_is" else params
        check(name, rma, **params)
    assert repr(rma) == before


def test_the_base_guard_must_be_overridden():
    from workflow_designer.engine.base import GuardBase

    with pytest.raises(NotImplementedError):
        GuardBase().check(context())
