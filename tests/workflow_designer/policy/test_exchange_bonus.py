"""The exchange bonus: percent and/or fixed amount, value towards the replacement order only.

The rule (workflow_designer.policy.credit): the bonus is granted only for the exchange
resolution; given the replacement order's value, at most what that order costs beyond the
credit without bonus is paid, the rest is not paid out.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.workflow_designer.policy.helpers import line, rule
from workflow_designer.policy import estimate_credit
from workflow_designer.policy.credit import exchange_bonus_paid, line_amounts
from workflow_designer.policy.validation import read_policy

D = Decimal


def policy(percent="0", amount=None, fee="0"):
    return {
        "restocking_fee": rule(None, percent=fee),
        "exchange_bonus": rule(None, percent=percent, amount=amount),
    }


def bonus_of(estimate):
    return sum((line_amounts(p, estimate.currency).exchange_bonus for p in estimate.lines), D(0))


def test_a_fixed_amount_is_added_once_per_request_and_spread_over_the_lines():
    lines = [line("A", price="100.00"), line("B", price="200.00")]
    estimate = estimate_credit(policy(amount="10"), lines, "exchange")
    assert estimate.total_credit == D("310.00")
    # €10 in proportion to €100 : €200 = €3.33⅓ : €6.66⅔ → the extra cent to the larger
    # remainder.
    assert [line_amounts(p, "EUR").exchange_bonus for p in estimate.lines] == [
        D("3.33"),
        D("6.67"),
    ]
    assert estimate.bonus_granted == D("10.00") and estimate.bonus_unused == D("0.00")


def test_percent_and_amount_together():
    estimate = estimate_credit(policy("5", "20", fee="10"), [line(price="200.00")], "exchange")
    # 200 − 10 % fee = 180; + 5 % of 200 = 10; + 20 → 210.
    assert estimate.total_credit == D("210.00")
    assert bonus_of(estimate) == D("30.00")


def test_percent_alone_is_priced_as_before():
    estimate = estimate_credit(
        policy("5", fee="10"), [line(quantity=3, price="33.335")], "exchange"
    )
    # 100.005 × 95 % = 95.00475 → €95.00, rounded once.
    assert estimate.total_credit == D("95.00")


@pytest.mark.parametrize("resolution", ["credit", "refund", "replacement_order", None])
def test_no_bonus_in_cash_or_a_plain_credit(resolution):
    estimate = estimate_credit(policy("10", "25"), [line(price="100.00")], resolution)
    assert estimate.total_credit == D("100.00")
    assert bonus_of(estimate) == 0 and estimate.bonus_granted == 0


def test_the_bonus_is_rounded_to_the_currency():
    yen = estimate_credit(policy(amount="99.6"), [line(price="1000")], "exchange", currency="JPY")
    assert yen.total_credit == D("1100") and yen.total_credit.as_tuple().exponent == 0
    kwd = estimate_credit(policy("1", "0.0005"), [line(price="1.000")], "exchange", currency="KWD")
    assert kwd.total_credit == D("1.011")  # 1.000 + 1 % (0.010) + 0.001 (0.0005 half-up)


def test_a_replacement_order_smaller_than_credit_and_bonus_leaves_the_rest_unpaid():
    lines = [line(price="100.00")]
    estimate = estimate_credit(policy("10", "15"), lines, "exchange", replacement_value=D("112.50"))
    # Credit without bonus €100; the order costs €112.50: only €12.50 of the €25 is paid.
    assert estimate.total_credit == D("112.50")
    assert estimate.bonus_granted == D("25.00") and estimate.bonus_unused == D("12.50")


def test_an_order_below_the_credit_pays_no_bonus_and_never_less_than_the_credit():
    estimate = estimate_credit(
        policy("10"), [line(price="100.00")], "exchange", replacement_value=D("40")
    )
    assert estimate.total_credit == D("100.00")
    assert estimate.bonus_unused == D("10.00")


def test_a_large_enough_order_pays_the_whole_bonus():
    estimate = estimate_credit(
        policy("10", "5"), [line(price="100.00")], "exchange", replacement_value=D("500")
    )
    assert estimate.total_credit == D("115.00") and estimate.bonus_unused == D("0.00")


def test_nothing_credited_earns_no_fixed_bonus():
    estimate = estimate_credit(policy(amount="50"), [line(quantity=0)], "exchange")
    assert estimate.total_credit == D("0.00")


@pytest.mark.parametrize(
    ("granted", "base", "order", "paid"),
    [
        ("30", "100", None, "30.00"),
        ("30", "100", "130", "30.00"),
        ("30", "100", "129.99", "29.99"),
        ("30", "100", "99", "0.00"),
        ("30", "100", "0", "0.00"),
    ],
)
def test_exchange_bonus_paid(granted, base, order, paid):
    value = None if order is None else D(order)
    assert exchange_bonus_paid(D(granted), D(base), value, "EUR") == D(paid)


def test_the_amount_is_validated():
    problems = read_policy({"exchange_bonus": rule(None, percent="0", amount="-5")}).problems
    assert [p.field for p in problems] == ["amount"]
    assert not read_policy({"exchange_bonus": rule(None, percent="0", amount=None)}).problems
    assert not read_policy({"exchange_bonus": rule(None, percent="5")}).problems


def test_the_questionnaire_deduction_stays_deducted_when_a_fixed_bonus_is_spread():
    # €200 − 10 % fee − 5 % answered = €170; + 5 % of 200 = €10; + €20 → €200.
    answered = line(price="200.00", answer_deduction_percent=D("5"))
    estimate = estimate_credit(policy("5", "20", fee="10"), [answered], "exchange")
    assert estimate.total_credit == D("200.00")
    assert bonus_of(estimate) == estimate.bonus_granted == D("30.00")
