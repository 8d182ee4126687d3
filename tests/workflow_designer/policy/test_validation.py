"""validate_policy: every kind of mistake, for every field, gets a clear message."""

from __future__ import annotations

import json

import pytest

from tests.workflow_designer.policy.helpers import rule
from workflow_designer.policy import RULES, PolicyProblem, default_policy, validate_policy


def problems(doc) -> list[tuple[str | None, str | None, str]]:
    return [(p.rule, p.field, p.message) for p in validate_policy(doc)]


def one(doc) -> tuple[str | None, str | None, str]:
    found = problems(doc)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("code", ["ROTATION", "DEFECTIVE", "DAMAGED", "WRONG_ITEM", "OTHER"])
def test_default_policies_are_valid_and_json(code):
    policy = default_policy(code)
    assert validate_policy(policy) == []
    assert json.loads(json.dumps(policy)) == policy


def test_default_policy_is_a_fresh_copy():
    policy = default_policy("ROTATION")
    policy["allowance"]["percent"] = "99"
    assert default_policy("ROTATION")["allowance"]["percent"] == "15"


def test_empty_policy_is_valid():
    assert validate_policy({}) == []


@pytest.mark.parametrize("doc", [[], "x", 3, None, True])
def test_document_must_be_an_object(doc):
    rule_name, field, message = one(doc)
    assert (rule_name, field) == (None, None)
    assert message.startswith("The policy must be an object of rules by name")


def test_unknown_rule_is_named():
    assert one({"max_frames": {"enabled": True}}) == (
        "max_frames",
        None,
        "Unknown rule 'max_frames'; the rules are " + ", ".join(RULES) + ".",
    )


def test_rule_must_be_an_object():
    assert one({"cooldown": 30}) == (
        "cooldown",
        None,
        'Cooldown: must be an object such as {"enabled": true, …}, not 30.',
    )


@pytest.mark.parametrize(
    ("settings", "field", "message"),
    [
        ({"mode": "blocking", "days": 3}, "enabled", "'enabled' is required: true or false"),
        ({"enabled": "yes", "days": 3}, "enabled", "'enabled' must be true or false, not 'yes'"),
        ({"enabled": True, "days": 3}, "mode", "'mode' is required: blocking or exception"),
        (
            {"enabled": True, "mode": "soft", "days": 3},
            "mode",
            "'mode' must be blocking or exception, not 'soft'",
        ),
        (
            {"enabled": False, "mode": "soft"},
            "mode",
            "'mode' must be blocking or exception, not 'soft'",
        ),
        ({"enabled": True, "mode": "blocking", "days": 3, "hours": 2}, "hours", None),
    ],
)
def test_enabled_and_mode(settings, field, message):
    found = one({"cooldown": settings})
    assert found[:2] == ("cooldown", field)
    assert found[2] == f"Cooldown: {message or 'unknown setting ' + repr(field)}."


def test_credit_rules_have_no_mode():
    assert one({"restocking_fee": {"enabled": True, "mode": "blocking", "percent": "10"}}) == (
        "restocking_fee",
        "mode",
        "Restocking fee: has no mode; credit rules never fail, they shape the credit.",
    )


def test_disabled_rule_may_hold_unfinished_settings_but_no_unknown_keys():
    assert validate_policy({"cooldown": {"enabled": False, "days": "soon"}}) == []
    assert validate_policy({"request_size": {"enabled": False}}) == []
    assert one({"cooldown": {"enabled": False, "weeks": 2}})[1] == "weeks"


