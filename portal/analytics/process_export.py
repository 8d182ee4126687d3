"""The process views as CSV: exactly the rows and figures each page shows, rounded as
shown (hours to a tenth, shares in percent to a tenth, money to the cent). Headers in the
reader's language or, with ``?headers=codes``, column codes (``portal.csv_headers``)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from operator import attrgetter
from typing import Any

from flask_babel import lazy_gettext as _l

from portal.analytics.grading import Grading
from portal.analytics.units import hours
from portal.analytics.units import percent_of as share
from portal.csv_headers import HeaderStyle, header_row
from portal.pagination import Page
from workflow_designer.policy.vocabulary import Disposition

Rows = Iterator[Sequence[object]]
# A column: its code, its heading, and how a row's figure is written.
Column = tuple[str, Any, Callable[[Any], object]]


def _writer(*columns: Column) -> Callable[[Iterable[Any], HeaderStyle], Rows]:
    """A CSV of ``columns``: the header row, then one row per item."""

    def write(rows: Iterable[Any], headers: HeaderStyle) -> Rows:
        yield header_row({code: heading for code, heading, _value in columns}, headers)
        for row in rows:
            yield [value(row) for _code, _heading, value in columns]

    return write


cycle_time_csv = _writer(
    ("workflow", _l("Workflow"), attrgetter("workflow")),
    ("state_code", _l("State code"), attrgetter("state")),
    ("state", _l("State"), attrgetter("label")),
    ("visits", _l("Visits ended"), attrgetter("visits")),
    ("median_hours", _l("Median (hours)"), lambda row: hours(row.median_seconds)),
    ("p90_hours", _l("90th percentile (hours)"), lambda row: hours(row.p90_seconds)),
)

sla_csv = _writer(
    ("workflow", _l("Workflow"), attrgetter("workflow")),
    ("step", _l("Step"), attrgetter("step")),
    ("state", _l("State"), attrgetter("label")),
    ("decided", _l("Decided"), attrgetter("decided")),
    ("on_time", _l("On time"), attrgetter("on_time")),
    ("late", _l("Late"), attrgetter("late")),
    ("on_time_percent", _l("On time (%)"), lambda row: share(row.on_time_share)),
)

rep_csv = _writer(
    ("rep", _l("Sales rep"), attrgetter("rep")),
    ("submitted", _l("Requests submitted"), attrgetter("submitted")),
    ("exceptions", _l("Exceptions requested"), attrgetter("exceptions")),
    ("exception_rate_percent", _l("Exception rate (%)"), lambda row: share(row.exception_share)),
    ("approved", _l("Approved"), attrgetter("approved")),
    ("denied", _l("Denied"), attrgetter("denied")),
    ("changes_requested", _l("Changes requested"), attrgetter("changes_requested")),
    ("approval_rate_percent", _l("Approval rate (%)"), lambda row: share(row.approval_share)),
)

credit_csv = _writer(
    ("month", _l("Month"), lambda row: row.month.strftime("%Y-%m")),
    ("currency", _l("Currency"), attrgetter("currency")),
    ("credit_memos", _l("Credit memos"), attrgetter("memos")),
    ("credited", _l("Credited"), attrgetter("credited")),
    ("corrections", _l("Corrections"), attrgetter("corrections")),
    ("net", _l("Net credit"), attrgetter("net")),
)


def grade_csv(found: Grading, headers: HeaderStyle) -> Rows:
    columns = {"grade_code": _l("Grade code"), "grade": _l("Grade")}
    columns |= {d.value: d.lazy_label for d in Disposition}
    columns["total"] = _l("Total")
    yield header_row(columns, headers)
    for row in found.grades:
        yield [row.grade.value, row.grade.label, *(row.of(d) for d in Disposition), row.total]
    total = ["total", str(_l("Total"))]
    yield [*total, *(found.disposed(d) for d in Disposition), found.total]


_allowance_rows = _writer(
    ("account", _l("Account"), attrgetter("account_number")),
    ("name", _l("Name"), attrgetter("account_name")),
    ("return_type", _l("Return type"), attrgetter("return_type")),
    ("currency", _l("Currency"), attrgetter("currency")),
    ("percent", _l("Allowance in percent of net purchases"), attrgetter("percent")),
    ("period_days", _l("Period (days)"), attrgetter("period_days")),
    ("net_purchases", _l("Net purchases"), attrgetter("net_purchases")),
    ("allowance", _l("Allowance"), attrgetter("allowance")),
    ("used", _l("Allowance used"), attrgetter("used")),
    ("credited", _l("Of it credited"), attrgetter("credited")),
    ("pending", _l("Of it pending"), attrgetter("pending")),
    ("left", _l("Left"), attrgetter("left")),
    ("used_percent", _l("Used (%)"), lambda row: share(row.share_used)),
)


def allowance_csv(page: Page, headers: HeaderStyle) -> Rows:
    """The accounts of the page shown."""
    return _allowance_rows(page.items, headers)
