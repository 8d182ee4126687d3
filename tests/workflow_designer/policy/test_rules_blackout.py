"""Closed periods: no requests inside yearly windows, one over the new year included."""

from __future__ import annotations

from datetime import date

import pytest

from tests.workflow_designer.policy.helpers import only_finding, request, rule
from workflow_designer.policy import describe_policy, validate_policy


def closed(*windows: tuple[str, str], mode: str = "blocking"):
    return {"blackout_windows": rule(mode, windows=[{"start": s, "end": e} for s, e in windows])}


YEAR_END = closed(("11-15", "12-31"))
OVER_NEW_YEAR = closed(("12-15", "01-10"))


def test_closed_inside_the_window_in_the_words_retailers_read():
    finding = only_finding(YEAR_END, request(today=date(2026, 11, 20)))
    assert not finding.passed and finding.blocking
    assert finding.message == "Returns are closed from 15 Nov to 31 Dec (yearly); today is 20 Nov."
    assert finding.figures == {
        "closed": True,
        "reopens": "2027-01-01",
        "next_closes": None,
        "windows": [{"start": "11-15", "end": "12-31"}],
    }
    assert describe_policy(YEAR_END, "EUR", date(2026, 11, 20))[0] == finding.message


def test_open_outside_the_window_says_until_when():
    finding = only_finding(YEAR_END, request(today=date(2026, 10, 20)))
    assert finding.passed
    assert finding.message == (
        "Returns are closed from 15 Nov to 31 Dec (yearly); today is 20 Oct, "
        "so returns are open until 14 Nov."
    )
    assert finding.figures["next_closes"] == "2026-11-15"


@pytest.mark.parametrize(
    ("today", "is_closed"),
    [
        (date(2026, 12, 14), False),
        (date(2026, 12, 15), True),  # both edges are closed
        (date(2026, 12, 31), True),
        (date(2027, 1, 1), True),
        (date(2027, 1, 10), True),
        (date(2027, 1, 11), False),
        (date(2028, 2, 29), False),
    ],
)
def test_a_window_over_the_new_year(today, is_closed):
    finding = only_finding(OVER_NEW_YEAR, request(today=today))
    assert finding.passed is not is_closed


def test_over_the_new_year_reopens_next_year_and_opens_until_this_year():
    assert only_finding(OVER_NEW_YEAR, request(today=date(2027, 1, 5))).figures["reopens"] == (
        "2027-01-11"
    )
    open_now = only_finding(OVER_NEW_YEAR, request(today=date(2026, 6, 1)))
    assert open_now.message.endswith("today is 1 Jun, so returns are open until 14 Dec.")


def test_several_windows_and_touching_ones_read_as_one():
    policy = closed(("07-01", "07-15"), ("07-16", "07-31"))
    finding = only_finding(policy, request(today=date(2026, 7, 10)))
    assert finding.message == (
        "Returns are closed from 1 Jul to 15 Jul and from 16 Jul to 31 Jul (yearly); "
        "today is 10 Jul."
    )
    assert finding.figures["reopens"] == "2026-08-01"


def test_an_exception_may_be_allowed():
    finding = only_finding(
        closed(("11-15", "12-31"), mode="exception"), request(today=date(2026, 12, 1))
    )
    assert not finding.passed and finding.exception_allowed and not finding.blocking


def test_with_calendar_windows_both_apply():
    policy = {
        **YEAR_END,
        "calendar_windows": rule(windows=[{"start": "10-01", "end": "12-31"}]),
    }
    today = date(2026, 11, 20)
    sentences = describe_policy(policy, "EUR", today)
    assert sentences[0].startswith("Requests are accepted 1 Oct – 31 Dec each year")
    assert sentences[1] == "Returns are closed from 15 Nov to 31 Dec (yearly); today is 20 Nov."


@pytest.mark.parametrize(
    ("window", "message"),
    [
        ({"start": "11-15", "end": "02-31"}, "window 1 end 31 Feb is not a real date."),
        (
            {"start": "02-29", "end": "03-10"},
            "window 1 start 29 Feb is only in leap years; use 28 Feb or 1 Mar.",
        ),
        ({"start": "11-15"}, "window 1 needs an end date."),
    ],
)
def test_bad_windows_are_refused(window, message):
    problems = validate_policy({"blackout_windows": rule(windows=[window])})
    assert [(p.field, p.message) for p in problems] == [("windows", f"Closed periods: {message}")]


def test_at_least_one_window():
    problems = validate_policy({"blackout_windows": rule(windows=[])})
    assert [p.message for p in problems] == [
        "Closed periods: list at least one window (or switch the rule off)."
    ]
