"""Per-line rules: return window, eligible products, evidence, purchase age."""

from __future__ import annotations

from datetime import date

from tests.workflow_designer.policy.helpers import TODAY, line, only_finding, request, rule


def window(days=30, basis="invoice", mode="blocking"):
    return {"return_window": rule(mode, days=days, **{"from": basis})}


class TestReturnWindow:
    def test_a_line_past_the_window_fails_with_its_dates(self):
        late = line("LUN-7", invoice_date=date(2026, 1, 3), order_line_id=7)
        finding = only_finding(window(30), request(late, today=date(2026, 2, 3)))
        assert not finding.passed and finding.blocking
        assert finding.message == (
            "Return window: line LUN-7 invoiced 2026-01-03 is past the 30-day window "
            "(ended 2026-02-02)"
        )
        assert finding.figures == {
            "days": 30,
            "from": "invoice",
            "lines": 1,
            "late_lines": [
                {
                    "order_line_id": 7,
                    "sku": "LUN-7",
                    "invoice_number": "INV-1",
                    "counted_from": "2026-01-03",
                    "window_ended": "2026-02-02",
                }
            ],
        }

    def test_the_last_day_of_the_window_is_inside(self):
        on_time = line(invoice_date=date(2026, 1, 3))
        finding = only_finding(window(30), request(on_time, today=date(2026, 2, 2)))
        assert finding.passed
        assert finding.message == "Return window: the line is within 30 days of invoice"
        assert finding.figures["late_lines"] == []

    def test_several_late_lines_are_listed_shortly(self):
        lines = [line(f"S{i}", invoice_date=date(2025, 12, i)) for i in range(1, 6)]
        lines.append(line("OK", invoice_date=date(2026, 2, 20)))
        finding = only_finding(window(30), request(*lines))
        assert finding.message == (
            "Return window: 5 lines are past the 30-day window: S1 invoiced 2025-12-01 "
            "(ended 2025-12-31), S2 invoiced 2025-12-02 (ended 2026-01-01), S3 invoiced "
            "2025-12-03 (ended 2026-01-02) and 2 more"
        )
        assert [item["sku"] for item in finding.figures["late_lines"]] == [
            "S1",
            "S2",
            "S3",
            "S4",
            "S5",
        ]

    def test_counted_from_delivery(self):
        delivered = line("D", invoice_date=date(2026, 1, 20), delivery_date=date(2026, 2, 5))
        finding = only_finding(window(14, "delivery"), request(delivered, today=date(2026, 2, 19)))
        assert finding.passed
        assert finding.message == "Return window: the line is within 14 days of delivery"
        finding = only_finding(window(14, "delivery"), request(delivered, today=date(2026, 2, 20)))
        assert finding.message == (
            "Return window: line D delivered 2026-02-05 is past the 14-day window "
            "(ended 2026-02-19)"
        )

    def test_without_a_delivery_date_the_invoice_date_counts(self):
        undelivered = line("U", invoice_date=date(2026, 2, 1), delivery_date=None)
        finding = only_finding(
            window(14, "delivery"), request(undelivered, today=date(2026, 2, 16))
        )
        assert finding.message == (
            "Return window: line U invoiced 2026-02-01 is past the 14-day window (ended 2026-02-15)"
        )
        assert finding.figures["late_lines"][0]["counted_from"] == "2026-02-01"

    def test_no_lines_yet_says_the_rule(self):
        finding = only_finding(window(30), request())
        assert finding.passed
        assert finding.message == "Return window: lines can be returned up to 30 days after invoice"

    def test_all_lines_within(self):
        finding = only_finding(window(1000), request(line(), line("B")))
        assert finding.message == "Return window: all 2 lines are within 1000 days of invoice"


def eligible(lifecycles=(), brands=(), categories=(), mode="blocking"):
    settings = {
        "lifecycles": list(lifecycles),
        "brands": list(brands),
        "categories": list(categories),
    }
    return {"eligible_products": rule(mode, **settings)}


class TestEligibleProducts:
    def test_fails_with_the_attribute_not_accepted(self):
        policy = eligible(lifecycles=["discontinued", "clearance"], brands=["Lunetta"])
        lines = [
            line("A", lifecycle="active", order_line_id=1),
            line("B", brand="Vista", lifecycle="active", order_line_id=2),
            line("C"),
        ]
        finding = only_finding(policy, request(*lines))
        assert not finding.passed
        assert finding.message == (
            "Eligible products: 2 lines are not eligible: A (lifecycle active) and "
            "B (lifecycle active, brand Vista); accepted: lifecycle discontinued or clearance, "
            "brand Lunetta"
        )
        assert finding.figures["ineligible_lines"] == [
            {
                "order_line_id": 1,
                "sku": "A",
                "invoice_number": "INV-1",
                "reasons": ["lifecycle active"],
            },
            {
                "order_line_id": 2,
                "sku": "B",
                "invoice_number": "INV-1",
                "reasons": ["lifecycle active", "brand Vista"],
            },
        ]
        assert finding.figures["lifecycles"] == ["discontinued", "clearance"]

    def test_one_ineligible_line(self):
        finding = only_finding(eligible(categories=["sun"]), request(line("A")))
        assert finding.message == (
            "Eligible products: 1 line is not eligible: A (category optical); "
            "accepted: category sun"
        )

    def test_brands_and_categories_match_whatever_the_case(self):
        policy = eligible(brands=["LUNETTA"], categories=["Optical"])
        assert only_finding(policy, request(line("A"))).passed

    def test_passes_when_every_line_qualifies(self):
        finding = only_finding(eligible(lifecycles=["discontinued"]), request(line("A")))
        assert finding.passed
        assert finding.message == (
            "Eligible products: every line qualifies (lifecycle discontinued)"
        )

    def test_empty_lists_accept_anything(self):
        finding = only_finding(eligible(), request(line(lifecycle="clearance", brand="X")))
        assert finding.passed
        assert finding.message == "Eligible products: every line qualifies (any product)"
        assert only_finding(eligible(), request()).message == "Eligible products: any product"


