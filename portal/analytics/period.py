"""The period every analytics figure covers: whole calendar months, first to last inclusive.

Months, not days: figures are kept per month (see the rollups), a distributor reads its
returns by month and quarter, and a month boundary is the same for every account. Times
are bucketed by their UTC month; invoice dates are calendar dates already.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

MAX_MONTHS = 120  # a decade: the longest period a page is asked for


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class MonthRange:
    """From the first day of ``first`` to the end of the month ``last`` (both month starts)."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.first.day != 1 or self.last.day != 1:
            raise ValueError("a month range runs from month start to month start")
        if self.last < self.first:
            raise ValueError("the last month comes before the first")
        if len(self) > MAX_MONTHS:
            raise ValueError(f"a period covers at most {MAX_MONTHS} months")

    @classmethod
    def trailing(cls, months: int, today: date) -> MonthRange:
        """The ``months`` months up to and including the current one."""
        last = month_start(today)
        return cls(add_months(last, 1 - months), last)

    def __len__(self) -> int:
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    def months(self) -> list[date]:
        return [add_months(self.first, offset) for offset in range(len(self))]

    @property
    def end_day(self) -> date:
        """The first day after the period (exclusive bound for dates)."""
        return add_months(self.last, 1)

    @property
    def start_moment(self) -> datetime:
        return datetime(self.first.year, self.first.month, 1, tzinfo=UTC)

    @property
    def end_moment(self) -> datetime:
        """The first instant after the period (exclusive bound for timestamps)."""
        end = self.end_day
        return datetime(end.year, end.month, 1, tzinfo=UTC)

    def __contains__(self, moment: date | datetime) -> bool:
        day = moment.astimezone(UTC).date() if isinstance(moment, datetime) else moment
        return self.first <= day < self.end_day
