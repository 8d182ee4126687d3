"""Money, dates, times, numbers and percentages in the reader's language and time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from flask import g

from portal.i18n import formats

MOMENT = datetime(2026, 12, 5, 13, 5, tzinfo=UTC)  # 14:05 in Berlin, 8:05 AM in New York


@pytest.fixture
def reading(app):
    """Render as a reader of ``language`` in ``zone`` would see it."""

    def set_reader(language: str, zone: str = "UTC"):
        context = app.test_request_context("/")
        context.push()
        g.language = language
        from flask_babel import refresh

        app.extensions["babel"].timezone_selector = lambda: zone
        refresh()
        return context

    contexts = []
    yield lambda *args: contexts.append(set_reader(*args))
    for context in reversed(contexts):
        context.pop()


@pytest.mark.parametrize(
    ("language", "amount", "currency", "shown"),
    [
        ("de", "1346", "EUR", "1.346,00\xa0€"),
        ("fr", "1346", "EUR", "1\u202f346,00\xa0€"),
        ("en", "1346", "EUR", "€1,346.00"),
        ("en", "12000", "JPY", "¥12,000"),
        ("de", "-400", "EUR", "−400,00\xa0€"),
    ],
)
def test_money_follows_the_language(reading, language, amount, currency, shown):
    reading(language)
    assert formats.money(Decimal(amount), currency) == shown


def test_dates_and_times_in_the_readers_zone(reading):
    reading("de", "Europe/Berlin")
    assert formats.format_moment(MOMENT) == "5. Dez. 2026, 14:05"
    assert formats.format_day(MOMENT) == "5. Dez. 2026"
    assert formats.format_clock(MOMENT) == "14:05"


def test_english_in_new_york(reading):
    reading("en", "America/New_York")
    assert formats.format_moment(MOMENT) == "Dec 5, 2026, 8:05\u202fAM"
    assert formats.format_day(date(2026, 12, 5)) == "Dec 5, 2026"


def test_a_moment_late_in_the_evening_is_the_next_day_further_east(reading):
    reading("fr", "Asia/Tokyo")
    assert formats.format_day(datetime(2026, 12, 5, 20, 0, tzinfo=UTC)) == "6 déc. 2026"


def test_relative_times_numbers_and_percentages(reading):
    reading("de")
    assert formats.relative(timedelta(days=2)) == "in 2 Tagen"
    assert formats.relative(MOMENT, now=MOMENT + timedelta(hours=3)) == "vor 3 Stunden"
    assert formats.number(Decimal("1234.5")) == "1.234,5"
    assert formats.percent(84) == "84\xa0%"
    assert formats.percent(Decimal("84.56"), 1) == "84,6\xa0%"


def test_nothing_shows_as_nothing(reading):
    reading("en")
    assert formats.money(None, "EUR") == formats.format_moment(None) == formats.relative(None) == ""
