"""Properties of the one credit function: whatever the quantities (over-receipt included),
grades, fees, deductions and resolution, a line never earns more than the invoiced value of
the units it may credit (+ the bonus the return type grants), never less than zero, and the
breakdown adds up to the total."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workflow_designer.policy import GRADES, RequestLine, estimate_credit
from workflow_designer.policy.credit import credited_units, line_amounts
from workflow_designer.policy.money import HUNDRED, round_money

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
GRADE_NAMES = [name for name, _ in GRADES]
percents = st.decimals(min_value=0, max_value=100, places=2)
quantities = st.integers(min_value=0, max_value=60)


@st.composite
def lines(draw, line_id: int) -> RequestLine:
    requested = draw(st.integers(min_value=1, max_value=40))
    authorized = draw(st.none() | st.integers(min_value=0, max_value=requested))
    graded = draw(st.lists(st.sampled_from(GRADE_NAMES), unique=True, max_size=4))
    return RequestLine(
        sku=f"SKU-{line_id}",
        quantity=requested,
        unit_net_price=draw(st.decimals(min_value=0, max_value=5000, places=4)),
        invoice_number="INV-1",
        invoice_date=date(2026, 1, 5),
        order_line_id=line_id,
        condition=draw(st.sampled_from([*GRADE_NAMES, "", "mixed", "nonsense"])),
        grade=draw(st.none() | st.sampled_from([*GRADE_NAMES, "mixed"])),
        # Received may exceed what was authorised (a typo at receiving: 23 for 3) ...
        quantity_received=draw(st.none() | st.integers(min_value=0, max_value=120)),
        quantity_authorized=authorized,
        # ... and inspection may grade more units than arrived.
        grades=tuple((grade, draw(quantities)) for grade in graded),
        rma_line_id=line_id,
    )


@st.composite
def policies(draw) -> dict:
    return {
        "restocking_fee": {"enabled": draw(st.booleans()), "percent": str(draw(percents))},
        "grade_deductions": {
            "enabled": draw(st.booleans()),
            "percent": {grade: str(draw(percents)) for grade in GRADE_NAMES},
        },
        "exchange_bonus": {"enabled": draw(st.booleans()), "percent": str(draw(percents))},
    }


cases = st.fixed_dictionaries(
    {
        "policy": policies(),
        "lines": st.integers(min_value=0, max_value=6).flatmap(
            lambda n: st.tuples(*(lines(i) for i in range(1, n + 1)))
        ),
        "resolution": st.sampled_from([None, "credit", "refund", "exchange", "replacement_order"]),
        "currency": st.sampled_from(["EUR", "JPY", "KWD"]),
        "fee_override": st.none() | st.decimals(min_value=-50, max_value=150, places=2),
        "inspected": st.booleans(),
    }
)


def granted_bonus(policy: dict, resolution: str | None) -> Decimal:
    bonus = policy["exchange_bonus"]
    return Decimal(bonus["percent"]) if resolution == "exchange" and bonus["enabled"] else 0


def cap_units(line: RequestLine) -> int:
    """Requested; authorised once authorised; at most what arrived once received."""
    units = line.quantity if line.quantity_authorized is None else line.quantity_authorized
    return units if line.quantity_received is None else min(units, line.quantity_received)


@SETTINGS
@given(cases)
def test_credit_never_exceeds_the_invoiced_value_of_what_may_be_credited(case):
    currency = case["currency"]
    bonus = granted_bonus(case["policy"], case["resolution"])
    estimate = estimate_credit(
        case["policy"],
        case["lines"],
        case["resolution"],
        currency=currency,
        restocking_fee_percent=case["fee_override"],
        inspected=case["inspected"],
    )
    for line in case["lines"]:
        priced = [p for p in estimate.lines if p.rma_line_id == line.rma_line_id]
        assert priced, "every line is in the breakdown"
        units = sum(p.quantity for p in priced)
        assert units <= cap_units(line) == credited_units(line)
        for part in priced:
            # Each priced line (a memo line) is rounded once, half-up: its cap is the
            # invoiced value of its units plus the granted bonus, rounded the same way.
            ceiling = round_money(
                part.unit_net_price * part.quantity * (HUNDRED + bonus) / HUNDRED, currency
            )
            assert Decimal(0) <= part.credit <= ceiling
        if len(priced) == 1:
            ceiling = round_money(
                line.unit_net_price * cap_units(line) * (HUNDRED + bonus) / HUNDRED, currency
            )
            assert priced[0].credit <= ceiling


@SETTINGS
@given(cases)
def test_the_breakdown_adds_up_to_the_total(case):
    currency = case["currency"]
    estimate = estimate_credit(
        case["policy"],
        case["lines"],
        case["resolution"],
        currency=currency,
        restocking_fee_percent=case["fee_override"],
        inspected=case["inspected"],
    )
    total = Decimal(0)
    for part in estimate.lines:
        amounts = line_amounts(part, currency)
        figures = (amounts.gross, amounts.restocking_fee, amounts.grade_deduction)
        assert all(figure >= 0 for figure in (*figures, amounts.exchange_bonus, amounts.credit))
        assert amounts.gross == round_money(part.value, currency)
        assert (
            amounts.gross
            - amounts.restocking_fee
            - amounts.grade_deduction
            + amounts.exchange_bonus
            == amounts.credit
            == part.credit
        )
        total += amounts.credit
    assert total == estimate.total_credit >= 0


@SETTINGS
@given(cases)
def test_over_received_and_over_graded_units_change_nothing(case):
    """Receiving or grading more than can be credited earns exactly what the credited units
    alone would: the excess is invisible to the money."""
    kwargs = {
        "currency": case["currency"],
        "restocking_fee_percent": case["fee_override"],
        "inspected": case["inspected"],
    }
    args = (case["policy"], case["lines"], case["resolution"])
    inflated = [
        RequestLine(
            **{
                **{f: getattr(line, f) for f in RequestLine.__slots__},
                "quantity_received": None
                if line.quantity_received is None
                else line.quantity_received + 20,
            }
        )
        for line in case["lines"]
        if line.quantity_authorized is not None
        and line.quantity_received is not None
        and line.quantity_received >= line.quantity_authorized
    ]
    exact = [
        line
        for line in case["lines"]
        if line.quantity_authorized is not None
        and line.quantity_received is not None
        and line.quantity_received >= line.quantity_authorized
    ]
    before = estimate_credit(args[0], exact, args[2], **kwargs).total_credit
    assert estimate_credit(args[0], inflated, args[2], **kwargs).total_credit == before