# One case per field: (rule, settings, field, message after "<Rule label>: ").
FIELD_CASES = [
    (
        "return_window",
        {"days": 0, "from": "invoice"},
        "days",
        "time to return must be between 1 and 3650 days",
    ),
    (
        "return_window",
        {"days": 3651, "from": "invoice"},
        "days",
        "time to return must be between 1 and 3650 days",
    ),
    (
        "return_window",
        {"days": "30", "from": "invoice"},
        "days",
        "time to return must be a whole number, not '30'",
    ),
    (
        "return_window",
        {"days": 30.0, "from": "invoice"},
        "days",
        "time to return must be a whole number, not '30.0'",
    ),
    (
        "return_window",
        {"days": True, "from": "invoice"},
        "days",
        "time to return must be a whole number, not 'true'",
    ),
    ("return_window", {"from": "invoice"}, "days", "time to return is required"),
    ("return_window", {"days": None, "from": "invoice"}, "days", "time to return is required"),
    (
        "return_window",
        {"days": 30, "from": "order"},
        "from",
        "counted from must be one of invoice, delivery, not 'order'",
    ),
    ("return_window", {"days": 30}, "from", "counted from is required"),
    (
        "eligible_products",
        {"lifecycles": ["retired"], "brands": [], "categories": []},
        "lifecycles",
        "lifecycles must be chosen from active, discontinued, clearance, not 'retired'",
    ),
    (
        "eligible_products",
        {"lifecycles": [], "brands": "Lunetta", "categories": []},
        "brands",
        "brands must be a list (empty for any), not 'Lunetta'",
    ),
    (
        "eligible_products",
        {"lifecycles": [], "brands": [], "categories": [" "]},
        "categories",
        "categories must not list a blank name",
    ),
    (
        "eligible_products",
        {"lifecycles": [], "brands": [7], "categories": []},
        "brands",
        "brands must list names, not '7'",
    ),
    (
        "eligible_products",
        {"lifecycles": [], "brands": []},
        "categories",
        "categories is required",
    ),
    (
        "evidence",
        {"photos": "yes", "description": True},
        "photos",
        "photos must be true or false, not 'yes'",
    ),
    (
        "evidence",
        {"photos": True, "description": 1},
        "description",
        "description must be true or false, not '1'",
    ),
    (
        "evidence",
        {"photos": False, "description": False},
        "photos",
        "require photos, a description or both (or switch the rule off)",
    ),
    (
        "request_size",
        {"min_units": 0, "max_units": None},
        "min_units",
        "minimum units must be between 1 and 100000",
    ),
    (
        "request_size",
        {"min_units": None, "max_units": "50"},
        "max_units",
        "maximum units must be a whole number, not '50'",
    ),
    ("request_size", {}, "min_units", "set a minimum, a maximum or both"),
    (
        "request_size",
        {"min_units": 10, "max_units": 5},
        "max_units",
        "the maximum (5 units) is below the minimum (10 units)",
    ),
    (
        "allowance",
        {"percent": "150", "period_days": 365},
        "percent",
        "percent of net purchases must be between 0 and 100",
    ),
    (
        "allowance",
        {"percent": "-1", "period_days": 365},
        "percent",
        "percent of net purchases must be between 0 and 100",
    ),
    (
        "allowance",
        {"percent": 15.5, "period_days": 365},
        "percent",
        'percent of net purchases must be written as text, e.g. "15.5", not as a decimal number',
    ),
    (
        "allowance",
        {"percent": "fifteen", "period_days": 365},
        "percent",
        "percent of net purchases must be a number, not 'fifteen'",
    ),
    (
        "allowance",
        {"percent": "NaN", "period_days": 365},
        "percent",
        "percent of net purchases must be a number, not 'NaN'",
    ),
    (
        "allowance",
        {"percent": "12.123456", "period_days": 365},
        "percent",
        "percent of net purchases may have at most 4 decimal places",
    ),
    (
        "allowance",
        {"percent": "15", "period_days": 0},
        "period_days",
        "period must be between 1 and 3650 days",
    ),
    (
        "replacement_order",
        {"min_ratio_percent": "1001", "min_amount": None},
        "min_ratio_percent",
        "minimum ratio (% of returned value) must be between 0 and 1000",
    ),
    (
        "replacement_order",
        {"min_ratio_percent": None, "min_amount": "-5"},
        "min_amount",
        "minimum amount must be between 0 and 1000000000",
    ),
    (
        "replacement_order",
        {"min_ratio_percent": None, "min_amount": [1]},
        "min_amount",
        "minimum amount must be a number, not 'a list'",
    ),
    (
        "replacement_order",
        {"min_ratio_percent": None, "min_amount": None},
        "min_ratio_percent",
        "set a minimum ratio, a minimum amount or both",
    ),
    (
        "purchase_age",
        {"min_days": -1, "max_days": None},
        "min_days",
        "minimum age must be between 0 and 3650 days",
    ),
    (
        "purchase_age",
        {"min_days": None, "max_days": "730"},
        "max_days",
        "maximum age must be a whole number, not '730'",
    ),
    ("purchase_age", {"min_days": None}, "min_days", "set a minimum, a maximum or both"),
    (
        "purchase_age",
        {"min_days": 90, "max_days": 30},
        "max_days",
        "the maximum (30 days) is below the minimum (90 days)",
    ),
    ("cooldown", {"days": -3}, "days", "time between requests must be between 1 and 3650 days"),
    (
        "request_frequency",
        {"max_requests": 0, "period_days": 365},
        "max_requests",
        "maximum requests must be between 1 and 1000",
    ),
    (
        "request_frequency",
        {"max_requests": 2, "period_days": "a year"},
        "period_days",
        "period must be a whole number, not 'a year'",
    ),
]