def evidence(photos=True, description=True):
    return {"evidence": rule("blocking", photos=photos, description=description)}


class TestEvidence:
    def test_missing_photos_and_descriptions_are_listed(self):
        lines = [
            line("A", photos=0, description="Hinge broke"),
            line("B", photos=2, description="  "),
            line("C", photos=0, description=""),
        ]
        finding = only_finding(evidence(), request(*lines))
        assert not finding.passed
        assert finding.message == (
            "Evidence: photos missing for 2 lines (A and C); "
            "description missing for 2 lines (B and C)"
        )
        assert finding.figures == {
            "photos": True,
            "description": True,
            "lines_without_photos": ["A", "C"],
            "lines_without_description": ["B", "C"],
        }

    def test_passes_when_given(self):
        finding = only_finding(evidence(), request(line(photos=1, description="Scratched")))
        assert finding.passed
        assert finding.message == "Evidence: photos and a description given for every line"

    def test_only_what_is_required_is_checked(self):
        finding = only_finding(evidence(description=False), request(line(photos=1)))
        assert finding.passed and finding.message == "Evidence: photos given for every line"
        finding = only_finding(evidence(photos=False), request(line(description="x")))
        assert finding.message == "Evidence: a description given for every line"
        finding = only_finding(evidence(photos=False), request(line()))
        assert finding.message == "Evidence: description missing for 1 line (LUN-1)"
        assert only_finding(evidence(), request()).message == (
            "Evidence: each line needs photos and a description"
        )


def age(min_days=90, max_days=730, mode="exception"):
    return {"purchase_age": rule(mode, min_days=min_days, max_days=max_days)}


class TestPurchaseAge:
    def test_too_recent_lines_name_their_invoices(self):
        lines = [
            line("A", invoice_number="INV-9", invoice_date=date(2026, 1, 10)),
            line("B", invoice_number="INV-9", invoice_date=date(2026, 1, 10)),
            line("C", invoice_number="INV-8", invoice_date=date(2026, 2, 1)),
            line("D", invoice_number="INV-2", invoice_date=date(2025, 6, 1)),
        ]
        finding = only_finding(age(), request(*lines))
        assert not finding.passed and finding.exception_allowed and not finding.blocking
        assert finding.message == (
            "Purchase age: 3 lines were bought less than 90 days ago (INV-9 and INV-8)"
        )
        assert finding.figures["too_recent"][0] == {
            "order_line_id": None,
            "sku": "A",
            "invoice_number": "INV-9",
            "invoice_date": "2026-01-10",
            "age_days": 50,
        }
        assert finding.figures["too_old"] == []

    def test_too_old_lines(self):
        old = line("A", invoice_number="INV-1", invoice_date=date(2023, 1, 1))
        recent = line("B", invoice_number="INV-5", invoice_date=date(2026, 2, 28))
        finding = only_finding(age(), request(old, recent))
        assert finding.message == (
            "Purchase age: 1 line was bought less than 90 days ago (INV-5); "
            "1 line was bought more than 730 days ago (INV-1)"
        )
        assert finding.figures["too_old"][0]["age_days"] == (TODAY - date(2023, 1, 1)).days

    def test_boundaries_are_inclusive(self):
        exactly_min = line(invoice_date=date(2025, 12, 1))  # 90 days before 2026-03-01
        exactly_max = line(invoice_date=date(2024, 3, 1))  # 730 days before
        assert (TODAY - exactly_min.invoice_date).days == 90
        assert (TODAY - exactly_max.invoice_date).days == 730
        finding = only_finding(age(), request(exactly_min, exactly_max))
        assert finding.passed
        assert finding.message == "Purchase age: every line was bought 90 to 730 days ago"
        one_day_short = line(invoice_date=date(2025, 12, 2))
        assert not only_finding(age(), request(one_day_short)).passed

    def test_one_sided_limits(self):
        assert only_finding(age(max_days=None), request()).message == (
            "Purchase age: products must have been bought at least 90 days ago"
        )
        assert only_finding(age(min_days=None, max_days=1), request()).message == (
            "Purchase age: products must have been bought at most 1 day ago"
        )
        old = line(invoice_date=date(2020, 1, 1))
        assert only_finding(age(max_days=None), request(old)).passed


def test_accepted_names_are_listed_as_alternatives():
    policy = eligible(brands=["Smith and Co", "Vista", "Lunetta"])
    finding = only_finding(policy, request())
    assert finding.message == "Eligible products: brand Smith and Co, Vista or Lunetta"
