"""A policy's changes in words: only real changes, labels from the rules' ParamSpecs."""

from __future__ import annotations

from workflow_designer.policy import RULES
from workflow_designer.policy.changes import diff_policies, same_policy


def _sentences(before, after) -> list[str]:
    return [change.sentence for change in diff_policies(before, after)]


ALLOWANCE = {"enabled": True, "mode": "blocking", "percent": "10", "period_days": 365}


def test_a_changed_percentage_and_number_of_days_in_words():
    before = {"allowance": ALLOWANCE, "purchase_age": {"enabled": True, "min_days": 90}}
    after = {
        "allowance": {**ALLOWANCE, "percent": "12"},
        "purchase_age": {"enabled": True, "min_days": 60},
    }
    assert _sentences(before, after) == [
        "Allowance · Percent of net purchases: 10% → 12%",
        "Purchase age · Minimum age: 90 days → 60 days",
    ]


def test_labels_come_from_the_registered_rules():
    spec = RULES["allowance"]
    param = spec.param("percent")
    assert param is not None
    (change,) = diff_policies({"allowance": ALLOWANCE}, {"allowance": {**ALLOWANCE, "percent": 5}})
    assert change.label == f"{spec.label} · {param.label}"
    assert (change.rule, change.field, change.before, change.after) == (
        "allowance",
        "percent",
        "10%",
        "5%",
    )


def test_switching_a_rule_and_its_mode():
    after = {"allowance": {**ALLOWANCE, "enabled": False, "mode": "exception"}}
    assert _sentences({"allowance": ALLOWANCE}, after) == [
        "Allowance: on → off",
        "Allowance · when not met: blocking → exception allowed",
    ]


def test_only_real_changes_count():
    stored = {"allowance": ALLOWANCE}
    as_the_form_posts = {
        "allowance": {**ALLOWANCE, "percent": "10.0"},  # the same number
        "purchase_age": {"enabled": False, "mode": "blocking", "min_days": None, "max_days": ""},
        "eligible_products": {"enabled": False, "lifecycles": []},  # nothing set either way
    }
    assert diff_policies(stored, as_the_form_posts) == []
    assert same_policy(stored, as_the_form_posts)
    assert same_policy({}, None)
    assert not same_policy(stored, {"allowance": {**ALLOWANCE, "period_days": 180}})


def test_one_day_is_singular_and_unset_is_said():
    before = {"purchase_age": {"enabled": True, "min_days": 1}}
    after = {"purchase_age": {"enabled": True, "max_days": 30}}
    assert _sentences(before, after) == [
        "Purchase age · Minimum age: 1 day → not set",
        "Purchase age · Maximum age: not set → 30 days",
    ]


def test_rules_and_params_the_registry_does_not_know_are_still_compared():
    before = {"allowance": ALLOWANCE, "mystery_rule": {"enabled": True, "trailing_units": 3}}
    after = {
        "allowance": {**ALLOWANCE, "blackout": "x"},
        "mystery_rule": {"enabled": True, "trailing_units": 4},
    }
    assert _sentences(before, after) == [
        "Allowance · Blackout: not set → x",
        "Mystery rule · Trailing units: 3 → 4",
    ]


def test_lists_windows_and_grade_maps_in_words():
    before = {
        "calendar_windows": {"enabled": True, "windows": [{"start": "01-01", "end": "02-15"}]},
        "grade_deductions": {"enabled": True, "percent": {"used": "10"}},
    }
    after = {
        "calendar_windows": {
            "enabled": True,
            "windows": [{"start": "01-01", "end": "02-15"}, {"start": "12-01", "end": "01-15"}],
        },
        "grade_deductions": {"enabled": True, "percent": {"used": "10.00"}},  # the same
    }
    (change,) = diff_policies(before, after)
    assert change.before == "01-01 to 02-15"
    assert change.after == "01-01 to 02-15; 12-01 to 01-15"


def test_documents_that_are_not_policies_do_not_break_it():
    assert diff_policies("nonsense", {"allowance": "not a dict"}) == []
    (change,) = diff_policies([], {"allowance": {"enabled": True}})
    assert change.sentence == "Allowance: off → on"


def test_a_box_left_unticked_is_the_same_as_one_never_set():
    before = {"evidence": {"enabled": False}}
    after = {"evidence": {"enabled": False, "photos": False, "description": False}}
    assert diff_policies(before, after) == []
    (change,) = diff_policies(before, {"evidence": {"enabled": False, "photos": True}})
    assert (change.before, change.after) == ("no", "yes")


def test_ages_in_other_units_are_written_as_periods_and_equal_spellings_are_no_change():
    days = {"purchase_age": {"enabled": True, "mode": "blocking", "min_days": 90}}
    months = {
        "purchase_age": {
            "enabled": True,
            "mode": "blocking",
            "min_days": {"count": 3, "unit": "months"},
        }
    }
    spelled = {
        "purchase_age": {
            "enabled": True,
            "mode": "blocking",
            "min_days": {"count": 90, "unit": "days"},
        }
    }
    assert [c.sentence for c in diff_policies(days, months)] == [
        "Purchase age · Minimum age: 90 days → 3 months"
    ]
    assert diff_policies(days, spelled) == []
