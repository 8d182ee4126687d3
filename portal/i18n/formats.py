"""The one way each kind of value is shown: money, dates and times, numbers, percentages.

All follow the request's language and time zone (``flask_babel``): ``1.346,00 €`` for a
German reader, ``1 346,00 €`` for a French one, ``€1,346.00`` in English; "5. Dez. 2026,
14:05" in Berlin time. Templates use them as filters (``{{ total|money(currency) }}``,
``{{ rma.submitted_at|datetime }}``); Python code calls the functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from babel import Locale, dates
from flask import Flask
from flask_babel import format_timedelta, get_locale, get_timezone

from workflow_designer.policy.money import format_amount, format_money
from workflow_designer.policy.number_layout import NumberLayout

# "5 Dec 2026": the day, the month's short name and the year, in the locale's order.
DATE_SKELETON = "yMMMd"
# "Dec 2026", "Dez. 2026", "déc. 2026": a calendar month, as a figure's period names it.


def _locale() -> str:
    locale = get_locale()
    return "en" if locale is None else _identifier(locale)


@cache
def _identifier(locale: Locale) -> str:
    """ "de", "fr": Babel builds the string anew each time, and a table asks per figure."""
    return str(locale)


@dataclass(frozen=True)
class ReaderFormats:
    """Money, numbers and percentages in one locale, for what writes hundreds of figures
    at once (an analytics table and its chart): the filters look the request's locale up
    for every value, which costs more than laying the value out."""

    locale: str

    def money(self, amount: Decimal | int | str | None, currency: str) -> str:
        return format_money(amount, currency, locale=self.locale)

    def number(self, value: Decimal | int | float | None) -> str:
        return "" if value is None else _number_layout(self.locale).apply(Decimal(str(value)))

    def percent(self, value: Decimal | int | float | None, digits: int = 0) -> str:
        if value is None:
            return ""
        return _percent_layout(self.locale, digits).apply(Decimal(str(value)) / 100)


def reader_formats() -> ReaderFormats:
    """The request reader's formats (``ReaderFormats``)."""
    return ReaderFormats(_locale())


def money(amount: Decimal | int | str | None, currency: str) -> str:
    """An amount with its currency's symbol and decimals; "" for no amount."""
    return format_money(amount, currency, locale=_locale())


def amount(value: Decimal | int | str, currency: str | None = None) -> str:
    """The number alone, with the currency's decimals: for tables whose header names it."""
    return format_amount(value, currency, locale=_locale())


def _local(moment: datetime, zone: str | None = None) -> datetime:
    return moment.astimezone(ZoneInfo(zone) if zone else get_timezone())


def format_day(value: date | datetime | None) -> str:
    """A date ("5 Dec 2026", "5. Dez. 2026"); a moment is first moved to the user's zone."""
    if value is None:
        return ""
    day = _local(value).date() if isinstance(value, datetime) else value
    return dates.format_skeleton(DATE_SKELETON, day, locale=_locale())


def format_month(value: date | None, short: bool = False) -> str:
    """A calendar month ("Mar 2026", "März 2026"); ``short``: "Mar 26" for chart axes."""
    if value is None:
        return ""
    return dates.format_skeleton("yyMMM" if short else "yMMM", value, locale=_locale())


def format_moment(value: datetime | None, zone: str | None = None) -> str:
    """A date and time in the user's zone (or ``zone``, for a document read elsewhere):
    "Dec 5, 2026, 2:05 PM", "5. Dez. 2026, 14:05"."""
    if value is None:
        return ""
    local = _local(value, zone)
    locale = _locale()
    time_text = dates.format_time(local, "short", tzinfo=local.tzinfo, locale=locale)
    pattern = str(dates.get_datetime_format("medium", locale=locale))
    return pattern.replace("{1}", format_day(local)).replace("{0}", time_text)


def format_clock(value: datetime | None) -> str:
    """The time of day alone, in the user's zone: "2:05 PM", "14:05"."""
    if value is None:
        return ""
    local = _local(value)
    return dates.format_time(local, "short", tzinfo=local.tzinfo, locale=_locale())


def relative(value: datetime | timedelta | None, now: datetime | None = None) -> str:
    """How far a moment is from now, as a person says it: "in 2 days", "vor 3 Stunden"."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value - (now or datetime.now(value.tzinfo))
    return format_timedelta(value, add_direction=True, threshold=0.9)


def number(value: Decimal | int | float | None) -> str:
    """A count or measure in the locale's decimal pattern: "1,346.5", "1.346,5"."""
    return reader_formats().number(value)


def percent(value: Decimal | int | float | None, digits: int = 0) -> str:
    """A share given in percent (84.5 → "84 %" in German); ``digits`` decimals."""
    return reader_formats().percent(value, digits)


# Laid out once per locale: a table of figures formats hundreds of them per page.
@cache
def _number_layout(locale: str) -> NumberLayout:
    known = Locale.parse(locale)
    return NumberLayout.of(known.decimal_formats[None], known)


@cache
def _percent_layout(locale: str, digits: int) -> NumberLayout:
    known = Locale.parse(locale)  # "#,##0 %" in German
    return NumberLayout.of(known.percent_formats[None], known, fraction_digits=(digits, digits))


def timestamp(value: datetime | None) -> str:
    """The machine-readable moment for ``<time datetime>``: ISO 8601 in UTC."""
    return "" if value is None else value.isoformat()


FILTERS: dict[str, Any] = {
    "money": money,
    "amount": amount,
    "date": format_day,
    "month": format_month,
    "datetime": format_moment,
    "clock": format_clock,
    "relative": relative,
    "number": number,
    "percent": percent,
    "timestamp": timestamp,
}


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(FILTERS)
