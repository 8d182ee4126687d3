"""Percentiles by the nearest-rank method, the one both backends compute alike.

The p-th percentile of n values is the value at rank ⌈p·n⌉ of the sorted values (the
first when p·n is 0). PostgreSQL's ``percentile_disc`` is this method; on SQLite the
values are read and ranked here. Exact: the value returned is one of the durations, never
an interpolation between two.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

MEDIAN, P90 = 0.5, 0.9


def nearest_rank(ordered: Sequence[int], p: float) -> int | None:
    """The ``p`` percentile of ``ordered`` (sorted ascending); None when it is empty."""
    if not ordered:
        return None
    rank = max(math.ceil(p * len(ordered)), 1)
    return ordered[rank - 1]
