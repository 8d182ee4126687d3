"""estimate_credit: fee, grade deduction and exchange bonus, rounded once per line, half-up."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.workflow_designer.policy.helpers import line, rule
from workflow_designer.policy import default_policy, disposition_for, estimate_credit

D = Decimal


def credit_policy(fee="0", deductions=None, bonus=None):
    policy = {
        "restocking_fee": rule(None, percent=fee),
        "grade_deductions": rule(None, percent=deductions or {}, disposition={}),
    }
    if bonus is not None:
        policy["exchange_bonus"] = rule(None, percent=bonus)
    return policy


def test_euro_lines_are_rounded_once_half_up():
    # 3 × 33.335 = 100.005; less 10 % = 90.0045 → €90.00. Rounding the value first
    # (€100.01) would give €90.01: the single rounding is the point.
    estimate = estimate_credit(credit_policy("10"), [line(quantity=3, price="33.335")], "credit")
    [credit_line] = estimate.lines
    assert credit_line.value == D("100.005")
    assert credit_line.credit == D("90.00")
    assert estimate.total_value == D("100.01")
    assert estimate.total_credit == D("90.00")


def test_half_a_cent_rounds_up():
    estimate = estimate_credit({}, [line(price="0.125"), line("B", price="0.135")], None)
    assert [item.credit for item in estimate.lines] == [D("0.13"), D("0.14")]
    assert estimate.total_credit == D("0.27")


def test_pounds_with_fee_and_grade_deduction():
    # 2 × £49.99 = £99.98; 100 − 5 − 20 = 75 % → £74.985 → £74.99 (half-even would say .98).
    policy = credit_policy("5", {"used": "20"})
    used = line(quantity=2, price="49.99", grade="used")
    estimate = estimate_credit(policy, [used], "credit", currency="GBP")
    assert estimate.currency == "GBP"
    assert estimate.lines[0].credit == D("74.99")
    assert estimate.lines[0].deduction_percent == D("20")
    assert estimate.lines[0].restocking_fee_percent == D("5")


@pytest.mark.parametrize(
    ("price", "quantity", "policy", "resolution", "expected"),
    [
        ("5", 1, credit_policy("10"), "credit", D("5")),  # ¥4.5 → ¥5
        ("1234.5", 3, credit_policy("10"), "credit", D("3333")),  # ¥3,333.15
        ("1001", 1, credit_policy(bonus="5"), "exchange", D("1051")),  # ¥1,051.05
        ("2500", 1, credit_policy(deductions={"used": "15"}), "credit", D("2125")),
    ],
)
def test_yen_has_no_minor_unit(price, quantity, policy, resolution, expected):
    item = line(quantity=quantity, price=price, grade="used")
    estimate = estimate_credit(policy, [item], resolution, currency="JPY")
    assert estimate.lines[0].credit == expected
    assert estimate.lines[0].credit.as_tuple().exponent == 0


def test_three_decimal_currency():
    estimate = estimate_credit(credit_policy("10"), [line(price="1.2345")], None, currency="KWD")
    assert estimate.lines[0].credit == D("1.111")  # 1.11105 → 1.111


def test_the_exchange_bonus_applies_only_to_exchanges():
    policy = credit_policy("10", bonus="5")
    item = line(quantity=1, price="200.00")
    assert estimate_credit(policy, [item], "exchange").total_credit == D("190.00")
    assert estimate_credit(policy, [item], "credit").total_credit == D("180.00")
    assert estimate_credit(policy, [item], None).lines[0].bonus_percent == 0


def test_inspection_grade_wins_over_the_reported_condition():
    policy = credit_policy(deductions={"used": "20", "heavily_damaged": "80"})
    reported = line(price="100", condition="used")
    inspected = line(price="100", condition="used", grade="heavily_damaged")
    unknown = line(price="100", condition="looks fine")
    estimate = estimate_credit(policy, [reported, inspected, unknown], "credit")
    assert [(item.grade, item.grade_source, item.credit) for item in estimate.lines] == [
        ("used", "reported", D("80.00")),
        ("heavily_damaged", "inspection", D("20.00")),
        (None, None, D("100.00")),
    ]
    assert estimate.total_credit == D("200.00")


def test_credit_never_goes_below_zero():
    policy = credit_policy("30", {"defective": "100"})
    estimate = estimate_credit(policy, [line(price="50", grade="defective")], "credit")
    assert estimate.lines[0].credit == D("0.00")


def test_without_credit_rules_the_invoice_value_is_credited():
    estimate = estimate_credit({}, [line(quantity=4, price="12.50")], "credit")
    assert estimate.total_credit == D("50.00")
    disabled = {"restocking_fee": {"enabled": False, "percent": "50"}}
    assert estimate_credit(disabled, [line(price="10")], None).total_credit == D("10.00")
    broken = {"restocking_fee": {"enabled": True, "percent": "many"}}
    assert estimate_credit(broken, [line(price="10")], None).total_credit == D("10.00")
    assert estimate_credit({}, [], None).total_credit == D("0.00")


def test_an_approver_can_override_the_restocking_fee():
    policy = credit_policy("15")
    item = line(price="100")
    assert estimate_credit(policy, [item], None, restocking_fee_percent=D("0")).total_credit == D(
        "100.00"
    )
    assert estimate_credit(policy, [item], None, restocking_fee_percent=D("5")).total_credit == D(
        "95.00"
    )


def test_estimate_as_dict_is_json_ready():
    estimate = estimate_credit(
        credit_policy("10"), [line(quantity=2, price="10", order_line_id=4)], "credit"
    )
    data = estimate.as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["total_credit"] == "18.00"
    assert data["lines"][0]["order_line_id"] == 4
    assert data["lines"][0]["credit"] == "18.00"


def test_dispositions_come_from_the_policy_or_the_usual_mapping():
    policy = {
        "grade_deductions": rule(None, percent={}, disposition={"used": "refurbish"}),
    }
    assert disposition_for(policy, "used") == "refurbish"
    assert disposition_for(policy, "new") == "restock"
    assert disposition_for({}, "defective") == "return_to_manufacturer"
    assert disposition_for(default_policy("ROTATION"), "heavily_damaged") == "scrap"
