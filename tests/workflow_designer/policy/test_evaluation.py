"""evaluate(): which rules yield findings, modes, the verdict, JSON, line screening."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

from tests.workflow_designer.policy.helpers import line, request, rule
from workflow_designer.policy import RULES, PolicyRequest, default_policy, evaluate, line_issues

SMALL = {"request_size": rule("blocking", min_units=10, max_units=None)}
WINDOW = {"calendar_windows": rule("exception", windows=[{"start": "07-01", "end": "07-31"}])}


def test_absent_and_disabled_rules_yield_no_finding():
    assert evaluate({}, request(line())).findings == []
    disabled = {name: {"enabled": False} for name in RULES}
    evaluation = evaluate(disabled, request(line()))
    assert evaluation.findings == []
    assert evaluation.passed and not evaluation.blocked and not evaluation.exception_needed


def test_findings_come_in_rule_order_whatever_the_document_order():
    policy = {**WINDOW, **SMALL, "return_window": rule(days=30, **{"from": "invoice"})}
    findings = evaluate(policy, request(line())).findings
    assert [f.rule for f in findings] == ["return_window", "request_size", "calendar_windows"]
    assert [f.label for f in findings] == ["Return window", "Request size", "Calendar windows"]


def test_a_blocking_failure_blocks():
    evaluation = evaluate({**SMALL, **WINDOW}, request(line()))
    assert [(f.passed, f.blocking, f.exception_allowed) for f in evaluation.findings] == [
        (False, True, False),
        (False, False, True),
    ]
    assert not evaluation.passed and evaluation.blocked and not evaluation.exception_needed
    assert [f.rule for f in evaluation.failures] == ["request_size", "calendar_windows"]


def test_only_exception_failures_need_an_exception():
    evaluation = evaluate({**SMALL, **WINDOW}, request(line(quantity=10)))
    assert not evaluation.passed and not evaluation.blocked and evaluation.exception_needed


def test_passing_findings_neither_block_nor_ask_for_exceptions():
    evaluation = evaluate(SMALL, request(line(quantity=12)))
    finding = evaluation.findings[0]
    assert finding.passed and not finding.blocking and not finding.exception_allowed
    assert evaluation.passed and not evaluation.blocked and not evaluation.exception_needed


def test_credit_rules_inform_and_never_fail():
    policy = {
        "restocking_fee": rule(None, percent="10"),
        "grade_deductions": rule(None, percent={"used": "20"}, disposition={}),
        "exchange_bonus": rule(None, percent="5"),
    }
    evaluation = evaluate(policy, request(line(quantity=2, price="320.00")))
    assert evaluation.passed
    assert [f.message for f in evaluation.findings] == [
        "Restocking fee: 10% of the invoice value (€64.00 on this request)",
        "Grade deductions: by the grade found at inspection: used −20%",
        "Exchange bonus: +5% of the invoice value when you take an exchange",
    ]
    assert evaluation.findings[0].figures == {"percent": "10", "currency": "EUR", "amount": "64.00"}
    assert evaluation.findings[1].figures["disposition"]["used"] == "b_stock"
    assert all(not f.blocking and not f.exception_allowed for f in evaluation.findings)


def test_an_enabled_rule_that_cannot_be_read_fails_as_blocking():
    policy = {"cooldown": {"enabled": True, "mode": "exception", "days": "soon"}, "bogus": {}}
    evaluation = evaluate(policy, request())
    assert evaluation.blocked
    [finding] = evaluation.findings
    assert (finding.rule, finding.passed, finding.blocking) == ("cooldown", False, True)
    assert finding.message == (
        "Cooldown: this rule is set up incorrectly and cannot be checked; "
        "the distributor has to correct it"
    )
    assert finding.figures == {
        "problems": ["Cooldown: time between requests must be a whole number, not 'soon'."]
    }


def test_a_document_that_is_not_an_object_yields_nothing():
    assert evaluate(["allowance"], request()).findings == []


def test_as_dict_is_json_ready():
    policy = default_policy("ROTATION")
    req = request(
        line(quantity=3, order_line_id=1),
        net_purchases=Decimal("5000"),
        allowance_used=Decimal("100"),
        last_submitted_on=date(2025, 9, 1),
        requests_in_period=1,
    )
    evaluation = evaluate(policy, req)
    data = evaluation.as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["passed"] is False and data["blocked"] is True
    assert data["findings"] == evaluation.snapshot()
    assert set(data["findings"][0]) == {
        "rule",
        "label",
        "passed",
        "blocking",
        "exception_allowed",
        "message",
        "figures",
    }


def test_evaluation_is_deterministic_and_reads_no_clock():
    policy = default_policy("ROTATION")
    lines = [line(f"S{i}", quantity=2, invoice_date=date(2025, 5, 1 + i)) for i in range(20)]
    first = evaluate(policy, request(*lines, today=date(2030, 7, 5)))
    second = evaluate(policy, request(*lines, today=date(2030, 7, 5)))
    assert first == second
    window = next(f for f in first.findings if f.rule == "calendar_windows")
    assert window.figures["open_until"] == "2030-08-15"


def test_the_request_default_has_no_lines_and_empty_facts():
    req = PolicyRequest(today=date(2026, 1, 1))
    assert req.units == 0 and req.value == 0 and req.currency == "EUR"


class TestLineIssues:
    POLICY = {
        "return_window": rule("exception", days=30, **{"from": "invoice"}),
        "eligible_products": rule(
            "blocking", lifecycles=["discontinued"], brands=[], categories=[]
        ),
        "purchase_age": rule("blocking", min_days=None, max_days=20),
        "request_size": rule("blocking", min_units=10, max_units=None),
    }

    def test_each_line_gets_its_own_issues(self):
        lines = [
            line("OK", invoice_date=date(2026, 2, 20)),
            line("LATE", invoice_date=date(2026, 1, 1), lifecycle="active"),
        ]
        ok, late = line_issues(self.POLICY, lines, date(2026, 3, 1))
        assert ok == []
        assert [(i.rule, i.blocking) for i in late] == [
            ("return_window", False),
            ("eligible_products", True),
            ("purchase_age", True),
        ]
        assert [i.message for i in late] == [
            "Return window: invoiced 2026-01-01, past the 30-day window (ended 2026-01-31)",
            "Eligible products: lifecycle active",
            "Purchase age: bought more than 20 days ago",
        ]

    def test_without_line_rules_no_line_has_issues(self):
        assert line_issues(SMALL, [line(), line()], date(2026, 3, 1)) == [[], []]
