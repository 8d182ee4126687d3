"""Ages and periods in days, weeks or calendar months: the arithmetic and its reading."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.workflow_designer.policy.helpers import line, only_finding, request, rule
from workflow_designer.policy import describe_policy, evaluate, line_issues, validate_policy
from workflow_designer.policy.periods import Period, add_months
from workflow_designer.policy.validation import read_policy


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # end of a shorter month
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2028, 2, 29), 12, date(2029, 2, 28)),
        (date(2028, 2, 29), -12, date(2027, 2, 28)),
        (date(2026, 8, 31), 1, date(2026, 9, 30)),
        (date(2026, 11, 15), 3, date(2027, 2, 15)),  # over the new year
        (date(2026, 1, 15), -1, date(2025, 12, 15)),
        (date(2026, 5, 10), 0, date(2026, 5, 10)),
    ],
)
def test_calendar_months_keep_the_day_or_end_the_month(day, months, expected):
    assert add_months(day, months) == expected


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 1, 1)), st.integers(-120, 120))
def test_a_month_step_lands_in_the_right_month_and_never_past_the_day(day, months):
    moved = add_months(day, months)
    assert (moved.year * 12 + moved.month) - (day.year * 12 + day.month) == months
    assert moved.day <= day.day
    assert moved.day == day.day or (moved + timedelta(days=1)).day == 1  # clamped: month end


def test_weeks_and_days():
    assert Period(2, "weeks").after(date(2026, 12, 25)) == date(2027, 1, 8)
    assert Period(30).after(date(2026, 1, 31)) == date(2026, 3, 2)
    assert Period(1, "months").after(date(2026, 1, 31)) == date(2026, 2, 28)  # not 30 days


def test_trailing_periods_end_today_both_days_included():
    today = date(2026, 3, 1)
    assert Period(365).trailing_start(today) == date(2025, 3, 2)
    assert Period(12, "months").trailing_start(today) == date(2025, 3, 2)
    assert Period(12, "months").trailing_days(today) == 365
    assert Period(12, "months").trailing_days(date(2028, 3, 1)) == 366  # over 29 Feb 2028
    assert Period(1, "months").trailing_start(date(2026, 3, 31)) == date(2026, 3, 1)


def test_words():
    assert Period(1).words() == "1 day"
    assert Period(3, "months").words() == "3 months"
    assert Period(1, "weeks").adjective() == "1-week"


# --- reading -------------------------------------------------------------------------


def _age(**params):
    return {"purchase_age": rule("exception", **params)}


def test_days_only_stored_params_read_as_before():
    """Every policy stored before units existed holds plain numbers of days."""
    read = read_policy(_age(min_days=90, max_days=730))
    assert read.problems == []
    assert read.rules["purchase_age"].params == {
        "min_days": Period(90),
        "max_days": Period(730),
    }


def test_a_missing_unit_means_days():
    read = read_policy(_age(min_days={"count": 90}, max_days=None))
    assert read.rules["purchase_age"].params["min_days"] == Period(90, "days")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ({"count": 3, "unit": "years"}, "must be counted in days, weeks or months, not 'years'"),
        ({"count": "3", "unit": "months"}, "must be a whole number, not '3'"),
        ({"count": 121, "unit": "months"}, "must be between 0 and 120 months"),
        ({"count": 522, "unit": "weeks"}, "must be between 0 and 521 weeks"),
        ({"count": 3, "unit": "months", "x": 1}, "has an unknown setting 'x'"),
        ({"unit": "months"}, "must be a whole number, not 'null'"),
        (3.0, "must be a whole number, not '3.0'"),
    ],
)
def test_bad_periods_are_refused_in_words(value, message):
    problems = validate_policy(_age(min_days=value, max_days=None))
    assert [(p.field, p.message) for p in problems] == [
        ("min_days", f"Purchase age: minimum age {message}.")
    ]


def test_a_maximum_below_the_minimum_across_units():
    problems = validate_policy(_age(min_days={"count": 3, "unit": "months"}, max_days=60))
    assert [p.message for p in problems] == [
        "Purchase age: the maximum (60 days) is below the minimum (3 months)."
    ]
    assert validate_policy(_age(min_days={"count": 2, "unit": "months"}, max_days=70)) == []


# --- the rules --------------------------------------------------------------------------

MONTHS_3 = {"count": 3, "unit": "months"}


def test_purchase_age_in_months_counts_calendar_months():
    policy = _age(min_days=MONTHS_3, max_days=None)
    bought = line(invoice_number="INV-N", invoice_date=date(2025, 11, 30))
    # 30 Nov + 3 months = 28 Feb (2026 has no 29 Feb): old enough on 28 Feb, not the day before.
    assert only_finding(policy, request(bought, today=date(2026, 2, 28))).passed
    early = only_finding(policy, request(bought, today=date(2026, 2, 27)))
    assert not early.passed
    assert early.message == "Purchase age: 1 line was bought less than 3 months ago (INV-N)"
    assert early.figures["min_days"] == MONTHS_3
    one_month = _age(min_days={"count": 1, "unit": "months"}, max_days=None)
    end_of_january = line(invoice_date=date(2026, 1, 31))
    # A month after 31 Jan is 28 Feb; thirty days would be 2 Mar.
    assert only_finding(one_month, request(end_of_january, today=date(2026, 2, 28))).passed


def test_purchase_age_in_a_leap_year():
    policy = _age(min_days=None, max_days={"count": 12, "unit": "months"})
    bought = line(invoice_date=date(2027, 2, 28))
    assert only_finding(policy, request(bought, today=date(2028, 2, 28))).passed
    assert not only_finding(policy, request(bought, today=date(2028, 2, 29))).passed
    leap = line(invoice_date=date(2028, 2, 29))
    assert only_finding(policy, request(leap, today=date(2029, 2, 28))).passed
    assert not only_finding(policy, request(leap, today=date(2029, 3, 1))).passed


def test_purchase_age_explained_and_judged_in_the_same_words():
    policy = _age(min_days=MONTHS_3, max_days=None)
    today = date(2026, 3, 1)
    assert describe_policy(policy, "EUR", today)[0] == (
        "Only products bought at least 3 months ago can be returned. "
        "You can ask for an exception, with a reason."
    )
    passing = only_finding(policy, request(line(invoice_date=date(2025, 1, 1)), today=today))
    assert passing.message == "Purchase age: every line was bought at least 3 months ago"
    recent = line(invoice_date=date(2026, 2, 1))
    [[issue]] = line_issues(policy, [recent], today)
    assert issue.message.endswith("bought less than 3 months ago")


def test_return_window_in_weeks_and_months():
    weeks = {"return_window": rule(days={"count": 2, "unit": "weeks"}, **{"from": "invoice"})}
    bought = line(sku="W", invoice_date=date(2026, 1, 31))
    assert only_finding(weeks, request(bought, today=date(2026, 2, 14))).passed
    late = only_finding(weeks, request(bought, today=date(2026, 2, 15)))
    assert late.message == (
        "Return window: line W invoiced 2026-01-31 is past the 2-week window (ended 2026-02-14)"
    )
    month = {"return_window": rule(days={"count": 1, "unit": "months"}, **{"from": "invoice"})}
    assert only_finding(month, request(bought, today=date(2026, 2, 28))).passed
    assert not only_finding(month, request(bought, today=date(2026, 3, 1))).passed
    assert describe_policy(month, "EUR", date(2026, 2, 1))[0] == (
        "Return within 1 month of the invoice date."
    )


def test_cooldown_in_months():
    policy = {"cooldown": rule(days={"count": 1, "unit": "months"})}
    last = date(2026, 1, 31)
    early = only_finding(policy, request(today=date(2026, 2, 27), last_submitted_on=last))
    assert not early.passed
    assert early.message == (
        "Cooldown: last request submitted 2026-01-31; the next one is possible from "
        "2026-02-28 (1-month cooldown)"
    )
    assert only_finding(policy, request(today=date(2026, 2, 28), last_submitted_on=last)).passed


def test_allowance_over_a_trailing_period_in_months():
    policy = {"allowance": rule(percent="12", period_days={"count": 12, "unit": "months"})}
    finding = only_finding(
        policy,
        request(line(price="100.00"), net_purchases=Decimal(1000), allowance_used=Decimal(0)),
    )
    assert finding.passed
    assert finding.message == (
        "Allowance: €100.00 of €120.00 used in the last 12 months, €20.00 left "
        "(this request: €100.00)"
    )
    assert finding.figures["period_days"] == {"count": 12, "unit": "months"}
    assert describe_policy(policy, "EUR", date(2026, 3, 1))[0].startswith(
        "Returns may total up to 12% of your net purchases in the last 12 months;"
    )


def test_request_frequency_in_weeks():
    policy = {"request_frequency": rule(max_requests=1, period_days={"count": 6, "unit": "weeks"})}
    finding = only_finding(policy, request(requests_in_period=1))
    assert finding.message == (
        "Request frequency: 1 request already submitted in the last 6 weeks; at most 1 allowed"
    )


def test_days_only_policies_evaluate_exactly_as_before():
    """The figures of a days-only policy stay plain numbers of days."""
    policy = {
        "purchase_age": rule(min_days=90, max_days=730),
        "allowance": rule(percent="15", period_days=365),
        "cooldown": rule(days=90),
    }
    evaluation = evaluate(policy, request(line(), net_purchases=Decimal(1000)))
    figures = {f.rule: f.figures for f in evaluation.findings}
    assert figures["purchase_age"]["min_days"] == 90
    assert figures["purchase_age"]["max_days"] == 730
    assert figures["allowance"]["period_days"] == 365
    assert figures["cooldown"]["days"] == 90
    assert "in the last 12 months" in evaluation.findings[0].message
