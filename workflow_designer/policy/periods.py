"""Ages and periods in days, weeks or calendar months, and their arithmetic.

A rule's age or period (purchase age, return window, cooldown, allowance and frequency
periods) is stored as a JSON whole number of days — the only form before units existed,
so every stored policy keeps reading the same — or as ``{"count": 3, "unit": "months"}``;
an object without ``unit`` counts days. Keeping the value plain JSON lets policies be
stored, versioned and compared as they are.

Months are calendar months, not 30 days: a contract's "3 months" is read off the
calendar by the distributor and the retailer alike, and 30-day months drift (twelve of
them are 360 days, so "12 months" would start five days late). A month after 31 Jan is
the last day of February (28 or 29 Feb), the usual end-of-month rule.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import lazy_gettext as _l
from workflow_designer.policy.words import ngettext

DAYS, WEEKS, MONTHS = "days", "weeks", "months"
UNITS: tuple[tuple[str, str], ...] = (
    (DAYS, _l("days")),
    (WEEKS, _l("weeks")),
    (MONTHS, _l("months")),
)
# Ten years in each unit: no period a distributor would configure is longer, and the
# bound keeps date arithmetic far from date.min/date.max whatever a document says.
MAX_COUNT: dict[str, int] = {DAYS: 3650, WEEKS: 521, MONTHS: 120}
# For ordering a minimum and a maximum given in different units only.
_APPROX_DAYS = {DAYS: 1.0, WEEKS: 7.0, MONTHS: 365.25 / 12}


def add_months(day: date, months: int) -> date:
    """``day`` moved by ``months`` calendar months (negative: back), clamped to the end of
    a shorter month: 31 Jan + 1 month = 28 Feb (29 Feb in a leap year)."""
    years, month0 = divmod(day.month - 1 + months, 12)
    year = day.year + years
    last = calendar.monthrange(year, month0 + 1)[1]
    return date(year, month0 + 1, min(day.day, last))


@dataclass(frozen=True)
class Period:
    """A count of days, weeks or calendar months."""

    count: int
    unit: str = DAYS

    def after(self, day: date) -> date:
        """The day the period after ``day`` ends on: 31 Jan + 1 month = 28 Feb."""
        if self.unit == MONTHS:
            return add_months(day, self.count)
        return day + timedelta(days=self.count * (7 if self.unit == WEEKS else 1))

    def before(self, day: date) -> date:
        """The day ``day`` is the period after (as near as calendar months allow)."""
        if self.unit == MONTHS:
            return add_months(day, -self.count)
        return day - timedelta(days=self.count * (7 if self.unit == WEEKS else 1))

    def trailing_start(self, today: date) -> date:
        """First day of the trailing period that ends with ``today``, both included: 12
        months on 2026-03-01 start on 2025-03-02, as 365 days do."""
        return self.before(today) + timedelta(days=1)

    def trailing_days(self, today: date) -> int:
        """How many calendar days the trailing period ending ``today`` holds."""
        return (today - self.trailing_start(today)).days + 1

    @property
    def approx_days(self) -> float:
        return self.count * _APPROX_DAYS[self.unit]

    def words(self) -> str:
        """``1 day``, ``2 weeks``, ``3 months`` (in the reader's language)."""
        count = self.count
        if self.unit == WEEKS:
            return ngettext("%(num)d week", "%(num)d weeks", count)
        if self.unit == MONTHS:
            return ngettext("%(num)d month", "%(num)d months", count)
        return ngettext("%(num)d day", "%(num)d days", count)

    def adjective(self) -> str:
        """``30-day``, ``2-week``, ``3-month`` (as in "the 30-day window")."""
        if self.unit == WEEKS:
            return _("%(count)d-week", count=self.count)
        if self.unit == MONTHS:
            return _("%(count)d-month", count=self.count)
        return _("%(count)d-day", count=self.count)

    def as_json(self) -> int | dict[str, Any]:
        """The stored form: days as a plain number (as before units existed)."""
        return self.count if self.unit == DAYS else {"count": self.count, "unit": self.unit}


def period_of(value: Period | int) -> Period:
    """A period from a typed parameter (a bare number is days, as figures hold them)."""
    return value if isinstance(value, Period) else Period(value)
