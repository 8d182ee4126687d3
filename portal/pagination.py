"""Offset pagination for list pages.

Counting every matching row is what makes a long list slow: an account with 16,000
invoiced lines spends more time counting them than showing 25. So a list counts at most
``COUNT_LIMIT`` rows past the start of the page shown; beyond that it says "more than"
and still offers the next page.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

MAX_PER_PAGE = 200
COUNT_LIMIT = 1000


@dataclass(frozen=True)
class Page:
    items: list[Any]
    page: int
    per_page: int
    total: int
    # Counting stopped at the limit: there are more than ``total`` rows.
    more: bool = False

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def first_index(self) -> int:
        return (self.page - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_index(self) -> int:
        return min(self.page * self.per_page, self.total)

    def with_items(self, items: list[Any]) -> Page:
        """The same page showing ``items`` (the rows turned into what the template needs)."""
        return dataclasses.replace(self, items=items)


def paginate(
    session: Session,
    query: Select,
    page: int,
    per_page: int,
    *,
    count_limit: int | None = COUNT_LIMIT,
    count_query: Select | None = None,
) -> Page:
    """One page of ``query``; ``count_limit=None`` counts every row. A page past the end
    shows the last one.

    ``count_query`` selects the same rows as ``query`` without the joins that only add
    columns (an RMA's return type, an order line's product): counting through them cost
    2.4 ms for 1,000 RMAs, against 0.2 ms from the index alone. The count is skipped when
    the page shows the end of the list: its rows then say how many there are.
    """
    per_page = max(1, min(per_page, MAX_PER_PAGE))
    page = max(1, page)
    rows = _rows(session, query, page, per_page)
    if 0 < len(rows) < per_page or (page == 1 and not rows):
        total = (page - 1) * per_page + len(rows)
        return Page(items=rows, page=page, per_page=per_page, total=total)
    bound = None if count_limit is None else (page - 1) * per_page + max(count_limit, per_page)
    total = _count(session, query if count_query is None else count_query, bound)
    more = bound is not None and total > bound
    total = bound if bound is not None and more else total
    last_page = -(-total // per_page) or 1
    if page > last_page:  # past the end: show the last page
        page = last_page
        rows = _rows(session, query, page, per_page)
    return Page(items=rows, page=page, per_page=per_page, total=total, more=more)


def _rows(session: Session, query: Select, page: int, per_page: int) -> list[Any]:
    rows = session.execute(query.limit(per_page).offset((page - 1) * per_page)).all()
    return [row[0] if len(row) == 1 else row for row in rows]


def _count(session: Session, query: Select, bound: int | None) -> int:
    """The number of rows of ``query``, or ``bound + 1`` if there are more than ``bound``.

    PostgreSQL leaves out the columns the count does not read (correlated subqueries
    too), so counting a query costs its joins and filters only, up to the bound."""
    query = query.order_by(None)
    if bound is not None:
        query = query.limit(bound + 1)
    return session.scalar(select(func.count()).select_from(query.subquery())) or 0