@pytest.mark.parametrize(("rule_name", "settings", "field", "message"), FIELD_CASES)
def test_field_messages(rule_name, settings, field, message):
    doc = {rule_name: rule("exception", **settings)}
    assert one(doc) == (rule_name, field, f"{RULES[rule_name].label}: {message}.")


def test_every_parameter_has_a_field_case():
    covered = {(r, f) for r, _, f, _ in FIELD_CASES}
    pass_fail_params = {
        (spec.name, param.name)
        for spec in RULES.values()
        if spec.pass_fail
        for param in spec.params
        if param.kind != "windows"  # test_window_messages covers it
    }
    assert pass_fail_params <= covered


def windows_problem(*windows) -> str:
    found = one({"calendar_windows": rule(windows=list(windows))})
    assert found[:2] == ("calendar_windows", "windows")
    return found[2].removeprefix("Calendar windows: ")


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ({"start": "02-30", "end": "03-31"}, "window 1 start 30 Feb is not a real date."),
        ({"start": "04-01", "end": "04-31"}, "window 1 end 31 Apr is not a real date."),
        ({"start": "13-01", "end": "01-31"}, "window 1 start '13-01' is not a real date."),
        ({"start": "00-10", "end": "01-31"}, "window 1 start '00-10' is not a real date."),
        (
            {"start": "2-1", "end": "03-01"},
            "window 1 start '2-1' must be a day and a month, written MM-DD, e.g. 07-01 for 1 Jul.",
        ),
        (
            {"start": "02/01", "end": "03-01"},
            "window 1 start '02/01' must be a day and a month, written MM-DD, "
            "e.g. 07-01 for 1 Jul.",
        ),
        (
            {"start": 201, "end": "03-01"},
            "window 1 start '201' must be a day and a month, written MM-DD, e.g. 07-01 for 1 Jul.",
        ),
        (
            {"start": "02-29", "end": "03-10"},
            "window 1 start 29 Feb is only in leap years; use 28 Feb or 1 Mar.",
        ),
        ({"start": "02-01"}, "window 1 needs an end date."),
        ({"end": "02-01"}, "window 1 needs a start date."),
        (
            {"start": "02-01", "end": "03-01", "name": "Spring"},
            "window 1 has an unknown setting 'name'.",
        ),
        ("01-01", "window 1 must have a start and an end day."),
    ],
)
def test_window_messages(window, message):
    assert windows_problem(window) == message


def test_the_failing_window_is_numbered():
    good = {"start": "01-01", "end": "02-15"}
    assert windows_problem(good, {"start": "07-01", "end": "07-32"}).startswith("window 2 end")


def test_windows_must_be_a_non_empty_list():
    assert windows_problem() == "list at least one window (or switch the rule off)."
    found = one({"calendar_windows": rule(windows={"start": "01-01", "end": "01-31"})})
    assert "must be a list of" in found[2]
    too_many = [{"start": "01-01", "end": "01-02"}] * 25
    assert one({"calendar_windows": rule(windows=too_many)})[2].endswith("at most 24 windows.")


