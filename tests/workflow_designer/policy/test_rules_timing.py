"""When a request may be made: calendar windows, cooldown, request frequency."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workflow_designer.policy.helpers import only_finding, request, rule

ROTATION_WINDOWS = [{"start": "01-01", "end": "02-15"}, {"start": "07-01", "end": "08-15"}]


def windows(*spans, mode="exception"):
    return {"calendar_windows": rule(mode, windows=list(spans) or ROTATION_WINDOWS)}


def status(policy, today):
    finding = only_finding(policy, request(today=today))
    return finding.passed, finding.message


class TestCalendarWindows:
    def test_open_says_until_when(self):
        finding = only_finding(windows(), request(today=date(2026, 1, 20)))
        assert finding.passed and finding.message == "Window: open until 15 Feb"
        assert finding.figures == {
            "open": True,
            "open_until": "2026-02-15",
            "next_opens": None,
            "windows": ROTATION_WINDOWS,
        }

    def test_closed_says_when_the_next_window_opens(self):
        finding = only_finding(windows(), request(today=date(2026, 3, 1)))
        assert not finding.passed and finding.exception_allowed
        assert finding.message == "Window: closed; next window opens 1 Jul"
        assert finding.figures["next_opens"] == "2026-07-01"
        assert finding.figures["open_until"] is None

    @pytest.mark.parametrize(
        ("today", "expected"),
        [
            (date(2026, 1, 1), (True, "Window: open until 15 Feb")),
            (date(2026, 2, 15), (True, "Window: open until 15 Feb")),
            (date(2026, 2, 16), (False, "Window: closed; next window opens 1 Jul")),
            (date(2026, 6, 30), (False, "Window: closed; next window opens 1 Jul")),
            (date(2026, 7, 1), (True, "Window: open until 15 Aug")),
            (date(2026, 8, 15), (True, "Window: open until 15 Aug")),
            (date(2026, 8, 16), (False, "Window: closed; next window opens 1 Jan")),
            (date(2026, 12, 31), (False, "Window: closed; next window opens 1 Jan")),
        ],
    )
    def test_both_edges_are_inside(self, today, expected):
        assert status(windows(), today) == expected

    @pytest.mark.parametrize(
        ("today", "expected"),
        [
            (date(2026, 11, 30), (False, "Window: closed; next window opens 1 Dec")),
            (date(2026, 12, 1), (True, "Window: open until 15 Jan")),
            (date(2026, 12, 31), (True, "Window: open until 15 Jan")),
            (date(2027, 1, 1), (True, "Window: open until 15 Jan")),
            (date(2027, 1, 15), (True, "Window: open until 15 Jan")),
            (date(2027, 1, 16), (False, "Window: closed; next window opens 1 Dec")),
        ],
    )
    def test_a_window_wrapping_the_new_year(self, today, expected):
        assert status(windows({"start": "12-01", "end": "01-15"}), today) == expected

    def test_wrapping_window_figures_cross_the_year(self):
        finding = only_finding(
            windows({"start": "12-01", "end": "01-15"}), request(today=date(2027, 1, 3))
        )
        assert finding.figures["open_until"] == "2027-01-15"

    def test_a_one_day_window(self):
        policy = windows({"start": "03-01", "end": "03-01"})
        assert status(policy, date(2026, 3, 1)) == (True, "Window: open until 1 Mar")
        assert status(policy, date(2026, 3, 2)) == (
            False,
            "Window: closed; next window opens 1 Mar",
        )

    def test_adjoining_windows_read_as_one(self):
        policy = windows({"start": "01-01", "end": "01-31"}, {"start": "02-01", "end": "02-20"})
        assert status(policy, date(2026, 1, 5)) == (True, "Window: open until 20 Feb")

    def test_overlapping_windows_give_the_latest_end(self):
        policy = windows({"start": "01-01", "end": "03-31"}, {"start": "03-01", "end": "04-15"})
        assert status(policy, date(2026, 3, 10)) == (True, "Window: open until 15 Apr")

    def test_windows_covering_the_year_are_always_open(self):
        policy = windows({"start": "07-01", "end": "06-30"})
        finding = only_finding(policy, request(today=date(2026, 5, 5)))
        assert finding.passed and finding.message == "Window: open all year"
        assert finding.figures["open_until"] is None
        halves = windows({"start": "01-01", "end": "06-30"}, {"start": "07-01", "end": "12-31"})
        assert status(halves, date(2026, 12, 31)) == (True, "Window: open all year")

    def test_blocking_mode(self):
        finding = only_finding(windows(mode="blocking"), request(today=date(2026, 4, 1)))
        assert finding.blocking and not finding.exception_allowed


def cooldown(days=90, mode="blocking"):
    return {"cooldown": rule(mode, days=days)}


class TestCooldown:
    def test_no_earlier_request(self):
        finding = only_finding(cooldown(), request())
        assert finding.passed
        assert finding.message == "Cooldown: no earlier request of this type"
        assert finding.figures["last_submitted_on"] is None

    def test_too_soon_says_from_when(self):
        req = request(today=date(2026, 3, 1), last_submitted_on=date(2026, 1, 10))
        finding = only_finding(cooldown(90), req)
        assert not finding.passed and finding.blocking
        assert finding.message == (
            "Cooldown: last request submitted 2026-01-10; the next one is possible from "
            "2026-04-10 (90-day cooldown)"
        )
        assert finding.figures == {
            "days": 90,
            "last_submitted_on": "2026-01-10",
            "next_possible_on": "2026-04-10",
            "days_since": 50,
        }

    def test_the_day_the_cooldown_ends_is_allowed(self):
        req = request(today=date(2026, 4, 10), last_submitted_on=date(2026, 1, 10))
        finding = only_finding(cooldown(90), req)
        assert finding.passed
        assert finding.message == (
            "Cooldown: last request submitted 2026-01-10, 90 days ago; the 90-day cooldown is over"
        )
        req = request(today=date(2026, 4, 9), last_submitted_on=date(2026, 1, 10))
        assert not only_finding(cooldown(90), req).passed


def frequency(max_requests=2, days=365, mode="exception"):
    return {"request_frequency": rule(mode, max_requests=max_requests, period_days=days)}


class TestRequestFrequency:
    def test_within_the_limit(self):
        finding = only_finding(frequency(), request(requests_in_period=1))
        assert finding.passed
        assert finding.message == (
            "Request frequency: this is request 2 of at most 2 in the last 12 months"
        )
        assert finding.figures == {
            "max_requests": 2,
            "period_days": 365,
            "previous_requests": 1,
            "with_this_request": 2,
        }

    def test_over_the_limit(self):
        finding = only_finding(frequency(days=180), request(requests_in_period=2))
        assert not finding.passed and finding.exception_allowed
        assert finding.message == (
            "Request frequency: 2 requests already submitted in the last 180 days; "
            "at most 2 allowed"
        )

    def test_first_request(self):
        finding = only_finding(frequency(1, 730), request())
        assert finding.message == (
            "Request frequency: this is request 1 of at most 1 in the last 24 months"
        )
