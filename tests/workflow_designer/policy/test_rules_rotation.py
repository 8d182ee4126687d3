"""Whole-request rules: request size, allowance, replacement order."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.workflow_designer.policy.helpers import line, only_finding, replacement, request, rule


def size(min_units=10, max_units=None, mode="blocking"):
    return {"request_size": rule(mode, min_units=min_units, max_units=max_units)}


class TestRequestSize:
    def test_too_few(self):
        finding = only_finding(size(10), request(line(quantity=4), line("B", quantity=3)))
        assert not finding.passed and finding.blocking
        assert finding.message == "Minimum 10 frames: 7 selected"
        assert finding.figures == {"units": 7, "min_units": 10, "max_units": None}

    def test_enough(self):
        finding = only_finding(size(10), request(line(quantity=10)))
        assert finding.passed and finding.message == "Minimum 10 frames: 10 selected"

    def test_too_many(self):
        finding = only_finding(size(None, 50), request(line(quantity=51)))
        assert not finding.passed and finding.message == "Maximum 50 frames: 51 selected"
        assert only_finding(size(None, 1), request(line())).message == (
            "Maximum 1 frame: 1 selected"
        )

    def test_both_bounds_name_the_side_that_failed(self):
        policy = size(10, 50)
        assert only_finding(policy, request(line(quantity=12))).message == (
            "10 to 50 frames: 12 selected"
        )
        assert only_finding(policy, request(line(quantity=7))).message == (
            "Minimum 10 frames: 7 selected"
        )
        assert only_finding(policy, request(line(quantity=60))).message == (
            "Maximum 50 frames: 60 selected"
        )
        assert only_finding(size(5, 5), request(line(quantity=5))).message == (
            "Exactly 5 frames: 5 selected"
        )

    def test_an_empty_request_has_zero_units(self):
        assert only_finding(size(1), request()).message == "Minimum 1 frame: 0 selected"


def allowance(percent="15", days=365, mode="exception"):
    return {"allowance": rule(mode, percent=percent, period_days=days)}


class TestAllowance:
    def test_within_the_allowance_counts_this_request_in_used(self):
        # €18,000 purchases × 15% = €2,700; €1,200 used before (€1,000 of it credited, €200
        # requested and not credited yet) + €640 now = €1,840.
        lines = [line(quantity=4, price="100.00"), line("B", quantity=3, price="80.00")]
        req = request(
            *lines,
            net_purchases=Decimal("18000"),
            allowance_used=Decimal("1200.00"),
            allowance_credited=Decimal("1000.00"),
        )
        finding = only_finding(allowance(), req)
        assert finding.passed
        assert finding.message == (
            "Allowance: €1,840.00 of €2,700.00 used in the last 12 months, €860.00 left "
            "(this request: €640.00)"
        )
        assert finding.figures == {
            "currency": "EUR",
            "percent": "15",
            "period_days": 365,
            "net_purchases": "18000.00",
            "allowance": "2700.00",
            "previously_used": "1200.00",
            "previously_credited": "1000.00",
            "previously_pending": "200.00",
            "this_request": "640.00",
            "used": "1840.00",
            "left": "860.00",
            "includes_this_request": True,
        }

    def test_over_the_allowance_fails_as_exception(self):
        req = request(
            line(quantity=9, price="100.00"),
            net_purchases=Decimal("18000"),
            allowance_used=Decimal("2200"),
        )
        finding = only_finding(allowance(), req)
        assert not finding.passed and finding.exception_allowed and not finding.blocking
        assert finding.message == (
            "Allowance: €3,100.00 of €2,700.00 used in the last 12 months, €400.00 over "
            "(this request: €900.00)"
        )
        assert finding.figures["left"] == "-400.00"

    def test_exactly_the_allowance_passes(self):
        req = request(line(quantity=27, price="100"), net_purchases=Decimal("18000"))
        finding = only_finding(allowance(), req)
        assert finding.passed and finding.figures["left"] == "0.00"

    def test_no_purchases_means_no_allowance(self):
        finding = only_finding(allowance(days=90), request(line(price="10")))
        assert not finding.passed
        assert finding.message == (
            "Allowance: €10.00 of €0.00 used in the last 90 days, €10.00 over "
            "(this request: €10.00)"
        )

    def test_other_currencies_and_rounding(self):
        req = request(
            line(quantity=3, price="33.3350"),
            currency="GBP",
            net_purchases=Decimal("1234.5678"),
            allowance_used=Decimal("0"),
        )
        finding = only_finding(allowance("12.5"), req)
        # 12.5% of £1,234.5678 = £154.320975 → £154.32; 3 × 33.335 = £100.005 → £100.01.
        assert finding.message == (
            "Allowance: £100.01 of £154.32 used in the last 12 months, £54.31 left "
            "(this request: £100.01)"
        )
        yen = request(
            line(quantity=1, price="5000.5"), currency="JPY", net_purchases=Decimal("1000000")
        )
        assert only_finding(allowance("10"), yen).message == (
            "Allowance: ¥5,001 of ¥100,000 used in the last 12 months, ¥94,999 left "
            "(this request: ¥5,001)"
        )


def replacement_rule(ratio="100", amount=None, mode="exception"):
    return {"replacement_order": rule(mode, min_ratio_percent=ratio, min_amount=amount)}


class TestReplacementOrder:
    def test_enough_new_stock_ordered(self):
        req = request(
            line(quantity=10, price="100"), replacements=[replacement(quantity=12, price="100")]
        )
        finding = only_finding(replacement_rule(), req)
        assert finding.passed
        assert finding.message == (
            "Replacement order: €1,200.00 ordered, at least €1,000.00 required "
            "(100% of €1,000.00 returned)"
        )
        assert finding.figures == {
            "currency": "EUR",
            "min_ratio_percent": "100",
            "min_amount": None,
            "returned_value": "1000.00",
            "required": "1000.00",
            "ordered": "1200.00",
            "shortfall": "0.00",
            "inactive": [],
            "short_of_stock": [],
        }

    def test_too_little_ordered_says_how_much_is_missing(self):
        req = request(line(quantity=10, price="100"), replacements=[replacement(quantity=4)])
        finding = only_finding(replacement_rule(), req)
        assert not finding.passed and finding.exception_allowed
        assert finding.message == (
            "Replacement order: €400.00 ordered, at least €1,000.00 required "
            "(100% of €1,000.00 returned), €600.00 to go"
        )
        assert finding.figures["shortfall"] == "600.00"

    def test_the_larger_of_ratio_and_amount_is_required(self):
        req = request(line(quantity=2, price="100"), replacements=[replacement(quantity=3)])
        finding = only_finding(replacement_rule("50", "500"), req)
        assert finding.message == (
            "Replacement order: €300.00 ordered, at least €500.00 required "
            "(50% of €200.00 returned, minimum €500.00), €200.00 to go"
        )
        only_amount = only_finding(replacement_rule(None, "250.5"), req)
        assert only_amount.passed
        assert only_amount.message == (
            "Replacement order: €300.00 ordered, at least €250.50 required (minimum €250.50)"
        )

    def test_replacement_lines_must_be_active_and_in_stock(self):
        req = request(
            line(quantity=1, price="100"),
            replacements=[
                replacement("OLD-1", lifecycle="discontinued"),
                replacement("NEW-2", quantity=5, available=2),
                replacement("NEW-3", quantity=1, available=1),
            ],
        )
        finding = only_finding(replacement_rule(), req)
        assert not finding.passed
        assert finding.message == (
            "Replacement order: €700.00 ordered, at least €100.00 required "
            "(100% of €100.00 returned); not active: OLD-1; not enough stock: NEW-2 (2 in stock)"
        )
        assert finding.figures["inactive"] == ["OLD-1"]
        assert finding.figures["short_of_stock"] == [
            {"sku": "NEW-2", "quantity": 5, "available": 2}
        ]

    @pytest.mark.parametrize("mode", ["blocking", "exception"])
    def test_mode_decides_blocking(self, mode):
        finding = only_finding(replacement_rule(mode=mode), request(line()))
        assert finding.blocking == (mode == "blocking")
        assert finding.exception_allowed == (mode == "exception")
