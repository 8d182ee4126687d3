"""describe_policy: what a retailer reads before starting a request."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.workflow_designer.policy.helpers import rule
from workflow_designer.policy import default_policy, describe_policy
from workflow_designer.policy.money import format_money, format_percent

NOTE = " You can ask for an exception, with a reason."


def test_rotation_default_in_plain_words():
    assert describe_policy(default_policy("ROTATION"), "EUR", date(2026, 1, 20)) == [
        "Only products with lifecycle active or discontinued can be returned." + NOTE,
        "Minimum 10 frames per request.",
        "Returns may total up to 15% of your net purchases in the last 12 months; submitted "
        "requests count until they are rejected or cancelled." + NOTE,
        "With each request, order new stock (active products in stock) worth at least 100% of "
        "the value you return." + NOTE,
        "Only products bought 90 to 730 days ago can be returned." + NOTE,
        "Requests are accepted 1 Jan – 15 Feb and 1 Jul – 15 Aug each year: open now until "
        "15 Feb." + NOTE,
        "At most 2 requests in 12 months." + NOTE,
        "You are credited the price you paid, less a deduction by the condition found at "
        "inspection (used −20%, lightly damaged −40%, heavily damaged −100%, defective −100%); "
        "5% more if you take an exchange.",
    ]


def test_window_status_follows_today():
    lines = describe_policy(default_policy("ROTATION"), "EUR", date(2026, 11, 22))
    assert "closed now; the next window opens 1 Jan." in lines[5]


def test_defective_default():
    assert describe_policy(default_policy("DEFECTIVE"), "EUR", date(2026, 1, 1)) == [
        "Return within 730 days of delivery." + NOTE,
        "Each line needs photos and a description.",
        "You are credited the price you paid.",
    ]


def test_empty_policy():
    assert describe_policy({}, "EUR", date(2026, 1, 1)) == [
        "Any product you bought can be returned, at any time.",
        "You are credited the price you paid.",
    ]


def test_amounts_are_in_the_account_currency():
    policy = {
        "replacement_order": rule("blocking", min_ratio_percent="80", min_amount="500"),
        "return_window": rule("blocking", days=1, **{"from": "invoice"}),
        "cooldown": rule("blocking", days=45),
        "request_frequency": rule("blocking", max_requests=1, period_days=90),
        "request_size": rule("blocking", min_units=None, max_units=40),
        "purchase_age": rule("blocking", min_days=None, max_days=365),
        "eligible_products": rule("blocking", lifecycles=[], brands=[], categories=[]),
    }
    assert describe_policy(policy, "GBP", date(2026, 1, 1)) == [
        "Return within 1 day of the invoice date.",
        "Any product you bought can be returned.",
        "Maximum 40 frames per request.",
        "With each request, order new stock (active products in stock) worth at least 80% of "
        "the value you return and at least £500.00.",
        "Only products bought at most 365 days ago can be returned.",
        "At least 45 days between two requests.",
        "At most 1 request in 90 days.",
        "You are credited the price you paid.",
    ]


def test_credit_sentence_names_fee_deductions_and_bonus():
    policy = {
        "restocking_fee": rule(None, percent="12.5"),
        "grade_deductions": rule(None, percent={"open_packaging": "5"}, disposition={}),
        "exchange_bonus": rule(None, percent="3"),
    }
    assert describe_policy(policy, "EUR", date(2026, 1, 1))[-1] == (
        "You are credited the price you paid, less a 12.5% restocking fee, less a deduction by "
        "the condition found at inspection (open packaging −5%); 3% more if you take an exchange."
    )


def test_a_rule_that_cannot_be_read_is_mentioned():
    policy = {"cooldown": {"enabled": True, "mode": "blocking", "days": "x"}}
    assert describe_policy(policy, "EUR", date(2026, 1, 1)) == [
        "Any product you bought can be returned, at any time.",
        "Requests cannot be checked until the distributor corrects: cooldown.",
        "You are credited the price you paid.",
    ]


@pytest.mark.parametrize(
    ("amount", "currency", "text"),
    [
        ("1840", "EUR", "€1,840.00"),
        ("1234567.891", "GBP", "£1,234,567.89"),
        ("0.005", "EUR", "€0.01"),
        ("18400.5", "JPY", "¥18,401"),
        ("99", "CHF", "CHF 99.00"),
        ("5", "XYZ", "XYZ 5.00"),
        ("-400", "EUR", "−€400.00"),
        ("1.2345", "KWD", "KWD 1.235"),
    ],
)
def test_format_money(amount, currency, text):
    assert format_money(Decimal(amount), currency) == text


@pytest.mark.parametrize(
    ("value", "text"),
    [("15", "15%"), ("12.50", "12.5%"), ("100.00", "100%"), ("0.0001", "0.0001%")],
)
def test_format_percent(value, text):
    assert format_percent(Decimal(value)) == text
