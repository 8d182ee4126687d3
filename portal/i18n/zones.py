"""Time zones a user may choose: the IANA names in common use (pytz's list, which
Flask-Babel converts with), named for people in their language: "Deutschland · Berlin"."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import pytz
from babel import Locale
from babel.dates import get_timezone, get_timezone_location

ZONES = frozenset(pytz.common_timezones)


def known_zone(value: Any) -> str | None:
    return value if isinstance(value, str) and value in ZONES else None


@lru_cache(maxsize=8)
def zone_choices(language: str) -> tuple[tuple[str, str], ...]:
    """(zone, "Country · City") in ``language``, sorted by what people read; zones of no
    country (UTC, US/Eastern…) are named by their IANA name."""
    countries = Locale.parse(language).territories
    country_of = {zone: code for code, zones in pytz.country_timezones.items() for zone in zones}
    named = []
    for zone in ZONES:
        code = country_of.get(zone)
        if code is None:
            named.append((zone, zone.replace("_", " ")))
            continue
        city = get_timezone_location(get_timezone(zone), locale=language, return_city=True)
        named.append((zone, f"{countries.get(code, code)} · {city}"))
    return tuple(sorted(named, key=lambda choice: (choice[1].casefold(), choice[0])))
