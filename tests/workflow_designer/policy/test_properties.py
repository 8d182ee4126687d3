"""Properties: validation never raises; a policy that validates always evaluates."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from workflow_designer.policy import (
    GRADES,
    RULES,
    AccountFacts,
    PolicyRequest,
    ReplacementRequestLine,
    RequestLine,
    describe_policy,
    estimate_credit,
    evaluate,
    line_issues,
    validate_policy,
)
from workflow_designer.policy.dates import Window, parse_month_day, window_status
from workflow_designer.policy.spec import ParamSpec
from workflow_designer.policy.validation import read_policy

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**40), max_value=10**40)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)

# Near-misses reach deeper than noise: real rule names and keys with arbitrary values.
rule_like = st.dictionaries(
    st.sampled_from(
        [
            "enabled",
            "mode",
            "days",
            "from",
            "windows",
            "percent",
            "min_units",
            "max_units",
            "min_days",
            "max_days",
            "disposition",
            "lifecycles",
            "x",
        ]
    ),
    json_values
    | st.sampled_from(["blocking", "exception", "01-01", "02-30", "15", "1e3"])
    | st.fixed_dictionaries(
        {"count": json_values}, optional={"unit": json_values | st.sampled_from(["months"])}
    ),
    max_size=6,
)
policy_like = st.dictionaries(st.sampled_from([*RULES, "unknown"]), rule_like, max_size=5)


@SETTINGS
@given(json_values | policy_like)
def test_validate_policy_never_raises(doc):
    problems = validate_policy(doc)
    for problem in problems:
        assert problem.message and isinstance(problem.message, str)
        json.dumps(problem.as_dict())


def _amount(low: int | Decimal | None, high: int | Decimal | None):
    low = Decimal(low or 0)
    high = Decimal(high if high is not None else 10**6)
    return st.decimals(min_value=low, max_value=high, places=2).map(str)


_month_days = st.sampled_from(
    [
        f"{m:02d}-{d:02d}"
        for m in range(1, 13)
        for d in (1, 2, 14, 15, 28, 30, 31)
        if not (m == 2 and d > 28) and not (m in (4, 6, 9, 11) and d == 31)
    ]
)


def _value(param: ParamSpec):
    kind = param.kind
    if kind == "int":
        return st.integers(min_value=int(param.minimum or 0), max_value=int(param.maximum or 100))
    if kind == "period":
        low = int(param.minimum or 0)
        return st.integers(min_value=low, max_value=3650) | st.fixed_dictionaries(
            {"count": st.integers(min_value=low, max_value=120)},
            optional={"unit": st.sampled_from(["days", "weeks", "months"])},
        )
    if kind in ("decimal", "percent"):
        return _amount(param.minimum, param.maximum)
    if kind == "choice":
        return st.sampled_from([value for value, _ in param.choices])
    if kind == "multichoice":
        names = [v for v, _ in param.choices] or ["Lunetta", "Vista", "sun", "optical"]
        return st.lists(st.sampled_from(names), max_size=3)
    if kind == "bool":
        return st.booleans()
    if kind == "windows":
        window = st.fixed_dictionaries({"start": _month_days, "end": _month_days})
        return st.lists(window, min_size=1, max_size=4)
    grades = [g for g, _ in GRADES]
    if kind == "questionnaire":
        answer = st.fixed_dictionaries(
            {"text": st.sampled_from(["Fine", "Scratched"]), "grade": st.sampled_from(grades)},
            optional={"deduction": _amount(0, 100)},
        )
        answers = st.lists(answer, min_size=1, max_size=3).map(
            lambda items: [{"key": f"a{n}", **item} for n, item in enumerate(items)]
        )
        question = st.fixed_dictionaries({"text": st.just("Frame"), "answers": answers})
        return st.lists(question, min_size=1, max_size=3).map(
            lambda items: [{"key": f"q{n}", **item} for n, item in enumerate(items)]
        )
    if kind == "grade_percent":
        return st.dictionaries(st.sampled_from(grades), _amount(0, 100))
    return st.dictionaries(st.sampled_from(grades), st.sampled_from([v for v, _ in param.choices]))


def _rule(spec):
    params = {p.name: _value(p) if p.required else st.none() | _value(p) for p in spec.params}
    fixed = {"enabled": st.booleans(), **params}
    if spec.pass_fail:
        fixed["mode"] = st.sampled_from(["blocking", "exception"])
    return st.fixed_dictionaries(fixed)


valid_policies = st.fixed_dictionaries(
    {}, optional={name: _rule(spec) for name, spec in RULES.items()}
)

days = st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31))
prices = st.decimals(min_value=0, max_value=100000, places=4)


@st.composite
def request_lines(draw):
    invoiced = draw(days)
    delivered = draw(st.none() | st.integers(0, 30).map(lambda n: invoiced + timedelta(n)))
    return RequestLine(
        sku=draw(st.text(min_size=1, max_size=8)),
        quantity=draw(st.integers(1, 1000)),
        unit_net_price=draw(prices),
        invoice_number=draw(st.text(max_size=8)),
        invoice_date=invoiced,
        delivery_date=delivered,
        order_line_id=draw(st.none() | st.integers(1, 10**6)),
        lifecycle=draw(st.sampled_from(["active", "discontinued", "clearance", ""])),
        brand=draw(st.sampled_from(["Lunetta", "VISTA", ""])),
        category=draw(st.sampled_from(["optical", "sun"])),
        condition=draw(st.sampled_from(["", "used", "new", "junk"])),
        grade=draw(st.none() | st.sampled_from([g for g, _ in GRADES])),
        photos=draw(st.integers(0, 3)),
        description=draw(st.text(max_size=5)),
    )


replacement_lines = st.builds(
    ReplacementRequestLine,
    sku=st.text(min_size=1, max_size=8),
    quantity=st.integers(1, 500),
    unit_price=prices,
    lifecycle=st.sampled_from(["active", "clearance"]),
    available=st.integers(0, 500),
)

facts = st.builds(
    AccountFacts,
    currency=st.sampled_from(["EUR", "GBP", "JPY", "KWD", "XXX"]),
    net_purchases=st.decimals(min_value=0, max_value=10**9, places=4),
    allowance_used=st.decimals(min_value=0, max_value=10**9, places=2),
    last_submitted_on=st.none() | days,
    requests_in_period=st.integers(0, 100),
)

requests = st.builds(
    PolicyRequest,
    today=days,
    lines=st.lists(request_lines(), max_size=6).map(tuple),
    replacement_lines=st.lists(replacement_lines, max_size=3).map(tuple),
    facts=facts,
)


@SETTINGS
@given(valid_policies, requests)
def test_a_policy_that_validates_always_evaluates(policy, request):
    assume(validate_policy(policy) == [])
    evaluation = evaluate(policy, request)
    enabled = [name for name in RULES if policy.get(name, {}).get("enabled")]
    assert [f.rule for f in evaluation.findings] == enabled
    assert json.loads(json.dumps(evaluation.as_dict())) == evaluation.as_dict()
    assert evaluation.blocked == any(not f.passed and f.blocking for f in evaluation.findings)
    assert describe_policy(policy, request.currency, request.today)
    estimate = estimate_credit(policy, request.lines, "exchange", request.currency)
    assert estimate.total_credit >= 0
    assert len(line_issues(policy, request.lines, request.today)) == len(request.lines)


@SETTINGS
@given(json_values | policy_like, requests)
def test_evaluate_never_raises_even_on_invalid_documents(doc, request):
    evaluation = evaluate(doc, request)
    json.dumps(evaluation.as_dict())
    describe_policy(doc, "EUR", request.today)
    estimate_credit(doc, request.lines, "credit", "EUR")


def _inside(window: Window, day: date) -> bool:
    month_day = (day.month, day.day)
    if window.wraps:
        return month_day >= window.start or month_day <= window.end
    return window.start <= month_day <= window.end


@SETTINGS
@given(
    st.lists(st.tuples(_month_days, _month_days), min_size=1, max_size=3),
    st.dates(min_value=date(2001, 1, 1), max_value=date(2098, 12, 31)),
)
def test_window_status_agrees_with_counting_days(spans, today):
    windows = [Window(parse_month_day(a), parse_month_day(b)) for a, b in spans]
    status = window_status(windows, today)
    assert status.open == any(_inside(w, today) for w in windows)
    if status.open and status.open_until is not None:
        # Open every day up to and including open_until, closed the day after.
        day = today
        while day <= status.open_until:
            assert any(_inside(w, day) for w in windows)
            day += timedelta(days=1)
        assert not any(_inside(w, day) for w in windows)
    if status.open and status.open_until is None:  # "open all year"
        assert all(any(_inside(w, d) for w in windows) for d in _days(today, 366))
    if not status.open:
        assert status.next_opens is not None and status.next_opens > today
        day = today
        while day < status.next_opens:
            assert not any(_inside(w, day) for w in windows)
            day += timedelta(days=1)
        assert any(_inside(w, status.next_opens) for w in windows)


def _days(start: date, count: int):
    return (start + timedelta(days=n) for n in range(count))


@SETTINGS
@given(valid_policies, requests)
def test_a_rule_prepared_for_many_lines_judges_each_as_it_would_alone(policy, request):
    assume(validate_policy(policy) == [])
    for config in read_policy(policy).rules.values():
        judge = config.rule.line_judge(config.params, request.today)
        for line in request.lines:
            alone = config.rule.line_reason(config.params, line, request.today)
            prepared = judge(line) if judge else None
            assert (prepared or None) == (alone or None)
