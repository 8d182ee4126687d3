"""Recurring yearly windows (MM-DD) and the ways policy messages write dates and periods."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from workflow_designer.policy import words
from workflow_designer.policy.periods import DAYS, Period
from workflow_designer.policy.words import gettext as _
from workflow_designer.policy.words import ngettext

_MONTH_DAY = re.compile(r"(\d\d)-(\d\d)")
# A leap year, so that only real month-days parse (02-30 never does).
_LEAP = 2000


class MonthDayError(ValueError):
    """An MM-DD text that is malformed or not a day of the year."""


def parse_month_day(text: object) -> tuple[int, int]:
    """``"07-01"`` → ``(7, 1)``; raises MonthDayError with the reason in words."""
    match = _MONTH_DAY.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        raise MonthDayError(_("must be a day and a month, written MM-DD, e.g. 07-01 for 1 Jul"))
    month, day = int(match[1]), int(match[2])
    try:
        date(_LEAP, month, day)
    except ValueError:
        raise MonthDayError(_("is not a real date")) from None
    if (month, day) == (2, 29):
        # Most years have no 29 Feb: a window edge on it would move from year to year.
        raise MonthDayError(_("is only in leap years; use 28 Feb or 1 Mar"))
    return month, day


def month_day_shown(text: object) -> str | None:
    """``"02-31"`` → ``"31 Feb"``: an MM-DD text in words, real date or not (None when it
    is not MM-DD with a month of the year), so a mistake is shown as the admin chose it."""
    match = _MONTH_DAY.fullmatch(text) if isinstance(text, str) else None
    if match is None or not 1 <= int(match[1]) <= 12:
        return None
    return words.month_day((int(match[1]), int(match[2])))


def short_date(day: date) -> str:
    """15 Feb (15. Feb., 15 févr.)."""
    return words.month_day((day.month, day.day))


def month_day_words(month_day: tuple[int, int]) -> str:
    return words.month_day(month_day)


def period_words(period: Period | int) -> str:
    """365 days → "12 months", 730 → "24 months", 90 → "90 days", 1 → "1 day"; weeks and
    months as they are set ("6 weeks", "12 months")."""
    if isinstance(period, Period) and period.unit != DAYS:
        return period.words()
    days = period.count if isinstance(period, Period) else period
    if days % 365 == 0:
        return ngettext("%(num)d month", "%(num)d months", days // 365 * 12)
    return ngettext("%(num)d day", "%(num)d days", days)


def period_start(today: date, days: int) -> date:
    """First day of the ``days`` calendar days that end with ``today`` (both included)."""
    return today - timedelta(days=days - 1)


@dataclass(frozen=True)
class Window:
    start: tuple[int, int]
    end: tuple[int, int]

    @property
    def wraps(self) -> bool:
        """True when the window runs over the new year (its end comes before its start)."""
        return self.end < self.start

    def occurrence(self, year: int) -> tuple[date, date]:
        """The dates of the window that starts in ``year``."""
        start = date(year, *self.start)
        end = date(year + 1 if self.wraps else year, *self.end)
        return start, end

    def words(self) -> str:
        return _(
            "%(start)s – %(end)s",
            start=month_day_words(self.start),
            end=month_day_words(self.end),
        )


@dataclass(frozen=True)
class WindowStatus:
    """Whether ``today`` is inside a window; until when, or when the next one opens."""

    open: bool
    open_until: date | None
    next_opens: date | None


def window_status(windows: list[Window], today: date) -> WindowStatus:
    """Both edges count as open. With no windows, it is never open and never opens.

    Windows that touch or overlap are read as one: "open until" is where the last of them
    ends. Windows covering the whole year give ``open_until=None``.
    """
    ends = [end for start, end in _occurrences(windows, today.year) if start <= today <= end]
    if ends:
        until = _chained_end(windows, max(ends))
        return WindowStatus(True, None if until - today > _YEAR else until, None)
    starts = [start for start, _ in _occurrences(windows, today.year) if start > today]
    return WindowStatus(False, None, min(starts, default=None))


_YEAR = timedelta(days=366)


def _occurrences(windows: list[Window], year: int) -> Iterator[tuple[date, date]]:
    """Each window's dates starting in the year before, this year and the year after."""
    for window in windows:
        for y in (year - 1, year, year + 1):
            yield window.occurrence(y)


def _chained_end(windows: list[Window], end: date) -> date:
    """Follow windows that start on or before the day after ``end``: they extend it."""
    for _step in range(len(windows) + 1):
        later = [
            e
            for s, e in _occurrences(windows, end.year)
            if s <= end + timedelta(days=1) and e > end
        ]
        if not later:
            break
        end = max(later)
    return end
