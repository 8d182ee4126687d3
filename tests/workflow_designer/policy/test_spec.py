"""RULES: the registered rule classes the designer builds its editor from."""

from __future__ import annotations

from workflow_designer.policy import RULES, ParamSpec, PolicyRule

KINDS = {
    "int",
    "period",
    "decimal",
    "percent",
    "choice",
    "multichoice",
    "bool",
    "windows",
    "grade_percent",
    "grade_disposition",
    "questionnaire",
}


def test_rule_names_and_order_are_the_contract():
    assert list(RULES) == [
        "return_window",
        "eligible_products",
        "evidence",
        "request_size",
        "allowance",
        "replacement_order",
        "purchase_age",
        "calendar_windows",
        "blackout_windows",
        "cooldown",
        "request_frequency",
        "restocking_fee",
        "grade_deductions",
        "condition_questionnaire",
        "exchange_bonus",
    ]
    assert all(isinstance(spec, PolicyRule) and spec.name == name for name, spec in RULES.items())


def test_credit_rules_have_no_mode_and_the_others_do():
    credit = {name for name, spec in RULES.items() if not spec.pass_fail}
    assert credit == {
        "restocking_fee",
        "grade_deductions",
        "condition_questionnaire",
        "exchange_bonus",
    }
    assert {spec.group for spec in RULES.values() if not spec.pass_fail} == {"credit"}
    assert {spec.group for spec in RULES.values() if spec.pass_fail} == {"common", "rotation"}


def test_params_are_well_formed():
    for spec in RULES.values():
        assert spec.label and spec.description and spec.params
        for param in spec.params:
            assert isinstance(param, ParamSpec)
            assert param.kind in KINDS, (spec.name, param.name)
            assert param.label
            if param.kind in ("choice", "grade_disposition"):
                assert param.choices, (spec.name, param.name)
            if param.kind == "multichoice":
                assert param.choices_source in ("lifecycles", "brands", "categories")
            if param.minimum is not None and param.maximum is not None:
                assert param.minimum < param.maximum
            assert spec.param(param.name) is param
        assert spec.param("nope") is None


def test_contract_parameters():
    params = {name: [p.name for p in spec.params] for name, spec in RULES.items()}
    assert params == {
        "return_window": ["days", "from"],
        "eligible_products": ["lifecycles", "brands", "categories"],
        "evidence": ["photos", "description"],
        "request_size": ["min_units", "max_units"],
        "allowance": ["percent", "period_days"],
        "replacement_order": ["min_ratio_percent", "min_amount"],
        "purchase_age": ["min_days", "max_days"],
        "calendar_windows": ["windows"],
        "blackout_windows": ["windows"],
        "cooldown": ["days"],
        "request_frequency": ["max_requests", "period_days"],
        "restocking_fee": ["percent"],
        "grade_deductions": ["percent", "disposition"],
        "condition_questionnaire": ["questions"],
        "exchange_bonus": ["percent", "amount"],
    }
    nullable = {
        (name, p.name) for name, spec in RULES.items() for p in spec.params if not p.required
    }
    assert nullable == {
        ("request_size", "min_units"),
        ("request_size", "max_units"),
        ("replacement_order", "min_ratio_percent"),
        ("replacement_order", "min_amount"),
        ("purchase_age", "min_days"),
        ("purchase_age", "max_days"),
        ("exchange_bonus", "amount"),
    }


def _overrides(method: str) -> set[str]:
    """The rules whose class implements ``method`` itself (not the base's)."""
    return {
        name
        for name, rule in RULES.items()
        if getattr(type(rule), method) is not getattr(PolicyRule, method)
    }


def test_every_rule_is_checked_and_every_pass_fail_rule_described():
    CHECKS, SENTENCES = _overrides("check"), _overrides("explain")
    assert set(CHECKS) == set(RULES)
    assert set(SENTENCES) == set(RULES)  # credit rules explain their part of the credit
    assert {name for name in SENTENCES if RULES[name].pass_fail} == {
        name for name, spec in RULES.items() if spec.pass_fail
    }


def test_specs_serialise_for_the_designer():
    data = [spec.as_dict() for spec in RULES.values()]
    assert data[0]["params"][1]["choices"] == (
        ("invoice", "Invoice date"),
        ("delivery", "Delivery date"),
    )
