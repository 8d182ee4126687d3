"""Time zones a user may choose: the IANA names in common use (pytz's list, which
Flask-Babel converts with), grouped by region for the profile's select."""

from __future__ import annotations

from itertools import groupby
from typing import Any

import pytz

ZONES = frozenset(pytz.common_timezones)


def known_zone(value: Any) -> str | None:
    return value if isinstance(value, str) and value in ZONES else None


def zone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """(region, [(zone, label)]) for a select with option groups: Europe › Berlin."""
    named = sorted(z for z in ZONES if "/" in z)
    groups = []
    for region, zones in groupby(named, key=lambda z: z.split("/", 1)[0]):
        groups.append(
            (region, [(z, z.split("/", 1)[1].replace("_", " ").replace("/", " › ")) for z in zones])
        )
    return [("", [("UTC", "UTC")]), *groups]
