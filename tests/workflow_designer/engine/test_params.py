"""Typed parameters: what a config may write, and what the designer is told."""

from __future__ import annotations

from decimal import Decimal

import pytest

from workflow_designer.engine.errors import ParamError
from workflow_designer.engine.params import ChoiceParam, DecimalParam, IntParam, shown

AMOUNT = DecimalParam(name="amount", description="Amount")
HOURS = IntParam(name="hours", description="Hours", minimum=1, maximum=48)
KIND = ChoiceParam(name="kind", description="Kind", choices=("credit", "refund"))


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("2500", Decimal("2500")),
        (" 2500.50 ", Decimal("2500.50")),
        (0, Decimal(0)),
        (12, Decimal(12)),
    ],
)
def test_amounts_accept_strings_and_whole_numbers(raw, value):
    assert AMOUNT.parse(raw) == value


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (0.1, 'must be an amount written as a string, such as "2500.00"'),
        (True, 'must be an amount written as a string, such as "2500.00"'),
        (None, 'must be an amount written as a string, such as "2500.00"'),
        ("ten", "'ten' is not an amount"),
        ("NaN", "'NaN' is not an amount"),
        ("-Infinity", "'-Infinity' is not an amount"),
        ("-0.01", "must be at least 0"),
    ],
)
def test_amounts_refuse_floats_junk_and_negatives(raw, reason):
    with pytest.raises(ParamError) as excinfo:
        AMOUNT.parse(raw)
    assert str(excinfo.value) == reason


def test_amount_minimum_can_be_lifted():
    assert DecimalParam(name="x", description="", minimum=None).parse("-5") == Decimal(-5)


@pytest.mark.parametrize(
    ("raw", "reason"),
    [(0, "at least 1"), (49, "at most 48"), (True, "whole"), ("3", "whole"), (2.0, "whole")],
)
def test_ints_are_whole_numbers_in_bounds(raw, reason):
    assert HOURS.parse(24) == 24
    with pytest.raises(ParamError, match=reason):
        HOURS.parse(raw)


def test_choices_accept_only_listed_strings():
    assert KIND.parse("refund") == "refund"
    with pytest.raises(ParamError, match="'cash' is not one of credit, refund"):
        KIND.parse("cash")
    with pytest.raises(ParamError, match=r"'\['credit'\]' is not one of"):
        KIND.parse(["credit"])


def test_long_values_are_shortened_in_messages():
    assert shown("x" * 100) == "x" * 39 + "…"
    assert shown({"a": 1}) == "{'a': 1}"


def test_specs_describe_fields_for_the_designer():
    assert AMOUNT.spec() == {
        "name": "amount",
        "type": "decimal",
        "description": "Amount",
        "minimum": "0",
    }
    assert HOURS.spec() == {
        "name": "hours",
        "type": "int",
        "description": "Hours",
        "minimum": 1,
        "maximum": 48,
    }
    assert KIND.spec()["choices"] == ["credit", "refund"]


def test_the_base_param_cannot_parse():
    from workflow_designer.engine.params import Param

    with pytest.raises(NotImplementedError):
        Param(name="x", description="").parse(1)
