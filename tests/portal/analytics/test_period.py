from datetime import UTC, date, datetime

import pytest

from portal.analytics.period import MonthRange, add_months


def test_trailing_twelve_months_end_with_the_current_one():
    period = MonthRange.trailing(12, date(2026, 12, 6))
    assert (period.first, period.last) == (date(2026, 1, 1), date(2026, 12, 1))
    assert len(period) == 12 and period.months()[-1] == date(2026, 12, 1)


def test_bounds_are_exclusive_at_the_end():
    period = MonthRange(date(2026, 1, 1), date(2026, 2, 1))
    assert period.end_day == date(2026, 3, 1)
    assert datetime(2026, 2, 28, 23, 59, tzinfo=UTC) in period
    assert datetime(2026, 3, 1, tzinfo=UTC) not in period
    assert date(2025, 12, 31) not in period


def test_months_wrap_years():
    assert add_months(date(2026, 11, 1), 3) == date(2027, 2, 1)
    assert add_months(date(2026, 1, 1), -1) == date(2025, 12, 1)


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (date(2026, 2, 1), date(2026, 1, 1)),
        (date(2026, 1, 2), date(2026, 2, 1)),
        (date(2000, 1, 1), date(2026, 1, 1)),
    ],
)
def test_impossible_ranges_are_refused(first, last):
    with pytest.raises(ValueError):
        MonthRange(first, last)
