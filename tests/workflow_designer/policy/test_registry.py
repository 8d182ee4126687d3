"""The extension point: a rule is one registered class, and everything picks it up.

A rule defined here (and removed again after each test) is validated, evaluated, explained,
marked on lines and offered in the designer's editor without a change anywhere else.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from models import Role
from portal.designer.policy_form import parse_policy, rule_views
from tests.factories import make_published_workflow, make_return_type, make_user
from tests.workflow_designer.policy.helpers import TODAY, line, request, rule
from workflow_designer.policy import (
    RULES,
    ParamSpec,
    PolicyRule,
    describe_policy,
    evaluate,
    line_issues,
    register_rule,
    validate_policy,
)
from workflow_designer.policy.request import PolicyRequest, RequestLine
from workflow_designer.policy.rules import Outcome, Params


class MaxLines(PolicyRule):
    name = "max_lines"
    label = "Maximum lines"
    description = "At most a number of order lines in one request."
    group = "common"
    order = 35  # between evidence (30) and request size (40)
    params = (
        ParamSpec("lines", "Lines", "int", "How many lines one request may list.", True, 1, 99),
    )

    def check(self, params: Params, request: PolicyRequest) -> Outcome:
        count, limit = len(request.lines), params["lines"]
        return Outcome(count <= limit, f"Maximum lines: {count} of {limit}", {"lines": count})

    def explain(self, params: Params, currency: str, today: date) -> str:
        return f"At most {params['lines']} lines per request."

    def line_reason(self, params: Params, line: RequestLine, today: date) -> str | None:
        return "a sample SKU" if line.sku.startswith("SAMPLE") else None


@contextmanager
def registered(cls: type[PolicyRule]) -> Iterator[PolicyRule]:
    register_rule(cls)
    try:
        yield RULES[cls.name]
    finally:
        RULES.pop(cls.name)


@pytest.fixture
def max_lines() -> Iterator[PolicyRule]:
    with registered(MaxLines) as added:
        yield added


def test_registering_places_the_rule_in_display_order_and_removing_it_restores_rules():
    before = list(RULES)
    with registered(MaxLines):
        names = list(RULES)
        assert names.index("max_lines") == names.index("evidence") + 1
        with pytest.raises(ValueError, match="already registered"):
            register_rule(MaxLines)
    assert list(RULES) == before


def test_a_registered_rule_is_validated_from_its_params(max_lines):
    assert validate_policy({"max_lines": rule(lines=5)}) == []
    [problem] = validate_policy({"max_lines": rule(lines=0)})
    assert (problem.rule, problem.field) == ("max_lines", "lines")
    assert problem.message == "Maximum lines: lines must be between 1 and 99."


def test_a_registered_rule_is_evaluated_explained_and_marks_lines(max_lines):
    policy = {
        "max_lines": rule("exception", lines=1),
        "evidence": rule(photos=True, description=False),
    }
    req = request(line("LUN-1"), line("SAMPLE-2"))
    findings = evaluate(policy, req).findings
    assert [f.rule for f in findings] == ["evidence", "max_lines"]
    assert findings[1].message == "Maximum lines: 2 of 1"
    assert findings[1].exception_allowed and not findings[1].blocking
    sentences = describe_policy(policy, "EUR", TODAY)
    exception = " You can ask for an exception, with a reason."
    assert sentences[1] == "At most 1 lines per request." + exception
    issues = line_issues(policy, req.lines, TODAY)
    marked = [[issue.message for issue in found] for found in issues]
    assert marked == [[], ["Maximum lines: a sample SKU"]]


def test_a_registered_rule_gets_its_fields_in_the_designer_form(max_lines):
    form = MultiDict(
        {"max_lines-enabled": "on", "max_lines-mode": "blocking", "max_lines-lines": "x"}
    )
    policy = parse_policy(form)
    assert policy["max_lines"] == {"enabled": True, "mode": "blocking", "lines": "x"}
    views = {view.spec.name: view for view in rule_views(policy, validate_policy(policy))}
    assert views["max_lines"].values == {"lines": "x"}
    message = "Maximum lines: lines must be a whole number, not 'x'."
    assert views["max_lines"].errors == {"lines": [message]}


def test_the_designer_page_offers_a_registered_rule(client, db_session, login_as, max_lines):
    admin = make_user(db_session, Role.ADMIN, name="Ada Admin")
    version = make_published_workflow(db_session, actor=admin, name="Rotation flow")
    return_type = make_return_type(db_session, version.workflow_id, name="Stock rotation")
    db_session.commit()
    login_as(admin)
    html = client.get(f"/designer/return-types/{return_type.id}/policy").data.decode()
    assert 'name="max_lines-enabled"' in html and 'name="max_lines-lines"' in html
    assert "Maximum lines" in html and "How many lines one request may list." in html