def test_a_window_ending_before_it_starts_wraps_the_new_year_and_is_valid():
    doc = {"calendar_windows": rule(windows=[{"start": "12-01", "end": "01-15"}])}
    assert validate_policy(doc) == []


@pytest.mark.parametrize(
    ("settings", "field", "message"),
    [
        (
            {"percent": {"shiny": "5"}, "disposition": {}},
            "percent",
            "'shiny' is not a grade; grades are new, open_packaging, used, lightly_damaged, "
            "heavily_damaged, defective.",
        ),
        (
            {"percent": {"used": "105"}, "disposition": {}},
            "percent",
            "the deduction for Used must be between 0 and 100.",
        ),
        (
            {"percent": {"used": 5.5}, "disposition": {}},
            "percent",
            'the deduction for Used must be written as text, e.g. "5.5", not as a decimal number.',
        ),
        (
            {"percent": [], "disposition": {}},
            "percent",
            "deduction per grade (%) must map grades to percentages, not 'a list'.",
        ),
        (
            {"percent": {}, "disposition": {"used": "burn"}},
            "disposition",
            "'burn' is not a disposition for Used; choose restock, b_stock, refurbish, "
            "return_to_manufacturer, scrap.",
        ),
        (
            {"percent": {}, "disposition": {"mint": "restock"}},
            "disposition",
            "'mint' is not a grade; grades are new, open_packaging, used, lightly_damaged, "
            "heavily_damaged, defective.",
        ),
        ({"percent": {}}, "disposition", "disposition per grade is required."),
    ],
)
def test_grade_deduction_messages(settings, field, message):
    assert one({"grade_deductions": rule(None, **settings)}) == (
        "grade_deductions",
        field,
        f"Grade deductions: {message}",
    )


@pytest.mark.parametrize("name", ["restocking_fee", "exchange_bonus"])
@pytest.mark.parametrize(
    ("percent", "reason"),
    [
        ("101", "must be between 0 and 100"),
        ("x", "must be a number, not 'x'"),
        (None, "is required"),
    ],
)
def test_credit_percent_messages(name, percent, reason):
    label = RULES[name].label
    param = RULES[name].params[0].label.lower()
    assert one({name: rule(None, percent=percent)}) == (
        name,
        "percent",
        f"{label}: {param} {reason}.",
    )


def test_all_problems_are_reported_at_once_in_rule_order():
    doc = {
        "zzz": {},
        "purchase_age": rule(min_days=90, max_days=30),
        "return_window": rule(days=0, **{"from": "invoice"}),
    }
    assert [(p.rule, p.field) for p in validate_policy(doc)] == [
        ("zzz", None),
        ("return_window", "days"),
        ("purchase_age", "max_days"),
    ]


def test_problem_as_dict():
    problem = PolicyProblem("cooldown", "days", "Cooldown: days is required.")
    assert problem.as_dict() == {
        "rule": "cooldown",
        "field": "days",
        "message": "Cooldown: days is required.",
    }


def test_huge_and_odd_values_are_refused_in_words():
    doc = {"cooldown": rule(days=10**5000)}
    assert one(doc)[2] == "Cooldown: time between requests must be between 1 and 3650 days."
    doc = {"allowance": rule(percent="1e999999", period_days=365)}
    assert one(doc)[2] == "Allowance: percent of net purchases must be between 0 and 100."
    doc = {"allowance": rule(percent="x" * 500, period_days=365)}
    assert "…" in one(doc)[2] and len(one(doc)[2]) < 120


def test_decimals_in_exponent_notation_read_as_plain_numbers():
    from workflow_designer.policy.validation import read_policy

    doc = {
        "allowance": rule(percent="1E+1", period_days=365),
        "restocking_fee": rule(None, percent="0E+999999"),
    }
    rules = read_policy(doc).rules
    assert str(rules["allowance"].params["percent"]) == "10"
    assert str(rules["restocking_fee"].params["percent"]) == "0"
