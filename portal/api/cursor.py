"""Cursor pagination: a page ends with an opaque cursor that names where the next one
starts. Keyset, not offset: rows added meanwhile neither repeat nor skip an item."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute, Session

from portal.api.problems import ValidationProblem
from portal.inputs.numbers import MAX_ID

Row = TypeVar("Row")


def encode(last_id: int) -> str:
    raw = json.dumps({"after": last_id}, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str | None) -> int | None:
    """The id a page continues after; a cursor we did not make is a 422."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        data = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        after = data["after"]
    except (ValueError, KeyError, TypeError, binascii.Error, UnicodeError):
        after = None
    if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= MAX_ID:
        raise ValidationProblem([{"field": "cursor", "message": "Not a cursor of this list."}])
    return after


@dataclass(frozen=True)
class Slice:
    rows: Sequence[Any]
    next: str | None


def keyset_page(
    session: Session,
    query: Select[Any],
    key: InstrumentedAttribute[int] | Any,
    limit: int,
    cursor: str | None,
    *,
    newest_first: bool = False,
) -> Slice:
    """``limit`` rows of ``query`` ordered by ``key`` (unique), after the cursor's row.

    One more row than asked is read to know whether a next page exists; ``key`` must be
    the last column selected or the entity's id.
    """
    after = decode(cursor)
    if after is not None:
        query = query.where(key < after if newest_first else key > after)
    ordered = query.order_by(None).order_by(key.desc() if newest_first else key.asc())
    rows = session.execute(ordered.limit(limit + 1)).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return Slice(rows, encode(_key_of(rows[-1])) if more and rows else None)


def _key_of(row: Any) -> int:
    return int(row[-1])
