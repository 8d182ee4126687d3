"""The units process figures are shown in, rounded once for the page, its chart and its
CSV alike: durations in hours, shares in percent, each to a tenth."""

from __future__ import annotations

from decimal import Decimal

TENTH = Decimal("0.1")


def hours(seconds: int | None) -> Decimal | None:
    return None if seconds is None else (Decimal(seconds) / 3600).quantize(TENTH)


def percent_of(value: float | Decimal | None) -> Decimal | None:
    """A share (0.75) as the percentage shown (75.0)."""
    return None if value is None else (Decimal(str(value)) * 100).quantize(TENTH)
