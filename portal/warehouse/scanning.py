"""What a scan or a typed RMA number may mean.

The label's Code128 and QR codes both carry the RMA number itself ("RMA-2026-000123").
People type it in every form: lower case, with spaces, without the "RMA-" prefix, or only
the running number ("123"). Each reading becomes a list of exact numbers to look up, plus,
for a bare running number, a suffix that several years may share (the caller asks the
user to choose when more than one RMA matches).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PREFIX = "RMA-"
# Anything longer is not an RMA number; it is not worth a query.
MAX_LENGTH = 40
_RUNNING = re.compile(r"^\d{1,6}$")
_YEAR_RUNNING = re.compile(r"^(\d{4})-(\d{1,6})$")


@dataclass(frozen=True)
class Reading:
    """How to look a scan up: ``numbers`` exactly, else numbers ending in ``suffix``."""

    cleaned: str
    numbers: tuple[str, ...]
    suffix: str | None = None


def read_scan(text: str) -> Reading | None:
    """The lookups ``text`` asks for; None when it cannot be an RMA number at all."""
    cleaned = "".join((text or "").split()).upper()
    if not cleaned or len(cleaned) > MAX_LENGTH:
        return None
    bare = cleaned.removeprefix(PREFIX)
    if bare.startswith("RMA") and bare[3:4].isdigit():
        bare = bare[3:]  # "RMA2026-000123": the hyphen got lost
    numbers = [cleaned, PREFIX + bare]
    year_running = _YEAR_RUNNING.match(bare)
    if year_running:
        year, running = year_running.groups()
        numbers.append(f"{PREFIX}{year}-{int(running):06d}")
    suffix = f"-{int(bare):06d}" if _RUNNING.match(bare) else None
    return Reading(cleaned, tuple(dict.fromkeys(numbers)), suffix)
