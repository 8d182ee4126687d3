"""Each signal rule at, just below and just above its threshold, on plain facts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from portal.signals import rules
from portal.signals.rules import AccountFacts, Network, Rush, Thresholds, condition_mismatch

D = Decimal
NETWORK = Network(tuple(D(n) for n in range(1, 11)))  # return rates 1 % … 10 %
T = Thresholds()


def facts(**values) -> AccountFacts:
    return AccountFacts(account_id=7, currency="EUR", **values)


def test_the_nearest_rank_percentile_and_the_share_below():
    assert NETWORK.percentile(90) == D(9)
    assert NETWORK.percentile(50) == D(5)
    assert NETWORK.percentile(99) == D(10)
    assert NETWORK.share_below(D("9.5")) == D(90)
    assert Network().percentile(90) is None


@pytest.mark.parametrize(
    ("returned", "fires"),
    [("89.99", False), ("90.00", False), ("90.01", True)],  # of 1000: 8.999 %, 9 %, 9.001 %
)
def test_return_rate_fires_above_the_networks_percentile_only(returned, fires):
    account = facts(purchased=D("1000.00"), returned=D(returned))
    signal = rules.return_rate(account, NETWORK, T)
    assert (signal is not None) is fires


def test_return_rate_figures():
    account = facts(purchased=D("2000.00"), returned=D("360.00"))  # 18 %
    signal = rules.return_rate(account, NETWORK, T)
    assert signal.figures == {
        "rate": "18.0",
        "percentile": 90,
        "percentile_rate": "9.0",
        "share_below": "100.0",
        "returned": "360.00",
        "purchased": "2000.00",
        "currency": "EUR",
        "period_days": 365,
    }


def test_an_account_without_purchases_has_no_return_rate():
    assert rules.return_rate(facts(returned=D(50)), NETWORK, T) is None


@pytest.mark.parametrize(("times", "fires"), [(2, False), (3, True), (4, True)])
def test_repeat_sku_at_the_threshold(times, fires):
    signal = rules.repeat_sku(facts(repeated_skus=(("LU-1", times),)), NETWORK, T)
    assert (signal is not None) is fires


def test_repeat_sku_names_the_most_returned_and_counts_the_others():
    skus = (("LU-2", 5), ("LU-1", 3), ("LU-3", 2))
    signal = rules.repeat_sku(facts(repeated_skus=skus), NETWORK, T)
    assert signal.figures == {"sku": "LU-2", "times": 5, "skus": 2, "period_days": 365}


@pytest.mark.parametrize(("lines", "fires"), [(2, False), (3, True), (4, True)])
def test_condition_mismatch_at_the_threshold(lines, fires):
    signal = rules.mismatch(facts(mismatched_lines=lines, inspected_lines=10), NETWORK, T)
    assert (signal is not None) is fires


@pytest.mark.parametrize(
    ("claimed", "grade", "mismatch"),
    [
        ("new", "new", False),
        ("new", "open_packaging", True),
        ("open_packaging", "new", False),
        ("used", "lightly_damaged", True),
        ("heavily_damaged", "heavily_damaged", False),
        ("new", "defective", False),  # a fault is not the retailer's wear
        ("defective", "new", True),  # no fault found
        ("defective", "open_packaging", True),
        ("defective", "used", False),
        ("", "used", False),
    ],
)
def test_the_condition_to_grade_mapping(claimed, grade, mismatch):
    assert condition_mismatch(claimed, grade) is mismatch


@pytest.mark.parametrize(("lines", "fires"), [(1, False), (2, True), (3, True)])
def test_over_receipt_at_the_threshold(lines, fires):
    signal = rules.over_receipt(
        facts(over_received_lines=lines, over_received_units=lines * 2), NETWORK, T
    )
    assert (signal is not None) is fires


@pytest.mark.parametrize(("requested", "fires"), [(2, False), (3, True), (4, True)])
def test_exceptions_at_the_requested_threshold(requested, fires):
    signal = rules.exceptions(facts(exceptions_requested=requested), NETWORK, T)
    assert (signal is not None) is fires


@pytest.mark.parametrize(("approved", "fires"), [(2, False), (3, True), (4, True)])
def test_exceptions_at_the_approved_share_threshold(approved, fires):
    thresholds = Thresholds(exceptions_approved_percent=75)  # 3 of 4 is 75 %
    account = facts(exceptions_requested=4, exceptions_approved=approved)
    assert (rules.exceptions(account, NETWORK, thresholds) is not None) is fires


def test_exceptions_figures():
    account = facts(exceptions_requested=3, exceptions_approved=2)
    signal = rules.exceptions(account, NETWORK, T)
    assert signal.figures["approved_share"] == "66.7"


@pytest.mark.parametrize(("value", "fires"), [("899.99", False), ("900.00", True), ("950", True)])
def test_rotation_rush_at_the_share_of_the_allowance(value, fires):
    rush = Rush(date(2026, 7, 1), 1, D(value), D("1000.00"))
    assert (rules.rotation_rush(facts(rushes=(rush,)), NETWORK, T) is not None) is fires


def test_rotation_rush_names_the_most_used_window():
    early = Rush(date(2026, 1, 1), 1, D("950.00"), D("1000.00"))
    later = Rush(date(2026, 7, 1), 2, D("1200.00"), D("1000.00"))
    signal = rules.rotation_rush(facts(rushes=(early, later)), NETWORK, T)
    assert signal.figures["opened"] == "2026-07-01"
    assert signal.figures["used"] == "120.0"
    assert signal.figures["windows"] == 2
    assert (
        rules.rotation_rush(facts(rushes=(Rush(early.opened, 1, D(5), D(0)),)), NETWORK, T) is None
    )


def test_switched_off_signals_never_fire():
    account = facts(mismatched_lines=9, over_received_lines=9, exceptions_requested=9)
    assert [s.code for s in rules.signals_of(account, NETWORK, T)] == [
        rules.CONDITION_MISMATCH,
        rules.OVER_RECEIPT,
        rules.EXCEPTIONS,
    ]
    off = Thresholds(over_receipt_on=False, exceptions_on=False)
    assert [s.code for s in rules.signals_of(account, NETWORK, off)] == [rules.CONDITION_MISMATCH]


def test_stored_thresholds_out_of_bounds_fall_back_to_the_defaults():
    document = {
        "period_days": 90,
        "repeat_sku_times": 1,  # below its bound
        "mismatch_lines": "4",  # not a number
        "over_receipt_on": False,
        "exceptions_on": "no",
    }
    read = Thresholds.from_document(document)
    assert read.period_days == 90
    assert read.repeat_sku_times == T.repeat_sku_times
    assert read.mismatch_lines == T.mismatch_lines
    assert read.over_receipt_on is False
    assert read.exceptions_on is True
    assert Thresholds.from_document(None) == T
    assert Thresholds.from_document(T.as_document()) == T
